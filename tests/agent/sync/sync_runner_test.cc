// SyncRunner against FakeSyncServer and a tiny real ERP: entity selection,
// reconnects with backoff and their budget, errors that end the run and
// errors that end only their entity, and deep runs resumed by running the
// same command again.
#include "agent/sync/sync_runner.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "agent/erp/sqlite_erp_source.h"
#include "agent/mapping/catalog_loader.h"
#include "agent/mapping/entity_plan.h"
#include "agent/state/effective_settings.h"
#include "agent/state/state_store.h"
#include "agent/sync/erp_checksum.h"
#include "common/log.h"
#include "tests/agent/sync/fake_sync_server.h"
#include "tests/agent/sync/tiny_erp.h"
#include "tests/support/temp_dir.h"

namespace erpsync::agent::testing {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using Steady = std::chrono::steady_clock;

constexpr int64_t kNow = 1'750'000'000;
constexpr int64_t kDay = 24 * 3600;

// Calls `on_ack` with the number of acknowledgements so far (of every
// entity, or of `entity` only) and counts the retries announced.
class Listener : public ProgressListener {
 public:
  std::string entity;  // empty: every entity
  std::function<void(int acks)> on_ack;
  int acks = 0;
  int retries = 0;

  void OnProgress(const EntityReport& report) override {
    if (!entity.empty() && report.entity_id != entity) return;
    ++acks;
    if (on_ack) on_ack(acks);
  }
  void OnRetry(const Status& /*error*/, std::chrono::milliseconds /*delay*/,
               int /*attempt*/) override {
    ++retries;
  }
};

const EntityReport* FindEntity(const SyncReport& report, const std::string& id) {
  for (const EntityReport& entity : report.entities) {
    if (entity.entity_id == id) return &entity;
  }
  return nullptr;
}

// The ERP of a test, failing its next `failures` reads the way a locked
// ERP file does (an ERP-origin UNAVAILABLE), then reading as `inner`.
class FlakyErp : public ErpSource {
 public:
  ErpSource* inner = nullptr;
  int failures = 0;
  int reads = 0;

  Result<TableInfo> DescribeTable(const std::string& table) override {
    return inner->DescribeTable(table);
  }
  Result<std::vector<std::string>> ListTables() override { return inner->ListTables(); }
  Result<std::unique_ptr<RowCursor>> Read(const TableRead& read) override {
    ++reads;
    if (failures > 0) {
      --failures;
      return UnavailableError("database is locked").WithOrigin(ErrorOrigin::kErp);
    }
    return inner->Read(read);
  }
  Result<int64_t> Count(const TableRead& read) override { return inner->Count(read); }
  std::string Describe() const override { return inner->Describe(); }
};

class SyncRunnerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    // Each retry logs a warning: hundreds of lines in the test of retry_for.
    SetLogLevel(LogLevel::kError);
    for (int id = 1; id <= 10; ++id) {
      erp_.InsertOrder(id, "C01", std::to_string(id) + ".00", kNow - (11 - id) * kDay);
    }
    for (int i = 1; i <= 5; ++i) erp_.InsertCustomer("C0" + std::to_string(i), "Customer");
    auto catalog = LoadCatalog(erp_.mappings_dir());
    ASSERT_TRUE(catalog.ok()) << catalog.status().ToString();
    catalog_ = std::move(*catalog);
    auto state = StateStore::Open(dir_.File("state"));
    ASSERT_TRUE(state.ok()) << state.status().ToString();
    state_ = std::move(*state);
    auto source = SqliteErpSource::Open(erp_.path());
    ASSERT_TRUE(source.ok()) << source.status().ToString();
    source_ = std::move(*source);
    erp_source_.inner = source_.get();
    settings_.batch_records = 2;
    settings_.window = 2;
    settings_.compression_level = 1;
    settings_.stamp_lag_seconds = 5;
    settings_.retry_for = std::chrono::seconds(1);
    settings_.backoff.initial = std::chrono::milliseconds(2);
    settings_.backoff.maximum = std::chrono::milliseconds(10);
  }

  void TearDown() override { SetLogLevel(saved_log_level_); }

  Result<SyncReport> Run(const SyncCommand& command) {
    SyncRunner runner(SyncRunnerDeps{&catalog_, state_.get(), &erp_source_, &sessions_, &clock_,
                                     &listener_, &stop_},
                      settings_);
    return runner.Run(command);
  }
  Result<SyncReport> Deep(std::vector<std::string> only = {}) {
    SyncCommand command;
    command.deep = true;
    command.only = std::move(only);
    return Run(command);
  }
  Result<SyncReport> Incremental(std::vector<std::string> only = {}) {
    SyncCommand command;
    command.only = std::move(only);
    return Run(command);
  }

  // The server holds exactly what the ERP holds for `id`.
  void ExpectServerMirrorsErp(const std::string& id) {
    const MappingDefinition* mapping = catalog_.Find(id);
    ASSERT_NE(mapping, nullptr);
    Result<EntityPlan> plan = EntityPlan::Build(*mapping, {});
    ASSERT_TRUE(plan.ok());
    Result<ErpEntityChecksum> erp = ComputeErpChecksum(*source_, *plan);
    ASSERT_TRUE(erp.ok()) << erp.status().ToString();
    EXPECT_EQ(server_.Figures(id), (FakeFigures{erp->count, erp->checksum})) << id;
  }

  std::optional<DeepRun> PendingDeepRun() {
    Result<std::optional<DeepRun>> run = state_->GetDeepRun();
    EXPECT_TRUE(run.ok()) << run.status().ToString();
    return run.ok() ? *run : std::nullopt;
  }

  const LogLevel saved_log_level_ = GetLogLevel();
  erpsync::testing::TempDir dir_;
  TinyErp erp_{dir_.path()};
  ManualClock clock_{kNow};
  FakeSyncServer server_;
  FakeSessionFactory sessions_{&server_, 2};
  Catalog catalog_;
  std::unique_ptr<StateStore> state_;
  std::unique_ptr<SqliteErpSource> source_;
  FlakyErp erp_source_;
  SyncSettings settings_;
  Listener listener_;
  std::atomic<bool> stop_{false};
};

