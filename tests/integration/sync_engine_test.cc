// The sync engine against a real server in the same process: deep and
// incremental syncs, options, deletions, interruptions and refusals.
#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "agent/erp/sample/sample_mutator.h"
#include "agent/mapping/entity_plan.h"
#include "common/clock.h"
#include "common/grpc/grpc_util.h"
#include "erpsync/v1/records.grpc.pb.h"
#include "tests/integration/sync_fixture.h"
#include "tests/support/status_matchers.h"
#include "tests/support/subprocess.h"

namespace erpsync::testing {
namespace {

using ::testing::HasSubstr;

agent::SampleCompanyOptions SmallCompany() {
  agent::SampleCompanyOptions options;
  options.jobs = 4;
  options.transactions = 3000;
  options.seed = 11;
  return options;
}

class SyncEngineTest : public SyncFixture {
 protected:
  void SetUp() override { StartAll(SmallCompany()); }
};

TEST_P(SyncEngineTest, DeepSyncMirrorsTheErpExactly) {
  const auto report = DeepSync();
  ASSERT_OK(report);
  EXPECT_TRUE(report->ok());
  ExpectServerMirrorsErp();
  const agent::EntityReport* transactions = FindEntity(*report, "jc_transaction");
  ASSERT_NE(transactions, nullptr);
  EXPECT_EQ(transactions->records_sent, 3000u);
  EXPECT_EQ(transactions->inserted, 3000u);
  EXPECT_EQ(transactions->server_count, 3000u);
  EXPECT_EQ(transactions->total, 3000u);
  // Entities are synced in dependency order.
  std::vector<std::string> order;
  for (const auto& entity : report->entities) order.push_back(entity.entity_id);
  const auto at = [&](const char* id) { return std::find(order.begin(), order.end(), id) - order.begin(); };
  EXPECT_LT(at("jc_job"), at("jc_transaction"));
  EXPECT_LT(at("jc_category"), at("jc_transaction"));
}

TEST_P(SyncEngineTest, ReplayedDeepSyncChangesNothing) {
  ASSERT_OK(DeepSync());
  const auto again = DeepSync();
  ASSERT_OK(again);
  const agent::EntityReport* transactions = FindEntity(*again, "jc_transaction");
  EXPECT_EQ(transactions->unchanged, 3000u);
  EXPECT_EQ(transactions->inserted + transactions->updated, 0u);
  EXPECT_EQ(transactions->deleted_by_pass, 0u);
  ExpectServerMirrorsErp();
}

TEST_P(SyncEngineTest, IncrementalOverAnUnchangedCompanySendsNothing) {
  ASSERT_OK(DeepSync());
  const auto report = IncrementalSync();
  ASSERT_OK(report);
  for (const agent::EntityReport& entity : report->entities) {
    EXPECT_EQ(entity.records_sent, 0u) << entity.entity_id << " (" << entity.mode << ")";
  }
}

TEST_P(SyncEngineTest, IncrementalPicksUpInsertsChangesAndDeletions) {
  ASSERT_OK(DeepSync());
  agent::SampleMutation mutation;
  mutation.insert = 7;
  mutation.update = 11;
  mutation.remove = 5;
  ASSERT_OK(agent::MutateSampleCompany(erp_path_, mutation));

  const auto incremental = IncrementalSync({"jc_transaction"});
  ASSERT_OK(incremental);
  const agent::EntityReport* transactions = FindEntity(*incremental, "jc_transaction");
  EXPECT_EQ(transactions->records_sent, 18u);
  EXPECT_EQ(transactions->inserted, 7u);
  EXPECT_EQ(transactions->updated, 11u);
  EXPECT_EQ(transactions->deleted_by_pass, 5u);
  EXPECT_EQ(transactions->server_count, 3000u + 7u - 5u);
  ExpectServerMirrorsErp({"jc_transaction"});

  // The next deep pass agrees: nothing left to delete.
  const auto deep = DeepSync({"jc_transaction"});
  ASSERT_OK(deep);
  EXPECT_EQ(FindEntity(*deep, "jc_transaction")->deleted_by_pass, 0u);
  EXPECT_EQ(FindEntity(*deep, "jc_transaction")->unchanged, 3002u);
}

TEST_P(SyncEngineTest, IncrementalFindsDeletedStampedRowsWithAKeyCensus) {
  ASSERT_OK(DeepSync());
  agent::SampleMutation mutation;
  mutation.update = 3;
  mutation.remove = 5;
  ASSERT_OK(agent::MutateSampleCompany(erp_path_, mutation));
  const auto report = IncrementalSync({"jc_transaction"});
  ASSERT_OK(report);
  const agent::EntityReport* transactions = FindEntity(*report, "jc_transaction");
  EXPECT_EQ(transactions->mode, "incremental (row stamp) + key census");
  EXPECT_EQ(transactions->records_sent, 3u);
  EXPECT_EQ(transactions->deleted_by_pass, 5u);
  EXPECT_EQ(transactions->server_count, 2995u);
  ExpectServerMirrorsErp({"jc_transaction"});
  // Nothing changed since: no census, nothing sent.
  const auto quiet = IncrementalSync({"jc_transaction"});
  EXPECT_EQ(FindEntity(*quiet, "jc_transaction")->mode, "incremental (row stamp)");
  EXPECT_EQ(FindEntity(*quiet, "jc_transaction")->records_sent, 0u);
}

TEST_P(SyncEngineTest, RowsChangedDuringASyncAreAllPickedUpByTheNextIncremental) {
  // The lag must outlast the longest write transaction: the mutator stamps
  // its rows when its transaction begins, and on a loaded machine one
  // took more than a second to commit.
  settings_.stamp_lag_seconds = 3;
  settings_.window = 1;
  settings_.batch_records = 100;
  OpenAgent();
  ASSERT_OK(DeepSync());
  // Accountants insert, change and delete transactions while a sync runs.
  std::atomic<bool> writing{true};
  std::atomic<int64_t> last_write{0};
  std::atomic<int> rounds{0};
  std::thread writer([&] {
    for (uint64_t seed = 100; writing.load(); ++seed) {
      agent::SampleMutation mutation;
      mutation.insert = 7;
      mutation.update = 9;
      mutation.remove = 3;
      mutation.seed = seed;
      EXPECT_OK(agent::MutateSampleCompany(erp_path_, mutation));
      last_write.store(RealClock().NowUnix());
      ++rounds;
    }
  });
  ASSERT_TRUE(WaitFor([&] { return rounds.load() >= 2; }, std::chrono::seconds(30)));
  const auto during = DeepSync({"jc_transaction"});
  ASSERT_TRUE(WaitFor([&] { return rounds.load() >= 4; }, std::chrono::seconds(30)));
  const auto incremental_during = IncrementalSync({"jc_transaction"});
  writing.store(false);
  writer.join();
  ASSERT_OK(during);
  ASSERT_OK(incremental_during);
  // Once the lag has passed, one incremental sync brings everything over.
  ASSERT_TRUE(
      WaitFor([&] { return RealClock().NowUnix() > last_write.load() + settings_.stamp_lag_seconds; },
              std::chrono::seconds(10)));
  const auto after = IncrementalSync({"jc_transaction"});
  ASSERT_OK(after);
  ExpectServerMirrorsErp({"jc_transaction"});
}

TEST_P(SyncEngineTest, HashModeIncrementalDetectsDeletions) {
  ASSERT_OK(DeepSync());
  agent::SampleMutation mutation;
  mutation.table = "JCM_MASTER__COST_CODE";
  mutation.update = 3;
  mutation.remove = 2;
  mutation.insert = 1;
  ASSERT_OK(agent::MutateSampleCompany(erp_path_, mutation));
  const auto report = IncrementalSync({"jc_cost_code"});
  ASSERT_OK(report);
  const agent::EntityReport* codes = FindEntity(*report, "jc_cost_code");
  EXPECT_EQ(codes->mode, "incremental (content hash)");
  EXPECT_EQ(codes->records_sent, 6u);
  EXPECT_EQ(codes->deletions_sent, 2u);
  EXPECT_EQ(codes->deleted, 2u);
  ExpectServerMirrorsErp();
  // And then nothing more to send.
  EXPECT_EQ(FindEntity(*IncrementalSync({"jc_cost_code"}), "jc_cost_code")->records_sent, 0u);
}

TEST_P(SyncEngineTest, WindowedDeepSyncNeverDeletes) {
  ASSERT_OK(DeepSync({"jc_transaction"}));
  agent::SampleMutation mutation;
  mutation.remove = 4;
  mutation.update = 2;
  ASSERT_OK(agent::MutateSampleCompany(erp_path_, mutation));
  agent::SyncCommand command;
  command.deep = true;
  command.only = {"jc_transaction"};
  command.since = *agent::ParseTimeframe("week", ToLocalDateTime(RealClock().NowUnix()).date);
  const auto report = Sync(command);
  ASSERT_OK(report);
  const agent::EntityReport* transactions = FindEntity(*report, "jc_transaction");
  EXPECT_EQ(transactions->mode, "deep since " + command.since.start_date);
  // Only the two rows stamped today are in the window.
  EXPECT_EQ(transactions->records_sent, 2u);
  EXPECT_EQ(transactions->deleted_by_pass, 0u);
  EXPECT_EQ(transactions->server_count, 3000u);
}

TEST_P(SyncEngineTest, LeftOutFieldsAndTypesAreNotSent) {
  SetChoice("jc_transaction", "employee", false);
  SetChoice("jc_transaction", "type_pr_cost", false);
  ASSERT_OK(DeepSync({"jc_transaction"}));
  ExpectServerMirrorsErp({"jc_transaction"});
  auto stub = v1::RecordsService::NewStub(server_->InProcessChannel());
  grpc::ClientContext context;
  AttachBearerToken(&context, user_token_);
  v1::ListRecordsRequest request;
  request.set_entity_id("jc_transaction");
  request.set_page_size(5000);
  v1::ListRecordsResponse response;
  ASSERT_TRUE(stub->ListRecords(&context, request, &response).ok());
  for (const auto& field : response.schema().fields()) EXPECT_NE(field.name(), "employee");
  int type_index = -1;
  for (int i = 0; i < response.schema().fields_size(); ++i) {
    if (response.schema().fields(i).name() == "transaction_type") type_index = i;
  }
  ASSERT_GE(type_index, 0);
  ASSERT_GT(response.records_size(), 0);
  for (const auto& record : response.records()) {
    EXPECT_NE(record.values(type_index).text(), "PR cost");
  }
}

TEST_P(SyncEngineTest, StoppedDeepSyncResumesWhereItStopped) {
  // Stop after the third acknowledged batch of transactions.
  struct StopAfter : agent::ProgressListener {
    std::atomic<bool>* stop;
    int acks = 0;
    void OnProgress(const agent::EntityReport& entity) override {
      if (entity.entity_id == "jc_transaction" && ++acks == 3) stop->store(true);
    }
  } stopper;
  stopper.stop = &stop_;
  progress_ = &stopper;
  settings_.window = 2;
  settings_.batch_records = 200;
  OpenAgent();
  const auto stopped = DeepSync();
  EXPECT_THAT(stopped, StatusIs(StatusCode::kCancelled));
  progress_ = nullptr;
  stop_.store(false);

  OpenAgent();  // As a new process would.
  const auto resumed = DeepSync();
  ASSERT_OK(resumed);
  EXPECT_TRUE(resumed->resumed);
  const agent::EntityReport* transactions = FindEntity(*resumed, "jc_transaction");
  // Three batches were acknowledged, and at most the window more.
  EXPECT_GE(transactions->resumed_at, 600u);
  EXPECT_LE(transactions->resumed_at, 1000u);
  EXPECT_EQ(transactions->records_sent, 3000u - transactions->resumed_at);
  EXPECT_TRUE(FindEntity(*resumed, "jc_job")->skipped);
  ExpectServerMirrorsErp();
}

TEST_P(SyncEngineTest, ResumedPassTheServerNoLongerHasOpenIsStartedOver) {
  struct StopAfterFirstAck : agent::ProgressListener {
    std::atomic<bool>* stop;
    void OnProgress(const agent::EntityReport& entity) override {
      if (entity.entity_id == "jc_transaction") stop->store(true);
    }
  } stopper;
  stopper.stop = &stop_;
  progress_ = &stopper;
  settings_.batch_records = 200;
  OpenAgent();
  EXPECT_EQ(DeepSync().status().code(), StatusCode::kCancelled);
  progress_ = nullptr;
  stop_.store(false);
  // A newer pass of the entity supersedes the interrupted one: the server
  // refuses its resume (FAILED_PRECONDITION), which ends the stream.
  const auto entity = server_->records().GetEntity(ConnectionId(), "jc_transaction");
  ASSERT_TRUE(entity.ok()) << entity.status().ToString();
  ASSERT_TRUE(server_->records().BeginPass(entity->id).ok());

  const auto resumed = DeepSync();
  ASSERT_TRUE(resumed.ok()) << resumed.status().ToString();
  const agent::EntityReport* transactions = FindEntity(*resumed, "jc_transaction");
  EXPECT_EQ(transactions->error, "");
  EXPECT_EQ(transactions->resumed_at, 0u);
  EXPECT_EQ(transactions->records_sent, 3000u);
  EXPECT_EQ(resumed->reconnects, 1);
  ExpectServerMirrorsErp();
}

TEST_P(SyncEngineTest, SessionReturnsTheServersRefusalWithItsCode) {
  auto session = sessions_->Open(agent::SessionStart{"run", v1::SYNC_KIND_DEEP, "beginning"});
  ASSERT_TRUE(session.ok()) << session.status().ToString();
  const auto plan = agent::EntityPlan::Build(*catalog_.Find("jc_job"), {});
  ASSERT_TRUE(plan.ok());
  agent::EntityOpenOptions resume;
  resume.full_pass = true;
  resume.resume_generation = 99;
  EXPECT_EQ((*session)->OpenEntity(plan->schema(), resume).status().ToString(),
            "FAILED_PRECONDITION: pass 99 of jc_job is no longer open; start a new deep sync");
}

TEST_P(SyncEngineTest, UnreachableServerIsRetriedThenReported) {
  const uint16_t closed_port = 1;  // nothing listens on port 1
  auto channel = MakeChannel("127.0.0.1:" + std::to_string(closed_port), ChannelOptions{});
  sessions_ = std::make_unique<agent::GrpcSessionFactory>(*channel, agent_token_, 4,
                                                          std::chrono::seconds(5));
  settings_.retry_for = std::chrono::seconds(1);
  const auto report = DeepSync();
  EXPECT_THAT(report, StatusIs(StatusCode::kUnavailable, HasSubstr("gave up after retrying")));
}

TEST_P(SyncEngineTest, RefusedTokensAreNotRetried) {
  auto channel = MakeChannel("127.0.0.1:" + std::to_string(server_->port()), ChannelOptions{});
  sessions_ = std::make_unique<agent::GrpcSessionFactory>(*channel, "esa_wrong", 4,
                                                          std::chrono::seconds(5));
  EXPECT_THAT(DeepSync(), StatusIs(StatusCode::kUnauthenticated));
  sessions_ = std::make_unique<agent::GrpcSessionFactory>(*channel, user_token_, 4,
                                                          std::chrono::seconds(5));
  const auto as_user = DeepSync();
  EXPECT_THAT(as_user,
              StatusIs(StatusCode::kPermissionDenied, HasSubstr("cannot act as an agent")));
}

TEST_P(SyncEngineTest, OnlyRefusesUnknownAndDisabledMappings) {
  EXPECT_EQ(DeepSync({"nope"}).status().message(),
            "--only: no mapping with id 'nope' (see `erpsync-agent mappings list`)");
}

INSTANTIATE_BACKEND_TEST_SUITE_P(SyncEngineTest);

}  // namespace
}  // namespace erpsync::testing
