#include "agent/state/state_store.h"

#include <gtest/gtest.h>

#include "tests/support/temp_dir.h"

namespace erpsync::agent {
namespace {

class StateStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto opened = StateStore::Open(dir_.File("state"));
    ASSERT_TRUE(opened.ok()) << opened.status().ToString();
    state_ = std::move(*opened);
  }
  testing::TempDir dir_;
  std::unique_ptr<StateStore> state_;
};

TEST_F(StateStoreTest, SettingsRoundTripWithChoices) {
  EXPECT_FALSE(state_->GetSettings("jc_transaction")->has_value());
  MappingSettings settings;
  settings.entity_id = "jc_transaction";
  settings.enabled = true;
  settings.needs_deep_sync = true;
  settings.choices = {{"employee", false}, {"type_ap_cost", true}};
  settings.changed_unix = 42;
  ASSERT_TRUE(state_->PutSettings(settings).ok());
  settings.choices.erase("type_ap_cost");
  ASSERT_TRUE(state_->PutSettings(settings).ok());
  const auto stored = *state_->GetSettings("jc_transaction");
  ASSERT_TRUE(stored.has_value());
  EXPECT_TRUE(stored->enabled);
  EXPECT_TRUE(stored->needs_deep_sync);
  EXPECT_EQ(stored->choices, (OptionChoices{{"employee", false}}));
  EXPECT_EQ(stored->changed_unix, 42);
}

TEST_F(StateStoreTest, ProgressDefaultsAndPersists) {
  EntityProgress progress = *state_->GetProgress("vendor");
  EXPECT_EQ(progress.entity_id, "vendor");
  EXPECT_FALSE(progress.has_position);
  progress.has_position = true;
  progress.position_date = "2026-01-02";
  progress.position_time = "10:11:12";
  progress.position_key = "V100";
  progress.schema_fingerprint = 0xfedcba9876543210ULL;
  ASSERT_TRUE(state_->PutProgress(progress).ok());
  // Survives reopening.
  state_.reset();
  state_ = std::move(*StateStore::Open(dir_.File("state")));
  const EntityProgress again = *state_->GetProgress("vendor");
  EXPECT_TRUE(again.has_position);
  EXPECT_EQ(again.position_key, "V100");
  EXPECT_EQ(again.schema_fingerprint, 0xfedcba9876543210ULL);
}

TEST_F(StateStoreTest, DeepRunReplacesCheckpoints) {
  ASSERT_TRUE(state_->StartDeepRun(DeepRun{"r1", "beginning", {"a", "b"}, 1}).ok());
  DeepPassCheckpoint checkpoint;
  checkpoint.entity_id = "a";
  checkpoint.run_id = "r1";
  checkpoint.after_key = "k9";
  checkpoint.acked = 9;
  ASSERT_TRUE(state_->PutCheckpoint(checkpoint).ok());
  const auto run = *state_->GetDeepRun();
  ASSERT_TRUE(run.has_value());
  EXPECT_EQ(run->entity_ids, (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ((*state_->GetCheckpoint("a"))->after_key, "k9");
  ASSERT_TRUE(state_->StartDeepRun(DeepRun{"r2", "week", {"a"}, 2}).ok());
  EXPECT_FALSE(state_->GetCheckpoint("a")->has_value());
  ASSERT_TRUE(state_->FinishDeepRun().ok());
  EXPECT_FALSE(state_->GetDeepRun()->has_value());
}

TEST_F(StateStoreTest, HashesByGeneration) {
  ASSERT_TRUE(state_->PutHash("e", "k1", 11, 1).ok());
  ASSERT_TRUE(state_->PutHash("e", "k2", 22, 2).ok());
  ASSERT_TRUE(state_->PutHash("other", "k1", 33, 1).ok());
  EXPECT_EQ(**state_->GetHash("e", "k1"), 11u);
  EXPECT_FALSE(state_->GetHash("e", "k3")->has_value());
  ASSERT_TRUE(state_->DropHashesBefore("e", 2).ok());
  EXPECT_FALSE(state_->GetHash("e", "k1")->has_value());
  EXPECT_EQ(*state_->CountHashes("e"), 1u);
  EXPECT_EQ(*state_->CountHashes("other"), 1u);
  std::vector<std::string> keys;
  ASSERT_TRUE(state_->ForEachHashKey("e", [&](const std::string& key) { keys.push_back(key); }).ok());
  EXPECT_EQ(keys, std::vector<std::string>{"k2"});
  ASSERT_TRUE(state_->DeleteHash("e", "k2").ok());
  ASSERT_TRUE(state_->ClearHashes("other").ok());
  EXPECT_EQ(*state_->CountHashes("e") + *state_->CountHashes("other"), 0u);
}

TEST_F(StateStoreTest, FailedTransactionRollsBack) {
  const Status status = state_->WithTransaction([&] {
    EXPECT_TRUE(state_->PutHash("e", "k1", 1, 1).ok());
    return AbortedError("ack rejected");
  });
  EXPECT_EQ(status.code(), StatusCode::kAborted);
  EXPECT_FALSE(state_->GetHash("e", "k1")->has_value());
  ASSERT_TRUE(state_->WithTransaction([&] { return state_->PutHash("e", "k1", 1, 1); }).ok());
  EXPECT_TRUE(state_->GetHash("e", "k1")->has_value());
}

TEST_F(StateStoreTest, UnwritableDirectoryIsInternal) {
  const auto opened = StateStore::Open("/proc/erpsync-cannot-exist");
  EXPECT_EQ(opened.status().code(), StatusCode::kInternal);
}

}  // namespace
}  // namespace erpsync::agent