TEST_F(SyncRunnerTest, DeepRunSyncsTheEnabledEntitiesInDependencyOrderInOneSession) {
  const Result<SyncReport> report = Deep();
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  EXPECT_TRUE(report->ok());
  EXPECT_EQ(report->kind, "deep");
  EXPECT_FALSE(report->resumed);
  EXPECT_EQ(report->reconnects, 0);
  ASSERT_EQ(report->entities.size(), 2u);  // customer_archive is not enabled
  EXPECT_EQ(report->entities[0].entity_id, "customer");
  EXPECT_EQ(report->entities[1].entity_id, "order");
  ExpectServerMirrorsErp("customer");
  ExpectServerMirrorsErp("order");

  ASSERT_EQ(server_.sessions().size(), 1u);
  EXPECT_EQ(server_.sessions()[0].run_id, report->run_id);
  EXPECT_EQ(server_.sessions()[0].kind, v1::SYNC_KIND_DEEP);
  EXPECT_EQ(server_.sessions()[0].since, "beginning");
  EXPECT_EQ(server_.calls(FakeCall::kFinish), 1);
  EXPECT_GT(report->bytes_sent, 0u);
  // A complete deep run is over, and the entities no longer need one.
  EXPECT_EQ(PendingDeepRun(), std::nullopt);
  for (const char* id : {"customer", "order"}) {
    Result<MappingSettings> settings = EffectiveSettings(*state_, *catalog_.Find(id));
    ASSERT_TRUE(settings.ok());
    EXPECT_FALSE(settings->needs_deep_sync) << id;
  }
}

TEST_F(SyncRunnerTest, IncrementalRunsTakeAFreshRunIdAndOnlyTheOnlyEntities) {
  ASSERT_TRUE(Deep().ok());
  erp_.InsertOrder(11, "C02", "3.00", kNow + 1);
  clock_.Advance(60);
  const Result<SyncReport> first = Incremental({"order"});
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  ASSERT_EQ(first->entities.size(), 1u);
  EXPECT_EQ(first->kind, "incremental");
  EXPECT_EQ(first->entities[0].records_sent, 1u);
  EXPECT_EQ(first->entities[0].inserted, 1u);
  const Result<SyncReport> second = Incremental({"order"});
  ASSERT_TRUE(second.ok());
  EXPECT_NE(second->run_id, first->run_id);
  EXPECT_EQ(second->entities[0].records_sent, 0u);
  EXPECT_EQ(server_.sessions().back().kind, v1::SYNC_KIND_INCREMENTAL);
  ExpectServerMirrorsErp("order");
}

