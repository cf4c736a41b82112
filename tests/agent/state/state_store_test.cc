#include "agent/state/state_store.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <thread>
#include <vector>

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

TEST(StateStoreFilesTest, StateIsPrivateToItsOwnerWhateverTheUmask) {
  testing::TempDir dir;
  const mode_t previous = ::umask(0);
  Result<std::unique_ptr<StateStore>> state = StateStore::Open(dir.File("state"));
  ::umask(previous);
  ASSERT_OK(state);
  EntityProgress progress;
  progress.entity_id = "vendor";
  ASSERT_OK((*state)->PutProgress(progress));
  for (const char* name : {"state", "state/state.db", "state/state.db-wal", "state/state.db-shm"}) {
    struct stat info {};
    ASSERT_EQ(::stat(dir.File(name).c_str(), &info), 0) << name;
    EXPECT_EQ(info.st_mode & 0777, std::string(name) == "state" ? 0700u : 0600u) << name;
  }
}

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

namespace erpsync::agent {
namespace {

// Two processes on one state directory (the service and an administrator's
// command), as two connections.
class SharedStateTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_OK_AND_ASSIGN(service_, StateStore::Open(dir_.File("state")));
    ASSERT_OK_AND_ASSIGN(admin_, StateStore::Open(dir_.File("state")));
  }
  static MappingSettings Settings(const std::string& id, bool enabled) {
    MappingSettings settings;
    settings.entity_id = id;
    settings.enabled = enabled;
    settings.choices = {{"employee", enabled}};
    return settings;
  }
  testing::TempDir dir_;
  std::unique_ptr<StateStore> service_;
  std::unique_ptr<StateStore> admin_;
};

TEST_F(SharedStateTest, AReadLeavesNoSnapshotThatLocksTheNextWriteOut) {
  ASSERT_OK(service_->PutSettings(Settings("vendor", true)));
  ASSERT_OK(service_->PutProgress(*service_->GetProgress("vendor")));
  // The service reads; the administrator changes a mapping; the service
  // saves its progress, then reads and writes in one transaction.
  ASSERT_OK(service_->GetSettings("vendor"));
  ASSERT_OK(service_->GetProgress("vendor"));
  ASSERT_OK(admin_->PutSettings(Settings("vendor", false)));
  EntityProgress progress = *service_->GetProgress("vendor");
  progress.records_last_synced = 7;
  EXPECT_OK(service_->PutProgress(progress));
  EXPECT_OK(service_->WithTransaction([&]() -> Status {
    ERPSYNC_ASSIGN_OR_RETURN(std::optional<MappingSettings> settings,
                             service_->GetSettings("vendor"));
    EXPECT_TRUE(settings.has_value() && !settings->enabled);
    return service_->PutProgress(progress);
  }));
  EXPECT_EQ(admin_->GetProgress("vendor")->records_last_synced, 7u);
}

TEST_F(SharedStateTest, HashReadsShareATransactionThatLocksNoWriteOut) {
  ASSERT_OK(service_->PutHash("cost_code", "a", 11, 1));
  ASSERT_OK(service_->PutHash("cost_code", "b", 22, 1));
  // The service looks hashes up (one read transaction for consecutive
  // calls); meanwhile the administrator writes, and so does the service.
  EXPECT_EQ(*service_->GetHash("cost_code", "a"), std::optional<uint64_t>(11));
  ASSERT_OK(admin_->PutHash("cost_code", "b", 23, 2));
  ASSERT_OK(admin_->ClearQuarantinedKey("cost_code", "a"));
  EXPECT_OK(service_->PutHash("cost_code", "a", 12, 2));
  // Any other call ends the shared read: the next lookup sees both writes.
  EXPECT_EQ(*service_->GetHash("cost_code", "b"), std::optional<uint64_t>(23));
  EXPECT_EQ(*service_->GetHash("cost_code", "a"), std::optional<uint64_t>(12));
  // Many lookups in a row, past the transaction's length, while the
  // administrator writes between them: none fails, nothing is locked out.
  for (int i = 0; i < 3 * StateStore::kHashReadsPerTransaction; ++i) {
    ASSERT_OK(service_->GetHash("cost_code", "k" + std::to_string(i)));
    if (i % 500 == 0) {
      ASSERT_OK(admin_->PutHash("cost_code", "x" + std::to_string(i), 1, 3));
    }
  }
  EXPECT_OK(service_->WithTransaction([&]() -> Status {
    return service_->PutHash("cost_code", "c", 33, 3);
  }));
  EXPECT_EQ(*admin_->GetHash("cost_code", "c"), std::optional<uint64_t>(33));
  EXPECT_EQ(*admin_->CountHashes("cost_code"), uint64_t{9});
}

TEST_F(SharedStateTest, ConcurrentWritersOfBothProcessesAllSucceed) {
  constexpr int kRounds = 150;
  const auto work = [&](StateStore* state, const std::string& id, std::vector<Status>* failures) {
    for (int i = 0; i < kRounds; ++i) {
      Status status = state->PutSettings(Settings(id, i % 2 == 0));
      if (status.ok()) status = state->GetSettings(id == "a" ? "b" : "a").status();
      if (status.ok()) {
        status = state->WithTransaction([&]() -> Status {
          ERPSYNC_ASSIGN_OR_RETURN(EntityProgress progress, state->GetProgress(id));
          ++progress.records_last_synced;
          ERPSYNC_RETURN_IF_ERROR(state->PutHash(id, "k" + std::to_string(i), 1, 1));
          return state->PutProgress(progress);
        });
      }
      if (!status.ok()) failures->push_back(status);
    }
  };
  std::vector<Status> service_failures;
  std::vector<Status> admin_failures;
  std::thread service(work, service_.get(), "a", &service_failures);
  std::thread admin(work, admin_.get(), "b", &admin_failures);
  service.join();
  admin.join();
  EXPECT_TRUE(service_failures.empty()) << service_failures.front().ToString();
  EXPECT_TRUE(admin_failures.empty()) << admin_failures.front().ToString();
  EXPECT_EQ(service_->GetProgress("a")->records_last_synced, uint64_t{kRounds});
  EXPECT_EQ(service_->GetProgress("b")->records_last_synced, uint64_t{kRounds});
  EXPECT_EQ(*admin_->CountHashes("a"), uint64_t{kRounds});
}

}  // namespace
}  // namespace erpsync::agent
