#include "agent/state/state_store.h"

#include <gtest/gtest.h>

#include "tests/support/status_matchers.h"
#include "tests/support/temp_dir.h"

namespace erpsync::agent {
namespace {

class StateStoreTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_OK_AND_ASSIGN(state_, StateStore::Open(dir_.File("state"))); }
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
  ASSERT_OK(state_->PutSettings(settings));
  settings.choices.erase("type_ap_cost");
  ASSERT_OK(state_->PutSettings(settings));
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
  ASSERT_OK(state_->PutProgress(progress));
  // Survives reopening.
  state_.reset();
  state_ = std::move(*StateStore::Open(dir_.File("state")));
  const EntityProgress again = *state_->GetProgress("vendor");
  EXPECT_TRUE(again.has_position);
  EXPECT_EQ(again.position_key, "V100");
  EXPECT_EQ(again.schema_fingerprint, 0xfedcba9876543210ULL);
}

TEST_F(StateStoreTest, DeepRunReplacesCheckpoints) {
  ASSERT_OK(state_->StartDeepRun(DeepRun{"r1", "beginning", {"a", "b"}, 1}));
  DeepPassCheckpoint checkpoint;
  checkpoint.entity_id = "a";
  checkpoint.run_id = "r1";
  checkpoint.after_key = "k9";
  checkpoint.acked = 9;
  ASSERT_OK(state_->PutCheckpoint(checkpoint));
  const auto run = *state_->GetDeepRun();
  ASSERT_TRUE(run.has_value());
  EXPECT_EQ(run->entity_ids, (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ((*state_->GetCheckpoint("a"))->after_key, "k9");
  ASSERT_OK(state_->StartDeepRun(DeepRun{"r2", "week", {"a"}, 2}));
  EXPECT_FALSE(state_->GetCheckpoint("a")->has_value());
  ASSERT_OK(state_->FinishDeepRun());
  EXPECT_FALSE(state_->GetDeepRun()->has_value());
}

TEST_F(StateStoreTest, HashesByGeneration) {
  ASSERT_OK(state_->PutHash("e", "k1", 11, 1));
  ASSERT_OK(state_->PutHash("e", "k2", 22, 2));
  ASSERT_OK(state_->PutHash("other", "k1", 33, 1));
  EXPECT_EQ(**state_->GetHash("e", "k1"), 11u);
  EXPECT_FALSE(state_->GetHash("e", "k3")->has_value());
  ASSERT_OK(state_->DropHashesBefore("e", 2));
  EXPECT_FALSE(state_->GetHash("e", "k1")->has_value());
  EXPECT_EQ(*state_->CountHashes("e"), 1u);
  EXPECT_EQ(*state_->CountHashes("other"), 1u);
  std::vector<std::string> keys;
  ASSERT_OK(state_->ForEachHashKey("e", [&](const std::string& key) { keys.push_back(key); }));
  EXPECT_EQ(keys, std::vector<std::string>{"k2"});
  ASSERT_OK(state_->DeleteHash("e", "k2"));
  ASSERT_OK(state_->ClearHashes("other"));
  EXPECT_EQ(*state_->CountHashes("e") + *state_->CountHashes("other"), 0u);
}

TEST_F(StateStoreTest, FailedTransactionRollsBack) {
  const Status status = state_->WithTransaction([&] {
    EXPECT_OK(state_->PutHash("e", "k1", 1, 1));
    return AbortedError("ack rejected");
  });
  EXPECT_THAT(status, StatusIs(StatusCode::kAborted));
  EXPECT_FALSE(state_->GetHash("e", "k1")->has_value());
  ASSERT_OK(state_->WithTransaction([&] { return state_->PutHash("e", "k1", 1, 1); }));
  EXPECT_TRUE(state_->GetHash("e", "k1")->has_value());
}

TEST_F(StateStoreTest, UnwritableDirectoryIsInternal) {
  const auto opened = StateStore::Open("/proc/erpsync-cannot-exist");
  EXPECT_THAT(opened, StatusIs(StatusCode::kInternal));
}

}  // namespace
}  // namespace erpsync::agent