TEST_F(SyncRunnerTest, TransientFailureIsRetriedAndTheRunCompletes) {
  // Customers take SendBatch calls 1..3; the 6th is the orders' third batch.
  server_.InjectFault(FakeCall::kSendBatch, 6, UnavailableError("connection reset"));
  const Result<SyncReport> report = Deep();
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  EXPECT_TRUE(report->ok());
  EXPECT_EQ(report->reconnects, 1);
  EXPECT_EQ(listener_.retries, 1);
  ASSERT_EQ(server_.sessions().size(), 2u);
  EXPECT_EQ(server_.sessions()[1].run_id, report->run_id);
  // The second session resumed the open pass after the last acknowledged key.
  const ReceivedOpen resumed = server_.opens().back();
  EXPECT_EQ(resumed.session, 2);
  EXPECT_NE(resumed.options.resume_generation, 0u);
  ExpectServerMirrorsErp("customer");
  ExpectServerMirrorsErp("order");
  EXPECT_EQ(PendingDeepRun(), std::nullopt);
}

TEST_F(SyncRunnerTest, ReconnectWithinARunIsNotReportedAsAResume) {
  server_.InjectFault(FakeCall::kSendBatch, 6, UnavailableError("connection reset"));
  const Result<SyncReport> report = Deep();
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  const EntityReport* orders = FindEntity(*report, "order");
  ASSERT_NE(orders, nullptr);
  // Nothing was acknowledged before this run; all ten in it.
  EXPECT_EQ(orders->resumed_at, 0u);
  EXPECT_EQ(orders->acked, 10u);
  EXPECT_EQ(orders->total, 10u);
}

TEST_F(SyncRunnerTest, ProgressGivesTheNextFailureAFreshRetryBudget) {
  // Customers: the first session acknowledges batch 1, then fails; the
  // second acknowledges the rest, slowly (longer than retry_for), then its
  // EntityEnd is lost. Without the progress, that second failure would come
  // after retrying for more than retry_for.
  server_.InjectFault(FakeCall::kSendBatch, 3, UnavailableError("connection reset"));
  server_.InjectFault(FakeCall::kCloseEntity, 1, UnavailableError("connection reset"));
  listener_.entity = "customer";
  listener_.on_ack = [](int acks) {
    if (acks == 2) std::this_thread::sleep_for(std::chrono::milliseconds(1100));
  };
  const Result<SyncReport> report = Deep();
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  EXPECT_TRUE(report->ok());
  EXPECT_EQ(report->reconnects, 2);
  ExpectServerMirrorsErp("customer");
  ExpectServerMirrorsErp("order");
}

TEST_F(SyncRunnerTest, ServerUnreachableForRetryForGivesUpNamingTheAttempts) {
  server_.FailAlways(FakeCall::kOpenSession, UnavailableError("connection refused"));
  const Steady::time_point start = Steady::now();
  const Result<SyncReport> report = Deep();
  EXPECT_GE(Steady::now() - start, settings_.retry_for);
  ASSERT_EQ(report.status().code(), StatusCode::kUnavailable);
  const int attempts = server_.calls(FakeCall::kOpenSession);
  EXPECT_GT(attempts, 2);
  EXPECT_THAT(report.status().message(),
              HasSubstr("connection refused (gave up after retrying for "));
  EXPECT_THAT(report.status().message(), HasSubstr(", " + std::to_string(attempts) + " attempts)"));
  EXPECT_EQ(listener_.retries, attempts - 1);
  // The deep run stays pending, to be resumed.
  EXPECT_NE(PendingDeepRun(), std::nullopt);
}

