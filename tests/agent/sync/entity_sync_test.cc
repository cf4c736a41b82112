// EntitySync against FakeSyncServer and a tiny real ERP: deep passes (full
// and windowed, resumed, started over, stopped), incremental syncs by row
// stamp and by content hash, the key census, schema changes and the error
// paths, asserted through what the server then holds and what the agent's
// state says.
#include "agent/sync/entity_sync.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "agent/erp/sqlite_erp_source.h"
#include "agent/mapping/catalog_loader.h"
#include "agent/mapping/entity_plan.h"
#include "agent/state/state_store.h"
#include "common/civil_time.h"
#include "agent/sync/erp_checksum.h"
#include "tests/agent/sync/fake_sync_server.h"
#include "tests/agent/sync/tiny_erp.h"
#include "tests/support/status_matchers.h"
#include "tests/support/temp_dir.h"

namespace erpsync::agent::testing {
namespace {

using ::testing::ElementsAre;
using ::testing::ElementsAreArray;
using ::testing::HasSubstr;

constexpr int64_t kNow = 1'750'000'000;
constexpr int64_t kDay = 24 * 3600;
constexpr int kLag = 5;

// "first".."last" as record keys of ORDERS.
std::vector<std::string> Keys(int first, int last) {
  std::vector<std::string> keys;
  for (int id = first; id <= last; ++id) keys.push_back(std::to_string(id));
  return keys;
}

std::vector<std::string> Concat(std::vector<std::string> a, const std::vector<std::string>& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

// Raises the stop flag at the `after`-th acknowledgement.
class StopAfterAcks : public ProgressListener {
 public:
  StopAfterAcks(std::atomic<bool>* stop, int after) : stop_(stop), after_(after) {}
  void OnProgress(const EntityReport& /*entity*/) override {
    if (++acks_ == after_) stop_->store(true);
  }

 private:
  std::atomic<bool>* stop_;
  int after_;
  int acks_ = 0;
};

class EntitySyncTest : public ::testing::Test {
 protected:
  void SetUp() override {
    // Orders 1..10 stamped one a day, 10 days ago to yesterday; customers
    // C01..C05.
    for (int id = 1; id <= 10; ++id) {
      erp_.InsertOrder(id, "C0" + std::to_string(1 + id % 5), std::to_string(id) + ".50",
                       kNow - (11 - id) * kDay);
    }
    for (int i = 1; i <= 5; ++i) {
      erp_.InsertCustomer("C0" + std::to_string(i), "Customer " + std::to_string(i));
    }
    auto catalog = LoadCatalog(erp_.mappings_dir());
    ASSERT_TRUE(catalog.ok()) << catalog.status().ToString();
    catalog_ = std::move(*catalog);
    auto state = StateStore::Open(dir_.File("state"));
    ASSERT_TRUE(state.ok()) << state.status().ToString();
    state_ = std::move(*state);
    auto source = SqliteErpSource::Open(erp_.path());
    ASSERT_TRUE(source.ok()) << source.status().ToString();
    source_ = std::move(*source);
    settings_.batch_records = 2;
    settings_.window = 2;
    settings_.compression_level = 1;
    settings_.stamp_lag_seconds = kLag;
  }

  EntityPlan Plan(const std::string& id, const OptionChoices& choices = {}) const {
    const MappingDefinition* mapping = catalog_.Find(id);
    EXPECT_NE(mapping, nullptr) << id;
    Result<EntityPlan> plan = EntityPlan::Build(*mapping, choices);
    EXPECT_TRUE(plan.ok()) << plan.status().ToString();
    return *plan;
  }

  // Syncs `id` in a session of its own, as SyncRunner does after a
  // (re)connect; the session is finished when the entity ended (which fails
  // the test if the engine left it open).
  Status RunInSession(const std::string& id, const OptionChoices& choices, EntityReport* report,
                      const std::function<Status(EntitySync&, SyncSession&)>& run) {
    const EntityPlan plan = Plan(id, choices);
    report->entity_id = id;
    Result<std::unique_ptr<SyncSession>> session =
        sessions_.Open(SessionStart{"test-run", v1::SYNC_KIND_DEEP, "beginning"});
    if (!session.ok()) return session.status();
    const EntitySyncContext context{source_.get(), state_.get(), &clock_,
                                    &settings_,    progress_,    &stop_};
    EntitySync sync(context, &plan, report);
    const Status status = run(sync, **session);
    if (status.ok() || status.code() == StatusCode::kCancelled) {
      const Status finished = (*session)->Finish();
      EXPECT_TRUE(finished.ok()) << finished.ToString();
    }
    return status;
  }

  Status Deep(const std::string& id, const std::string& run_id, EntityReport* report,
              const Timeframe& timeframe = Timeframe(), const OptionChoices& choices = {}) {
    return RunInSession(id, choices, report, [&](EntitySync& sync, SyncSession& session) {
      return sync.RunDeep(session, run_id, timeframe);
    });
  }

  Status Incremental(const std::string& id, EntityReport* report,
                     const OptionChoices& choices = {}) {
    return RunInSession(id, choices, report, [&](EntitySync& sync, SyncSession& session) {
      return sync.RunIncremental(session, "incremental-run");
    });
  }

  // What the ERP holds, as `erp checksum` computes it.
  FakeFigures ErpFigures(const std::string& id, const OptionChoices& choices = {}) {
    const EntityPlan plan = Plan(id, choices);
    Result<ErpEntityChecksum> checksum = ComputeErpChecksum(*source_, plan);
    EXPECT_TRUE(checksum.ok()) << checksum.status().ToString();
    return checksum.ok() ? FakeFigures{checksum->count, checksum->checksum} : FakeFigures{};
  }

  DeepPassCheckpoint Checkpoint(const std::string& id) {
    Result<std::optional<DeepPassCheckpoint>> checkpoint = state_->GetCheckpoint(id);
    EXPECT_TRUE(checkpoint.ok() && checkpoint->has_value()) << id << " has no checkpoint";
    return checkpoint.ok() && checkpoint->has_value() ? **checkpoint : DeepPassCheckpoint();
  }

  EntityProgress Progress(const std::string& id) {
    Result<EntityProgress> progress = state_->GetProgress(id);
    EXPECT_TRUE(progress.ok()) << progress.status().ToString();
    return progress.ok() ? *progress : EntityProgress();
  }

  std::optional<uint64_t> StoredHash(const std::string& id, const std::string& key) {
    Result<std::optional<uint64_t>> hash = state_->GetHash(id, key);
    EXPECT_TRUE(hash.ok()) << hash.status().ToString();
    return hash.ok() ? *hash : std::nullopt;
  }

  uint64_t CountHashes(const std::string& id) {
    Result<uint64_t> count = state_->CountHashes(id);
    EXPECT_TRUE(count.ok()) << count.status().ToString();
    return count.ok() ? *count : 0;
  }

  // A first deep pass of `id`, which must succeed.
  void DeepSynced(const std::string& id, const std::string& run_id = "run-0") {
    EntityReport report;
    const Status status = Deep(id, run_id, &report);
    ASSERT_TRUE(status.ok()) << status.ToString();
    server_.ClearReceived();
  }

  erpsync::testing::TempDir dir_;
  TinyErp erp_{dir_.path()};
  ManualClock clock_{kNow};
  FakeSyncServer server_;
  FakeSessionFactory sessions_{&server_, 2};
  Catalog catalog_;
  std::unique_ptr<StateStore> state_;
  std::unique_ptr<SqliteErpSource> source_;
  SyncSettings settings_;
  ProgressListener* progress_ = nullptr;
  std::atomic<bool> stop_{false};
};

TEST_F(EntitySyncTest, FullDeepPassSendsEveryRowInKeyOrderAndTheServerHoldsTheErp) {
  EntityReport report;
  const Status status = Deep("order", "run-1", &report);
  ASSERT_TRUE(status.ok()) << status.ToString();

  EXPECT_EQ(report.mode, "deep");
  EXPECT_EQ(report.total, 10u);
  EXPECT_EQ(report.rows_read, 10u);
  EXPECT_EQ(report.records_sent, 10u);
  EXPECT_EQ(report.acked, 10u);
  EXPECT_EQ(report.inserted, 10u);
  EXPECT_EQ(report.deleted_by_pass, 0u);
  // Batches of two, in key order (Order_ID is an INTEGER: 10 comes last).
  EXPECT_EQ(server_.ReceivedKeys("order"), Keys(1, 10));
  EXPECT_EQ(server_.batches().size(), 5u);
  // The server holds exactly the ERP's records, and said so on closing.
  const FakeFigures erp = ErpFigures("order");
  EXPECT_EQ(erp.count, 10u);
  EXPECT_EQ(server_.Figures("order"), erp);
  EXPECT_EQ(report.server_count, erp.count);
  EXPECT_EQ(report.server_checksum, erp.checksum);

  // The pass was opened new and closed complete.
  ASSERT_EQ(server_.opens().size(), 1u);
  EXPECT_TRUE(server_.opens()[0].options.full_pass);
  EXPECT_EQ(server_.opens()[0].options.resume_generation, 0u);
  EXPECT_EQ(report.generation, server_.generation("order"));
  ASSERT_EQ(server_.closes().size(), 1u);
  EXPECT_TRUE(server_.closes()[0].complete);
  EXPECT_EQ(server_.closes()[0].records_sent, 10u);
  EXPECT_EQ(server_.open_pass("order"), 0u);

  const DeepPassCheckpoint checkpoint = Checkpoint("order");
  EXPECT_TRUE(checkpoint.done);
  EXPECT_EQ(checkpoint.acked, 10u);
  EXPECT_EQ(checkpoint.after_key, "10");
  // Incremental syncs go on from one second before the lagged start.
  const EntityProgress progress = Progress("order");
  const LocalDateTime start = ToLocalDateTime(kNow - kLag - 1);
  EXPECT_TRUE(progress.has_position);
  EXPECT_EQ(progress.position_date, start.date);
  EXPECT_EQ(progress.position_time, start.time);
  EXPECT_EQ(progress.position_key, "");
  EXPECT_EQ(progress.last_deep_sync_unix, kNow);
  EXPECT_EQ(progress.server_count, 10u);
  EXPECT_EQ(progress.schema_fingerprint, Plan("order").schema().fingerprint());
}

TEST_F(EntitySyncTest, DeepPassOfAHashModeEntityKeepsTheHashOfEveryAcknowledgedRecord) {
  server_.InjectFault(FakeCall::kSendBatch, 3, UnavailableError("connection reset"));
  EntityReport interrupted;
  EXPECT_EQ(Deep("customer", "run-1", &interrupted).code(), StatusCode::kUnavailable);
  // Batch 1 was acknowledged; batch 2 is stored on the server but its
  // acknowledgement was lost: only batch 1's hashes are kept.
  EXPECT_EQ(server_.LiveKeys("customer"), (std::vector<std::string>{"C01", "C02", "C03", "C04"}));
  EXPECT_EQ(CountHashes("customer"), 2u);

  EntityReport resumed;
  const Status status = Deep("customer", "run-1", &resumed);
  ASSERT_TRUE(status.ok()) << status.ToString();
  EXPECT_EQ(server_.Figures("customer"), ErpFigures("customer"));
  EXPECT_EQ(CountHashes("customer"), 5u);
  // The agent's hashes are the server's.
  for (const std::string& key : server_.LiveKeys("customer")) {
    EXPECT_EQ(StoredHash("customer", key), server_.Record("customer", key)->content_hash) << key;
  }
  EXPECT_FALSE(Progress("customer").has_position);
}

TEST_F(EntitySyncTest, InterruptedDeepPassResumesAfterTheLastAcknowledgedKey) {
  server_.InjectFault(FakeCall::kSendBatch, 4, UnavailableError("connection reset"));
  EntityReport first;
  const Status interrupted = Deep("order", "run-1", &first);
  EXPECT_EQ(interrupted.ToString(), "UNAVAILABLE: connection reset");
  // Batches 1 and 2 were acknowledged; batch 3 was stored, its
  // acknowledgement lost with the session; batch 4 never arrived.
  EXPECT_EQ(first.acked, 4u);
  const DeepPassCheckpoint checkpoint = Checkpoint("order");
  EXPECT_FALSE(checkpoint.done);
  EXPECT_EQ(checkpoint.run_id, "run-1");
  EXPECT_EQ(checkpoint.acked, 4u);
  EXPECT_EQ(checkpoint.after_key, "4");
  EXPECT_EQ(server_.LiveKeys("order").size(), 6u);
  EXPECT_TRUE(server_.closes().empty());
  const uint64_t generation = server_.open_pass("order");
  EXPECT_NE(generation, 0u);
  EXPECT_EQ(checkpoint.generation, generation);

  EntityReport second;
  const Status resumed = Deep("order", "run-1", &second);
  ASSERT_TRUE(resumed.ok()) << resumed.ToString();
  EXPECT_EQ(server_.opens().back().options.resume_generation, generation);
  EXPECT_EQ(second.generation, generation);
  EXPECT_EQ(second.resumed_at, 4u);
  EXPECT_EQ(second.total, 10u);
  EXPECT_EQ(second.records_sent, 6u);
  // Only the unacknowledged window (batch 3: orders 5 and 6) went twice.
  EXPECT_EQ(server_.ReceivedKeys("order"), Concat(Keys(1, 6), Keys(5, 10)));
  EXPECT_EQ(second.unchanged, 2u);
  EXPECT_EQ(second.inserted, 4u);
  EXPECT_EQ(second.deleted_by_pass, 0u);
  EXPECT_EQ(server_.Figures("order"), ErpFigures("order"));
  EXPECT_TRUE(Checkpoint("order").done);
  EXPECT_EQ(Checkpoint("order").acked, 10u);
}

TEST_F(EntitySyncTest, PassTheServerNoLongerHasOpenIsStartedOver) {
  server_.InjectFault(FakeCall::kSendBatch, 3, UnavailableError("connection reset"));
  EntityReport first;
  EXPECT_EQ(Deep("order", "run-1", &first).code(), StatusCode::kUnavailable);
  ASSERT_EQ(Checkpoint("order").acked, 2u);
  const uint64_t lost = server_.open_pass("order");
  server_.DropOpenPass("order");

  // The server refuses the resume, which ends the session (as every error
  // does): the attempt fails with an error worth a reconnect...
  EntityReport refused;
  const Status status = Deep("order", "run-1", &refused);
  EXPECT_TRUE(IsRetryable(status.code())) << status.ToString();
  EXPECT_THAT(status.message(), HasSubstr("no longer open"));
  EXPECT_EQ(server_.opens().back().options.resume_generation, lost);
  EXPECT_EQ(server_.opens().back().status.code(), StatusCode::kFailedPrecondition);

  // ... after which the entity starts over with a new pass.
  server_.ClearReceived();
  EntityReport over;
  const Status started_over = Deep("order", "run-1", &over);
  ASSERT_TRUE(started_over.ok()) << started_over.ToString();
  ASSERT_EQ(server_.opens().size(), 1u);
  EXPECT_EQ(server_.opens()[0].options.resume_generation, 0u);
  EXPECT_GT(over.generation, lost);
  EXPECT_EQ(over.resumed_at, 0u);
  EXPECT_EQ(over.records_sent, 10u);
  EXPECT_EQ(server_.ReceivedKeys("order"), Keys(1, 10));
  EXPECT_EQ(server_.Figures("order"), ErpFigures("order"));
  EXPECT_TRUE(Checkpoint("order").done);
  EXPECT_EQ(Checkpoint("order").acked, 10u);
}

TEST_F(EntitySyncTest, PassClosedOnTheServerWhoseAnswerWasLostIsStartedOver) {
  // The server closed the pass; the connection failed before its answer.
  server_.InjectFault(FakeCall::kCloseEntity, 1, UnavailableError("connection reset"), 1,
                      FaultTiming::kAfterApplying);
  EntityReport first;
  EXPECT_EQ(Deep("order", "run-1", &first).ToString(), "UNAVAILABLE: connection reset");
  EXPECT_EQ(server_.open_pass("order"), 0u);
  EXPECT_EQ(server_.Figures("order"), ErpFigures("order"));
  EXPECT_FALSE(Checkpoint("order").done);

  // Resuming is refused; the attempt after that reads the entity again and
  // changes nothing.
  Status status;
  EntityReport last;
  for (int attempt = 0; attempt < 3; ++attempt) {
    last = EntityReport();
    status = Deep("order", "run-1", &last);
    if (!IsRetryable(status.code())) break;
  }
  ASSERT_TRUE(status.ok()) << status.ToString();
  EXPECT_EQ(last.records_sent, 10u);
  EXPECT_EQ(last.unchanged, 10u);
  EXPECT_EQ(last.deleted_by_pass, 0u);
  EXPECT_EQ(server_.Figures("order"), ErpFigures("order"));
}

TEST_F(EntitySyncTest, PassCompletedByTheSameRunIsSkipped) {
  EntityReport first;
  ASSERT_TRUE(Deep("order", "run-1", &first).ok());
  server_.ClearReceived();

  EntityReport again;
  ASSERT_TRUE(Deep("order", "run-1", &again).ok());
  EXPECT_TRUE(again.skipped);
  EXPECT_EQ(again.resumed_at, 10u);
  EXPECT_EQ(again.records_sent, 0u);
  EXPECT_TRUE(server_.opens().empty());
  EXPECT_TRUE(server_.batches().empty());

  // Another run reads it again.
  EntityReport next;
  ASSERT_TRUE(Deep("order", "run-2", &next).ok());
  EXPECT_FALSE(next.skipped);
  EXPECT_EQ(next.records_sent, 10u);
  EXPECT_EQ(next.unchanged, 10u);
}

TEST_F(EntitySyncTest, CompleteFullPassDeletesWhatItDidNotSeeAndAWindowedPassNever) {
  DeepSynced("order");
  erp_.DeleteOrder(3);
  erp_.DeleteOrder(9);

  // Orders 8..10 are stamped within the last three days; 9 is gone.
  const std::string since = ToLocalDateTime(kNow - 3 * kDay).date;
  EntityReport windowed;
  const Status status = Deep("order", "run-1", &windowed, Timeframe{since, since});
  ASSERT_TRUE(status.ok()) << status.ToString();
  EXPECT_EQ(windowed.mode, "deep since " + since);
  EXPECT_EQ(server_.ReceivedKeys("order"), (std::vector<std::string>{"8", "10"}));
  EXPECT_FALSE(server_.opens().back().options.full_pass);
  EXPECT_TRUE(server_.closes().back().complete);
  EXPECT_EQ(windowed.deleted_by_pass, 0u);
  EXPECT_EQ(windowed.server_count, 10u);
  EXPECT_EQ(server_.Figures("order").count, 10u);

  EntityReport full;
  ASSERT_TRUE(Deep("order", "run-2", &full).ok());
  EXPECT_EQ(full.deleted_by_pass, 2u);
  EXPECT_EQ(full.unchanged, 8u);
  EXPECT_EQ(full.server_count, 8u);
  EXPECT_EQ(server_.LiveKeys("order"),
            (std::vector<std::string>{"1", "10", "2", "4", "5", "6", "7", "8"}));
  EXPECT_EQ(server_.Figures("order"), ErpFigures("order"));
}

TEST_F(EntitySyncTest, StopFlagClosesTheEntityIncompleteAndKeepsTheCheckpoint) {
  DeepSynced("order");
  erp_.DeleteOrder(10);
  StopAfterAcks stopper(&stop_, 2);
  progress_ = &stopper;

  EntityReport stopped;
  EXPECT_EQ(Deep("order", "run-1", &stopped).ToString(), "CANCELLED: sync stopped");
  // The batches in flight were acknowledged, then the entity was closed
  // incomplete: the pass stays open and deletes nothing.
  EXPECT_LT(stopped.acked, 9u);
  EXPECT_EQ(stopped.acked, server_.ReceivedKeys("order").size());
  ASSERT_EQ(server_.closes().size(), 1u);
  EXPECT_FALSE(server_.closes()[0].complete);
  EXPECT_EQ(server_.closes()[0].closed.deleted_by_pass, 0u);
  EXPECT_EQ(server_.Figures("order").count, 10u);
  EXPECT_EQ(server_.open_pass("order"), stopped.generation);
  const DeepPassCheckpoint checkpoint = Checkpoint("order");
  EXPECT_FALSE(checkpoint.done);
  EXPECT_EQ(checkpoint.acked, stopped.acked);
  EXPECT_EQ(checkpoint.after_key, server_.ReceivedKeys("order").back());

  // Resumed, the pass completes and deletes the order it never saw.
  stop_.store(false);
  progress_ = nullptr;
  EntityReport resumed;
  ASSERT_TRUE(Deep("order", "run-1", &resumed).ok());
  EXPECT_EQ(resumed.resumed_at, stopped.acked);
  EXPECT_EQ(resumed.records_sent, 9u - stopped.acked);
  EXPECT_EQ(resumed.deleted_by_pass, 1u);
  EXPECT_EQ(server_.Figures("order"), ErpFigures("order"));
}

TEST_F(EntitySyncTest, IncrementalByRowStampSendsRowsStampedAfterThePositionUpToTheLaggedClock) {
  DeepSynced("order");
  erp_.UpdateOrder(2, "99.00", kNow + 10);
  erp_.InsertOrder(11, "C01", "1.00", kNow + 20);
  erp_.InsertOrder(12, "C02", "2.00", kNow + 58);  // within the lag of the next sync
  clock_.Set(kNow + 60);

  EntityReport report;
  const Status status = Incremental("order", &report);
  ASSERT_TRUE(status.ok()) << status.ToString();
  EXPECT_EQ(report.mode, "incremental (row stamp)");
  EXPECT_EQ(server_.ReceivedKeys("order"), (std::vector<std::string>{"2", "11"}));
  EXPECT_EQ(report.updated, 1u);
  EXPECT_EQ(report.inserted, 1u);
  EXPECT_FALSE(server_.opens()[0].options.full_pass);
  EntityProgress progress = Progress("order");
  EXPECT_EQ(progress.position_date, ToLocalDateTime(kNow + 20).date);
  EXPECT_EQ(progress.position_time, ToLocalDateTime(kNow + 20).time);
  EXPECT_EQ(progress.position_key, "11");
  EXPECT_EQ(progress.last_sync_unix, kNow + 60);
  EXPECT_EQ(progress.server_count, 11u);

  // Once the lag has passed, the row written last is sent, alone.
  server_.ClearReceived();
  clock_.Set(kNow + 120);
  EntityReport next;
  ASSERT_TRUE(Incremental("order", &next).ok());
  EXPECT_EQ(server_.ReceivedKeys("order"), (std::vector<std::string>{"12"}));
  EXPECT_EQ(server_.Figures("order"), ErpFigures("order"));
  EXPECT_EQ(Progress("order").position_key, "12");
}

TEST_F(EntitySyncTest, IncrementalByRowStampSavesThePositionOnEachAcknowledgement) {
  DeepSynced("order");
  for (int id = 11; id <= 16; ++id) erp_.InsertOrder(id, "C01", "1.00", kNow + id - 10);
  clock_.Set(kNow + 60);
  server_.InjectFault(FakeCall::kSendBatch, 3, UnavailableError("connection reset"));

  EntityReport interrupted;
  EXPECT_EQ(Incremental("order", &interrupted).ToString(), "UNAVAILABLE: connection reset");
  // Batch [11, 12] was acknowledged; [13, 14] was stored, unacknowledged.
  EntityProgress progress = Progress("order");
  EXPECT_EQ(progress.position_key, "12");
  EXPECT_EQ(progress.position_date, ToLocalDateTime(kNow + 2).date);
  EXPECT_EQ(progress.position_time, ToLocalDateTime(kNow + 2).time);

  server_.ClearReceived();
  EntityReport resumed;
  ASSERT_TRUE(Incremental("order", &resumed).ok());
  EXPECT_EQ(server_.ReceivedKeys("order"), Keys(13, 16));
  EXPECT_EQ(resumed.unchanged, 2u);
  EXPECT_EQ(resumed.inserted, 2u);
  EXPECT_EQ(server_.Figures("order"), ErpFigures("order"));
  EXPECT_EQ(Progress("order").position_key, "16");
}

TEST_F(EntitySyncTest, IncrementalByContentHashSendsChangedRowsAndDeletionsOfKeysGone) {
  DeepSynced("customer");
  erp_.UpdateCustomer("C02", "Renamed");
  erp_.DeleteCustomer("C04");
  erp_.InsertCustomer("C06", "Newcomer");

  EntityReport report;
  const Status status = Incremental("customer", &report);
  ASSERT_TRUE(status.ok()) << status.ToString();
  EXPECT_EQ(report.mode, "incremental (content hash)");
  EXPECT_EQ(report.rows_read, 5u);
  EXPECT_EQ(report.records_sent, 3u);
  EXPECT_EQ(report.deletions_sent, 1u);
  EXPECT_EQ(report.updated, 1u);
  EXPECT_EQ(report.inserted, 1u);
  EXPECT_EQ(report.deleted, 1u);
  const std::vector<ReceivedBatch> batches = server_.batches();
  ASSERT_EQ(batches.size(), 2u);
  ASSERT_EQ(batches[0].records.size(), 2u);
  EXPECT_EQ(batches[0].records[0].key, "C02");
  EXPECT_EQ(batches[0].records[1].key, "C06");
  ASSERT_EQ(batches[1].records.size(), 1u);
  EXPECT_EQ(batches[1].records[0].key, "C04");
  EXPECT_TRUE(batches[1].records[0].deleted);
  EXPECT_EQ(server_.Figures("customer"), ErpFigures("customer"));
  // The hashes follow the acknowledgements.
  EXPECT_EQ(CountHashes("customer"), 5u);
  EXPECT_EQ(StoredHash("customer", "C04"), std::nullopt);
  EXPECT_EQ(StoredHash("customer", "C02"), server_.Record("customer", "C02")->content_hash);

  // Nothing changed since: nothing to send.
  server_.ClearReceived();
  EntityReport quiet;
  ASSERT_TRUE(Incremental("customer", &quiet).ok());
  EXPECT_EQ(quiet.records_sent, 0u);
  EXPECT_TRUE(server_.batches().empty());
}

TEST_F(EntitySyncTest, KeyCensusRunsWhenTheErpHoldsFewerRowsThanTheServer) {
  DeepSynced("order");
  erp_.DeleteOrder(4);
  erp_.DeleteOrder(7);
  clock_.Set(kNow + 60);

  EntityReport report;
  const Status status = Incremental("order", &report);
  ASSERT_TRUE(status.ok()) << status.ToString();
  EXPECT_EQ(report.mode, "incremental (row stamp) + key census");
  EXPECT_EQ(report.records_sent, 0u);
  EXPECT_EQ(report.deleted_by_pass, 2u);
  EXPECT_EQ(report.server_count, 8u);
  ASSERT_EQ(server_.opens().size(), 2u);
  EXPECT_TRUE(server_.opens()[1].options.census);
  std::vector<std::string> listed;
  for (const ReceivedBatch& batch : server_.batches()) {
    EXPECT_TRUE(batch.census);
    EXPECT_TRUE(batch.records.empty());
    listed.insert(listed.end(), batch.present_keys.begin(), batch.present_keys.end());
  }
  EXPECT_THAT(listed, ElementsAre("1", "2", "3", "5", "6", "8", "9", "10"));
  ASSERT_EQ(server_.closes().size(), 2u);
  EXPECT_TRUE(server_.closes()[1].census);
  EXPECT_TRUE(server_.closes()[1].complete);
  EXPECT_EQ(server_.Figures("order"), ErpFigures("order"));

  // The counts agree again: no census.
  server_.ClearReceived();
  EntityReport quiet;
  ASSERT_TRUE(Incremental("order", &quiet).ok());
  EXPECT_EQ(quiet.mode, "incremental (row stamp)");
  EXPECT_EQ(server_.opens().size(), 1u);
}

TEST_F(EntitySyncTest, InterruptedKeyCensusDeletesNothing) {
  DeepSynced("order");
  erp_.DeleteOrder(4);
  clock_.Set(kNow + 60);
  // The census's end (the second EntityEnd) is lost.
  server_.InjectFault(FakeCall::kCloseEntity, 2, UnavailableError("connection reset"));

  EntityReport interrupted;
  EXPECT_EQ(Incremental("order", &interrupted).ToString(), "UNAVAILABLE: connection reset");
  EXPECT_EQ(server_.Figures("order").count, 10u);
  EXPECT_TRUE(server_.Record("order", "4").has_value());
  EXPECT_FALSE(server_.Record("order", "4")->deleted);

  EntityReport again;
  ASSERT_TRUE(Incremental("order", &again).ok());
  EXPECT_EQ(again.deleted_by_pass, 1u);
  EXPECT_EQ(server_.Figures("order"), ErpFigures("order"));
}

TEST_F(EntitySyncTest, SchemaChangeMakesTheNextIncrementalSendEverythingAgain) {
  DeepSynced("order");
  DeepSynced("customer");
  clock_.Set(kNow + 60);
  // Unticking a field changes the schema and its fingerprint.
  const OptionChoices no_amount{{"amount", false}};
  const OptionChoices no_name{{"name", false}};
  ASSERT_NE(Plan("order", no_amount).schema().fingerprint(), Plan("order").schema().fingerprint());

  EntityReport orders;
  ASSERT_TRUE(Incremental("order", &orders, no_amount).ok());
  EXPECT_EQ(server_.ReceivedKeys("order"), Keys(1, 10));
  EXPECT_EQ(orders.updated, 10u);
  EXPECT_EQ(Progress("order").schema_fingerprint, Plan("order", no_amount).schema().fingerprint());
  EXPECT_EQ(server_.Figures("order"), ErpFigures("order", no_amount));

  EntityReport customers;
  ASSERT_TRUE(Incremental("customer", &customers, no_name).ok());
  EXPECT_THAT(server_.ReceivedKeys("customer"), ElementsAre("C01", "C02", "C03", "C04", "C05"));
  EXPECT_EQ(customers.updated, 5u);
  EXPECT_EQ(customers.deletions_sent, 0u);
  EXPECT_EQ(StoredHash("customer", "C03"), server_.Record("customer", "C03")->content_hash);
  EXPECT_EQ(server_.Figures("customer"), ErpFigures("customer", no_name));

  // And then nothing more.
  server_.ClearReceived();
  EntityReport quiet_orders;
  EntityReport quiet_customers;
  ASSERT_TRUE(Incremental("order", &quiet_orders, no_amount).ok());
  ASSERT_TRUE(Incremental("customer", &quiet_customers, no_name).ok());
  EXPECT_TRUE(server_.batches().empty());
}

TEST_F(EntitySyncTest, BatchRefusedByTheServerFailsTheEntityWithTheServersError) {
  server_.InjectFault(FakeCall::kSendBatch, 3, InvalidArgumentError("record '5': bad value"));
  EntityReport report;
  EXPECT_EQ(Deep("order", "run-1", &report).ToString(), "INVALID_ARGUMENT: record '5': bad value");
  // What was acknowledged stays; the pass stays open; nothing is closed.
  EXPECT_EQ(Checkpoint("order").acked, 2u);
  EXPECT_TRUE(server_.closes().empty());
  EXPECT_NE(server_.open_pass("order"), 0u);
}

TEST_F(EntitySyncTest, RowThatDoesNotConvertIsSetAsideAndEveryOtherRowIsSent) {
  EntityReport first;
  ASSERT_OK(Deep("order", "run-1", &first));
  const std::optional<FakeRecord> before = server_.Record("order", "7");
  ASSERT_TRUE(before.has_value());
  erp_.Exec("UPDATE ORDERS SET Amount = 'n/a' WHERE Order_ID = 7");
  server_.ClearReceived();

  EntityReport report;
  ASSERT_OK(Deep("order", "run-2", &report));
  EXPECT_EQ(report.rows_read, 10u);
  EXPECT_EQ(report.records_sent, 9u);
  EXPECT_EQ(report.quarantined, 1u);
  ASSERT_EQ(report.quarantine.size(), 1u);
  EXPECT_EQ(report.quarantine[0].key, "7");
  EXPECT_EQ(report.quarantine[0].where, "rowid 7");
  EXPECT_EQ(report.quarantine[0].column, "Amount");
  EXPECT_EQ(report.quarantine[0].value, "n/a");
  EXPECT_THAT(report.quarantine[0].reason, HasSubstr("'n/a'"));
  // The rows before and after it were sent; its key asked the server to
  // keep its record, so the complete pass deleted nothing.
  EXPECT_THAT(server_.ReceivedKeys("order"),
              ElementsAre("1", "2", "3", "4", "5", "6", "8", "9", "10"));
  std::vector<std::string> kept;
  for (const ReceivedBatch& batch : server_.batches()) {
    kept.insert(kept.end(), batch.kept_keys.begin(), batch.kept_keys.end());
  }
  EXPECT_THAT(kept, ElementsAre("7"));
  ASSERT_EQ(server_.closes().size(), 1u);
  EXPECT_TRUE(server_.closes()[0].complete);
  EXPECT_EQ(report.deleted_by_pass, 0u);
  EXPECT_TRUE(report.deletions_skipped.empty());
  const std::optional<FakeRecord> kept_record = server_.Record("order", "7");
  ASSERT_TRUE(kept_record.has_value());
  EXPECT_FALSE(kept_record->deleted);
  EXPECT_EQ(kept_record->content_hash, before->content_hash);
  // The quarantine remembers it.
  ASSERT_OK_AND_ASSIGN(const std::vector<QuarantineEntry> entries,
                       state_->ListQuarantined("order", 10));
  ASSERT_EQ(entries.size(), 1u);
  EXPECT_EQ(entries[0].key, "7");
  EXPECT_EQ(entries[0].column, "Amount");
}

TEST_F(EntitySyncTest, QuarantinedRowIsRetriedByTheNextSyncAndLeavesOnceItReadsCleanly) {
  erp_.Exec("UPDATE ORDERS SET Amount = '1,234.56' WHERE Order_ID = 4");
  EntityReport deep;
  ASSERT_OK(Deep("order", "run-1", &deep));
  EXPECT_EQ(deep.quarantined, 1u);
  EXPECT_FALSE(server_.Record("order", "4").has_value());

  // Still bad: the incremental reads it again by its key (its stamp did not
  // change) and keeps it aside.
  server_.ClearReceived();
  EntityReport still;
  ASSERT_OK(Incremental("order", &still));
  EXPECT_EQ(still.quarantined, 1u);
  EXPECT_EQ(*state_->CountQuarantined("order"), 1u);
  EXPECT_TRUE(server_.ReceivedKeys("order").empty());

  // Fixed in the ERP without touching its stamp: the next sync sends it and
  // it leaves the quarantine.
  erp_.Exec("UPDATE ORDERS SET Amount = '1234.56' WHERE Order_ID = 4");
  server_.ClearReceived();
  EntityReport fixed;
  ASSERT_OK(Incremental("order", &fixed));
  EXPECT_EQ(fixed.quarantined, 0u);
  EXPECT_THAT(server_.ReceivedKeys("order"), ElementsAre("4"));
  EXPECT_EQ(*state_->CountQuarantined("order"), 0u);
  EXPECT_EQ(server_.Figures("order"), ErpFigures("order"));
}

TEST_F(EntitySyncTest, RowsWithoutAUsableKeyAreSetAsideAndTheFullPassDeletesNothing) {
  EntityReport first;
  ASSERT_OK(Deep("customer", "run-1", &first));
  // C03's key blanked: the record C03 must not be deleted as if it were gone.
  erp_.Exec("UPDATE CUSTOMERS SET Code = '' WHERE Code = 'C03'");
  server_.ClearReceived();
  EntityReport report;
  ASSERT_OK(Deep("customer", "run-2", &report));
  EXPECT_EQ(report.quarantined, 1u);
  ASSERT_EQ(report.quarantine.size(), 1u);
  EXPECT_EQ(report.quarantine[0].key, "");
  EXPECT_EQ(report.quarantine[0].where, "rowid 3");
  EXPECT_EQ(report.quarantine[0].column, "Code");
  EXPECT_EQ(report.quarantine[0].reason, "the key is empty (NULL or blank)");
  EXPECT_THAT(server_.ReceivedKeys("customer"), ElementsAre("C01", "C02", "C04", "C05"));
  ASSERT_EQ(server_.closes().size(), 1u);
  EXPECT_FALSE(server_.closes()[0].complete);
  EXPECT_THAT(report.deletions_skipped, HasSubstr("without a usable key"));
  EXPECT_TRUE(server_.Record("customer", "C03").has_value());
  EXPECT_FALSE(server_.Record("customer", "C03")->deleted);
}

TEST_F(EntitySyncTest, RowsSharingAKeyAreAllSetAsideAndTheServerKeepsItsVersion) {
  EntityReport first;
  ASSERT_OK(Deep("order", "run-1", &first));
  const uint64_t hash_before = server_.Record("order", "5")->content_hash;
  // A copy of the table without its primary key, and a second row 5.
  erp_.Exec(
      "CREATE TABLE ORDERS_COPY AS SELECT * FROM ORDERS; DROP TABLE ORDERS;"
      "ALTER TABLE ORDERS_COPY RENAME TO ORDERS;"
      "INSERT INTO ORDERS SELECT Order_ID, Customer, '99.00', Date_Stamp, Time_Stamp "
      "FROM ORDERS WHERE Order_ID = 5;");
  server_.ClearReceived();
  EntityReport report;
  ASSERT_OK(Deep("order", "run-2", &report));
  EXPECT_EQ(report.rows_read, 11u);
  EXPECT_EQ(report.quarantined, 2u);
  ASSERT_EQ(report.quarantine.size(), 1u);
  EXPECT_EQ(report.quarantine[0].key, "5");
  EXPECT_EQ(report.quarantine[0].where, "rowid 5, rowid 11");
  EXPECT_EQ(report.quarantine[0].reason, "duplicate key: 2 rows of the read share it; none is sent");
  // Neither row 5 was sent; the server keeps its last version of record 5.
  EXPECT_THAT(server_.ReceivedKeys("order"),
              ElementsAre("1", "2", "3", "4", "6", "7", "8", "9", "10"));
  EXPECT_TRUE(server_.closes()[0].complete);
  ASSERT_TRUE(server_.Record("order", "5").has_value());
  EXPECT_FALSE(server_.Record("order", "5")->deleted);
  EXPECT_EQ(server_.Record("order", "5")->content_hash, hash_before);
}

TEST_F(EntitySyncTest, TextInvalidInTheErpsEncodingIsSetAsideNotSent) {
  erp_.Exec("UPDATE CUSTOMERS SET Name = CAST(X'C328' AS TEXT) WHERE Code = 'C02';"
            "UPDATE CUSTOMERS SET Name = X'0102' WHERE Code = 'C04'");
  EntityReport report;
  ASSERT_OK(Deep("customer", "run-1", &report));
  EXPECT_EQ(report.quarantined, 2u);
  ASSERT_EQ(report.quarantine.size(), 2u);
  EXPECT_EQ(report.quarantine[0].key, "C02");
  EXPECT_EQ(report.quarantine[0].value, "\\xC3(");
  EXPECT_EQ(report.quarantine[0].reason,
            "not valid text: byte 0xC3 at offset 0 starts no valid UTF-8 sequence");
  EXPECT_EQ(report.quarantine[1].key, "C04");
  EXPECT_EQ(report.quarantine[1].reason, "binary data (BLOB) of 2 bytes, not text");
  EXPECT_THAT(server_.ReceivedKeys("customer"), ElementsAre("C01", "C03", "C05"));
}

TEST_F(EntitySyncTest, RowStampedInTheFutureIsSentOncePerChangeWithoutMovingThePosition) {
  EntityReport deep;
  ASSERT_OK(Deep("order", "run-1", &deep));
  const EntityProgress after_deep = *state_->GetProgress("order");
  // A typo: stamped 2099.
  erp_.InsertOrder(11, "C01", "11.00", 4'102'444'800);  // 2100-01-01
  server_.ClearReceived();
  EntityReport first;
  ASSERT_OK(Incremental("order", &first));
  EXPECT_THAT(server_.ReceivedKeys("order"), ElementsAre("11"));
  EXPECT_THAT(first.mode, HasSubstr("1 rows stamped in the future"));
  const EntityProgress position = *state_->GetProgress("order");
  EXPECT_LE(position.position_date, ToLocalDateTime(kNow).date);
  EXPECT_EQ(position.position_date, after_deep.position_date);

  // Unchanged: not sent again.
  server_.ClearReceived();
  EntityReport second;
  ASSERT_OK(Incremental("order", &second));
  EXPECT_TRUE(server_.ReceivedKeys("order").empty());

  // Changed (still in the future): sent once more; and a later change of an
  // ordinary row is still picked up.
  erp_.Exec("UPDATE ORDERS SET Amount = '12.00' WHERE Order_ID = 11");
  clock_.Advance(kLag + 60);
  erp_.UpdateOrder(3, "3.75", clock_.NowUnix() - kLag - 30);
  server_.ClearReceived();
  EntityReport third;
  ASSERT_OK(Incremental("order", &third));
  EXPECT_THAT(server_.ReceivedKeys("order"), ::testing::UnorderedElementsAre("3", "11"));
  EXPECT_EQ(server_.Figures("order"), ErpFigures("order"));
}

TEST_F(EntitySyncTest, RefusedSessionErrorsComeBackAsTheyAre) {
  server_.InjectFault(FakeCall::kOpenEntity, 1, PermissionDeniedError("token of a user"));
  EntityReport deep;
  EXPECT_EQ(Deep("order", "run-1", &deep).ToString(), "PERMISSION_DENIED: token of a user");
  server_.InjectFault(FakeCall::kOpenEntity, 1, UnauthenticatedError("token revoked"));
  EntityReport incremental;
  EXPECT_EQ(Incremental("customer", &incremental).ToString(), "UNAUTHENTICATED: token revoked");
  EXPECT_TRUE(server_.batches().empty());
}

}  // namespace
}  // namespace erpsync::agent::testing