TEST_F(SyncRunnerTest, EntityErrorThatRetryingCannotFixIsReportedAndTheRunGoesOn) {
  server_.InjectFault(FakeCall::kSendBatch, 1, InvalidArgumentError("record 'C01': bad value"));
  const Result<SyncReport> report = Deep();
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  EXPECT_FALSE(report->ok());
  EXPECT_EQ(report->reconnects, 0);
  ASSERT_EQ(report->entities.size(), 2u);
  EXPECT_EQ(report->entities[0].entity_id, "customer");
  EXPECT_EQ(report->entities[0].error, "record 'C01': bad value");
  EXPECT_EQ(report->entities[1].error, "");
  ExpectServerMirrorsErp("order");
  Result<EntityProgress> progress = state_->GetProgress("customer");
  ASSERT_TRUE(progress.ok());
  EXPECT_EQ(progress->last_error, "record 'C01': bad value");
  // The failed session was dropped; the orders had a session of their own.
  EXPECT_EQ(server_.sessions().size(), 2u);

  // Run again, the deep run resumes: customers are done, orders skipped.
  EXPECT_NE(PendingDeepRun(), std::nullopt);
  const Result<SyncReport> again = Deep();
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  EXPECT_TRUE(again->ok());
  EXPECT_TRUE(again->resumed);
  EXPECT_EQ(again->run_id, report->run_id);
  EXPECT_FALSE(again->entities[0].skipped);
  EXPECT_TRUE(again->entities[1].skipped);
  ExpectServerMirrorsErp("customer");
  EXPECT_EQ(state_->GetProgress("customer")->last_error, "");
}

TEST_F(SyncRunnerTest, ErpFailureIsRetriedOnItsOwnKeepingTheServerSession) {
  erp_source_.failures = 2;
  const Result<SyncReport> report = Deep();
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  EXPECT_TRUE(report->ok());
  // Not a server outage: no reconnect, one session all along.
  EXPECT_EQ(report->reconnects, 0);
  EXPECT_EQ(listener_.retries, 0);
  EXPECT_EQ(server_.sessions().size(), 1u);
  ExpectServerMirrorsErp("customer");
  ExpectServerMirrorsErp("order");
}

TEST_F(SyncRunnerTest, ErpFailingForRetryForFailsItsEntityAsAnErpFailure) {
  erp_source_.failures = 1'000'000;
  const Result<SyncReport> report = Deep();
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  EXPECT_FALSE(report->ok());
  ASSERT_EQ(report->entities.size(), 2u);
  for (const EntityReport& entity : report->entities) {
    EXPECT_TRUE(entity.erp_failure) << entity.entity_id;
    EXPECT_THAT(entity.error, HasSubstr("the ERP stayed unavailable for "));
    EXPECT_THAT(entity.error, HasSubstr("database is locked"));
    EXPECT_THAT(entity.error, ::testing::Not(HasSubstr("server")));
  }
  EXPECT_TRUE(report->erp_failed());
  EXPECT_EQ(report->reconnects, 0);
  EXPECT_EQ(server_.sessions().size(), 1u);
  EXPECT_GT(erp_source_.reads, 4);
}

TEST_F(SyncRunnerTest, RefusedTokenEndsTheRunAtOnce) {
  server_.InjectFault(FakeCall::kOpenSession, 1, UnauthenticatedError("token revoked"));
  const Result<SyncReport> refused = Deep();
  EXPECT_EQ(refused.status().ToString(), "UNAUTHENTICATED: token revoked");
  EXPECT_EQ(server_.calls(FakeCall::kOpenSession), 1);
  EXPECT_EQ(listener_.retries, 0);

  // Refused in the middle of a run: the entities after are not synced.
  server_.InjectFault(FakeCall::kOpenEntity, 2, PermissionDeniedError("not an agent token"));
  const Result<SyncReport> denied = Incremental();
  EXPECT_EQ(denied.status().ToString(), "PERMISSION_DENIED: not an agent token");
  EXPECT_EQ(server_.calls(FakeCall::kOpenEntity), 2);
  EXPECT_FALSE(server_.HasEntity("order"));
  ExpectServerMirrorsErp("customer");
}

TEST_F(SyncRunnerTest, ATlsSetUpThatDoesNotWorkEndsTheRunAtOnce) {
  // Whatever its code: the session factory's explainer says it is TLS.
  server_.FailAlways(FakeCall::kOpenSession,
                     FailedPreconditionError("TLS: the server at 127.0.0.1:7443 speaks TLS")
                         .WithOrigin(ErrorOrigin::kTls));
  const Steady::time_point start = Steady::now();
  const Result<SyncReport> report = Deep();
  EXPECT_LT(Steady::now() - start, settings_.retry_for);
  EXPECT_EQ(report.status().ToString(),
            "FAILED_PRECONDITION: TLS: the server at 127.0.0.1:7443 speaks TLS");
  EXPECT_EQ(report.status().origin(), ErrorOrigin::kTls);
  EXPECT_EQ(server_.calls(FakeCall::kOpenSession), 1);
  EXPECT_EQ(listener_.retries, 0);
  // Not an entity's failure: the deep run stays pending.
  EXPECT_NE(PendingDeepRun(), std::nullopt);
}

TEST_F(SyncRunnerTest, OnlyNamingAnUnknownOrDisabledMappingIsInvalidArgument) {
  EXPECT_EQ(Deep({"nope"}).status().ToString(),
            "INVALID_ARGUMENT: --only: no mapping with id 'nope' (see `erpsync-agent mappings "
            "list`)");
  const Result<SyncReport> disabled = Incremental({"order", "customer_archive"});
  EXPECT_EQ(disabled.status().code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(disabled.status().message(),
              HasSubstr("mapping 'customer_archive' is not enabled; enable it with"));
  EXPECT_EQ(server_.calls(FakeCall::kOpenSession), 0);
}

TEST_F(SyncRunnerTest, InterruptedDeepRunIsResumedWithTheSameRunId) {
  listener_.entity = "order";
  listener_.on_ack = [this](int acks) {
    if (acks == 2) stop_.store(true);
  };
  const Result<SyncReport> stopped = Deep();
  EXPECT_EQ(stopped.status().ToString(), "CANCELLED: sync stopped");
  const std::optional<DeepRun> pending = PendingDeepRun();
  ASSERT_NE(pending, std::nullopt);
  EXPECT_EQ(pending->run_id, server_.sessions()[0].run_id);
  const size_t orders_before = server_.ReceivedKeys("order").size();
  EXPECT_LT(orders_before, 10u);

  stop_.store(false);
  listener_.on_ack = nullptr;
  const Result<SyncReport> resumed = Deep();
  ASSERT_TRUE(resumed.ok()) << resumed.status().ToString();
  EXPECT_TRUE(resumed->resumed);
  EXPECT_EQ(resumed->run_id, pending->run_id);
  EXPECT_EQ(server_.sessions().back().run_id, pending->run_id);
  const EntityReport* customers = FindEntity(*resumed, "customer");
  const EntityReport* orders = FindEntity(*resumed, "order");
  ASSERT_NE(customers, nullptr);
  ASSERT_NE(orders, nullptr);
  EXPECT_TRUE(customers->skipped);
  EXPECT_EQ(orders->resumed_at, orders_before);
  EXPECT_EQ(orders->records_sent, 10u - orders_before);
  ExpectServerMirrorsErp("customer");
  ExpectServerMirrorsErp("order");
  EXPECT_EQ(PendingDeepRun(), std::nullopt);
}

TEST_F(SyncRunnerTest, ResumedPassTheServerNoLongerHasIsStartedOverWithinTheRun) {
  server_.InjectFault(FakeCall::kSendBatch, 6, UnavailableError("connection reset"));
  settings_.retry_for = std::chrono::seconds(0);  // gives up at the first failure
  EXPECT_EQ(Deep().status().code(), StatusCode::kUnavailable);
  server_.DropOpenPass("order");
  erp_.DeleteOrder(1);

  settings_.retry_for = std::chrono::seconds(1);
  const Result<SyncReport> report = Deep();
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  EXPECT_TRUE(report->ok()) << FindEntity(*report, "order")->error;
  EXPECT_TRUE(report->resumed);
  const EntityReport* orders = FindEntity(*report, "order");
  EXPECT_EQ(orders->resumed_at, 0u);
  EXPECT_EQ(orders->records_sent, 9u);
  // The new pass was complete: the deleted order is gone from the server.
  EXPECT_EQ(orders->deleted_by_pass, 1u);
  ExpectServerMirrorsErp("order");
}

TEST_F(SyncRunnerTest, StopFlagRaisedBeforeTheRunCancelsIt) {
  stop_.store(true);
  EXPECT_EQ(Deep().status().ToString(), "CANCELLED: sync stopped");
  EXPECT_EQ(server_.calls(FakeCall::kOpenSession), 0);
}

}  // namespace
}  // namespace erpsync::agent::testing
