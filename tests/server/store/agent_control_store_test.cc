#include "server/store/agent_control_store.h"

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "common/secret_token.h"
#include "server/store/directory_store.h"
#include "tests/server/store/second_server_store.h"
#include "tests/server/store/store_test_util.h"
#include "tests/support/status_matchers.h"
#include "tests/support/temp_dir.h"

namespace erpsync::server {
namespace {

using ::testing::Eq;
using testing::StoreTest;

class AgentControlStoreTest : public StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    DirectoryStore& directory = stores_->directory();
    company_ = *directory.AddCompany("Acme");
    other_ = *directory.AddCompany("Other");
    agent_ = *directory.AddAgent(company_.id, "sage300", HashSecretToken("a"), "host");
    connection_ = directory.FindConnection(company_.id, "sage300")->id;
    store_ = &stores_->agent_control();
  }
  Company company_;
  Company other_;
  int64_t agent_ = 0;
  int64_t connection_ = 0;
  AgentControlStore* store_ = nullptr;
};

TEST_P(AgentControlStoreTest, RequestsStayOpenUntilDoneOrFailed) {
  const SyncRequestRow first = *store_->AddSyncRequest(connection_, {"vendor", "jc_job"}, true,
                                                        "week", "ann");
  const SyncRequestRow second = *store_->AddSyncRequest(connection_, {}, false, "", "bob");
  EXPECT_EQ(first.id.rfind("sr_", 0), 0u);
  auto open = *store_->OpenSyncRequests(connection_);
  ASSERT_EQ(open.size(), 2u);
  EXPECT_EQ(open[0].entity_ids, (std::vector<std::string>{"vendor", "jc_job"}));
  EXPECT_TRUE(open[0].deep);
  EXPECT_EQ(open[0].since, "week");
  ASSERT_OK(store_->UpdateSyncRequest(connection_, first.id, SyncRequestState::kSent, ""));
  EXPECT_EQ(store_->OpenSyncRequests(connection_)->size(), 2u);  // sent is still open
  ASSERT_OK(store_->UpdateSyncRequest(connection_, first.id, SyncRequestState::kDone, "ok"));
  ASSERT_OK(store_->UpdateSyncRequest(connection_, second.id, SyncRequestState::kFailed, "boom"));
  EXPECT_TRUE(store_->OpenSyncRequests(connection_)->empty());
  const SyncRequestRow done = *store_->GetSyncRequest(company_.id, first.id);
  EXPECT_EQ(done.state, SyncRequestState::kDone);
  EXPECT_EQ(done.message, "ok");
}

TEST_P(AgentControlStoreTest, RequestsOfOtherCompaniesAreNotFound) {
  const SyncRequestRow request = *store_->AddSyncRequest(connection_, {}, false, "", "ann");
  EXPECT_THAT(store_->GetSyncRequest(other_.id, request.id),
              StatusIs(StatusCode::kNotFound, Eq("no sync request " + request.id)));
  EXPECT_THAT(store_->UpdateSyncRequest(connection_ + 99, request.id, SyncRequestState::kDone, ""),
              StatusIs(StatusCode::kNotFound,
                       Eq("no sync request " + request.id + " for this connection")));
  const int64_t other_connection = stores_->directory().EnsureConnection(other_.id, "sage300")->id;
  EXPECT_THAT(store_->UpdateSyncRequest(other_connection, request.id, SyncRequestState::kDone, ""),
              StatusIs(StatusCode::kNotFound,
                       Eq("no sync request " + request.id + " for this connection")));
  EXPECT_THAT(store_->UpdateSyncRequest(connection_, "sr_missing", SyncRequestState::kDone, ""),
              StatusIs(StatusCode::kNotFound,
                       Eq("no sync request sr_missing for this connection")));
  EXPECT_EQ(store_->GetSyncRequest(company_.id, request.id)->state, SyncRequestState::kQueued);
  ASSERT_OK_AND_ASSIGN(const std::vector<SyncRequestRow> unknown,
                       store_->OpenSyncRequests(connection_ + 99));
  EXPECT_TRUE(unknown.empty());
}

TEST_P(AgentControlStoreTest, RequestsOfOneSecondStayInTheOrderQueued) {
  std::vector<std::string> queued;
  for (int i = 0; i < 6; ++i) {
    ASSERT_OK_AND_ASSIGN(const SyncRequestRow request,
                         store_->AddSyncRequest(connection_, {"e" + std::to_string(i)}, false, "",
                                                "ann"));
    queued.push_back(request.id);
  }
  now_ += 5;
  ASSERT_OK(store_->UpdateSyncRequest(connection_, queued[0], SyncRequestState::kSent, ""));
  ASSERT_OK_AND_ASSIGN(const std::vector<SyncRequestRow> open,
                       store_->OpenSyncRequests(connection_));
  ASSERT_EQ(open.size(), queued.size());
  for (size_t i = 0; i < open.size(); ++i) {
    EXPECT_EQ(open[i].id, queued[i]);
    EXPECT_EQ(open[i].created_unix, testing::kStartUnix);
  }
  EXPECT_EQ(open[0].state, SyncRequestState::kSent);
  EXPECT_EQ(open[0].updated_unix, testing::kStartUnix + 5);
  EXPECT_EQ(open[1].updated_unix, testing::kStartUnix);
}

TEST_P(AgentControlStoreTest, UnknownConnectionsAndAgentsAreRefused) {
  const Status request = store_->AddSyncRequest(connection_ + 99, {}, false, "", "ann").status();
  const Status status = store_->PutAgentStatus(agent_ + 99, "s");
  EXPECT_FALSE(request.ok());
  EXPECT_FALSE(status.ok());
  if (GetParam() == StoreKind::kPostgresql) {
    EXPECT_EQ(request, NotFoundError("connection " + std::to_string(connection_ + 99) +
                                     " does not exist"));
    EXPECT_EQ(status, NotFoundError("agent " + std::to_string(agent_ + 99) + " does not exist"));
  } else {
    // SQLite's foreign keys refuse them.
    EXPECT_THAT(request, StatusIs(StatusCode::kInternal, ::testing::HasSubstr("FOREIGN KEY")));
    EXPECT_THAT(status, StatusIs(StatusCode::kInternal, ::testing::HasSubstr("FOREIGN KEY")));
  }
}

TEST_P(AgentControlStoreTest, ListsAgentsWithTheirLastStatus) {
  auto agents = *store_->ListAgents(company_.id);
  ASSERT_EQ(agents.size(), 1u);
  EXPECT_EQ(agents[0].connection, "sage300");
  EXPECT_TRUE(agents[0].status.empty());
  ASSERT_OK(store_->PutAgentStatus(agent_, "status-bytes"));
  agents = *store_->ListAgents(company_.id);
  EXPECT_EQ(agents[0].status, "status-bytes");
  EXPECT_GT(agents[0].status_unix, 0);
  EXPECT_GT(agents[0].last_seen_unix, 0);
  EXPECT_TRUE(store_->ListAgents(other_.id)->empty());
}

TEST_P(AgentControlStoreTest, StatusesAreKeptAsBytesAndTheLastOneWins) {
  const std::string first("\x00\x01binary\xff", 9);
  ASSERT_OK(store_->PutAgentStatus(agent_, first));
  EXPECT_EQ((*store_->ListAgents(company_.id))[0].status, first);
  now_ += 30;
  ASSERT_OK(store_->PutAgentStatus(agent_, "second"));
  ASSERT_OK_AND_ASSIGN(const std::vector<AgentRow> agents, store_->ListAgents(company_.id));
  ASSERT_EQ(agents.size(), 1u);
  EXPECT_EQ(agents[0].status, "second");
  EXPECT_EQ(agents[0].status_unix, testing::kStartUnix + 30);
  EXPECT_EQ(agents[0].last_seen_unix, testing::kStartUnix + 30);
}

TEST_P(AgentControlStoreTest, ListsActiveAgentsByConnectionThenId) {
  DirectoryStore& directory = stores_->directory();
  ASSERT_OK_AND_ASSIGN(const int64_t archive,
                       directory.AddAgent(company_.id, "archive", HashSecretToken("b"), "old pc"));
  ASSERT_OK_AND_ASSIGN(const int64_t second,
                       directory.AddAgent(company_.id, "sage300", HashSecretToken("c"), ""));
  ASSERT_OK_AND_ASSIGN(const int64_t revoked,
                       directory.AddAgent(company_.id, "sage300", HashSecretToken("d"), ""));
  ASSERT_OK(directory.TouchAgent(second, "ACCT-2", "1.2.3"));
  ASSERT_OK(directory.RevokeAgent(revoked, "ann"));
  ASSERT_OK_AND_ASSIGN(const std::vector<AgentRow> agents, store_->ListAgents(company_.id));
  ASSERT_EQ(agents.size(), 3u);
  EXPECT_EQ(agents[0].agent_id, archive);
  EXPECT_EQ(agents[0].connection, "archive");
  EXPECT_EQ(agents[0].description, "old pc");
  EXPECT_EQ(agents[1].agent_id, agent_);
  EXPECT_EQ(agents[1].connection_id, connection_);
  EXPECT_EQ(agents[1].description, "host");
  EXPECT_EQ(agents[2].agent_id, second);
  EXPECT_EQ(agents[2].hostname, "ACCT-2");
  EXPECT_EQ(agents[2].version, "1.2.3");
  EXPECT_EQ(agents[2].last_seen_unix, testing::kStartUnix);
  EXPECT_EQ(agents[2].status_unix, 0);
}

// A request queued on one server is handed out and finished through
// another (the agent's channel may be on either); statuses likewise.
TEST_P(AgentControlStoreTest, TwoServersShareRequestsAndStatuses) {
  ASSERT_OK_AND_ASSIGN(
      std::unique_ptr<Store> second,
      testing::OpenSecondServerStore(GetParam(), path(), postgres_, [this] { return now_; }));
  AgentControlStore& other = second->agent_control();
  ASSERT_OK_AND_ASSIGN(const SyncRequestRow request,
                       store_->AddSyncRequest(connection_, {"vendor"}, true, "", "ann"));
  ASSERT_OK_AND_ASSIGN(const std::vector<SyncRequestRow> open, other.OpenSyncRequests(connection_));
  ASSERT_EQ(open.size(), 1u);
  EXPECT_EQ(open[0].id, request.id);
  EXPECT_EQ(open[0].entity_ids, std::vector<std::string>{"vendor"});
  ASSERT_OK(other.UpdateSyncRequest(connection_, request.id, SyncRequestState::kFailed, "boom"));
  ASSERT_OK_AND_ASSIGN(const SyncRequestRow failed,
                       store_->GetSyncRequest(company_.id, request.id));
  EXPECT_EQ(failed.state, SyncRequestState::kFailed);
  EXPECT_EQ(failed.message, "boom");
  EXPECT_TRUE(store_->OpenSyncRequests(connection_)->empty());
  ASSERT_OK(other.PutAgentStatus(agent_, "from the other server"));
  ASSERT_OK_AND_ASSIGN(const std::vector<AgentRow> agents, store_->ListAgents(company_.id));
  ASSERT_EQ(agents.size(), 1u);
  EXPECT_EQ(agents[0].status, "from the other server");
}

bool ChannelHeld(AgentControlStore& store, int64_t company_id) {
  const Result<std::vector<AgentRow>> agents = store.ListAgents(company_id);
  return agents.ok() && agents->size() == 1 && (*agents)[0].channel_held;
}

TEST_P(AgentControlStoreTest, AHeldChannelIsSeenByEveryServerUntilReleasedOrRunOut) {
  ASSERT_OK_AND_ASSIGN(
      std::unique_ptr<Store> second,
      testing::OpenSecondServerStore(GetParam(), path(), postgres_, [this] { return now_; }));
  AgentControlStore& other = second->agent_control();
  EXPECT_FALSE(ChannelHeld(*store_, company_.id));
  ASSERT_OK(store_->HoldControlChannel({agent_, "a/1"}, now_ + 60));
  EXPECT_TRUE(ChannelHeld(other, company_.id));
  // Renewed, it stays; not renewed, it runs out.
  now_ += 50;
  ASSERT_OK(store_->RenewControlChannels({{agent_, "a/1"}}, now_ + 60));
  now_ += 50;
  EXPECT_TRUE(ChannelHeld(other, company_.id));
  now_ += 11;
  EXPECT_FALSE(ChannelHeld(other, company_.id));
  // The agent reconnects to the other server: the first one's renewal and
  // release leave the new hold alone.
  ASSERT_OK(other.HoldControlChannel({agent_, "b/1"}, now_ + 60));
  ASSERT_OK(store_->RenewControlChannels({{agent_, "a/1"}}, now_ + 600));
  ASSERT_OK(store_->ReleaseControlChannel({agent_, "a/1"}));
  EXPECT_TRUE(ChannelHeld(*store_, company_.id));
  now_ += 61;
  EXPECT_FALSE(ChannelHeld(*store_, company_.id)) << "renewed by a holder that lost it";
  ASSERT_OK(other.HoldControlChannel({agent_, "b/2"}, now_ + 60));
  ASSERT_OK(other.ReleaseControlChannel({agent_, "b/2"}));
  EXPECT_FALSE(ChannelHeld(*store_, company_.id));
}

TEST_P(AgentControlStoreTest, HoldingTheChannelOfAnUnknownAgentIsNotFound) {
  EXPECT_THAT(store_->HoldControlChannel({agent_ + 1000, "a/1"}, now_ + 60),
              StatusIs(StatusCode::kNotFound, Eq("agent " + std::to_string(agent_ + 1000) +
                                                     " does not exist")));
  // Renewing or releasing it is nothing to do.
  EXPECT_OK(store_->RenewControlChannels({{agent_ + 1000, "a/1"}}, now_ + 60));
  EXPECT_OK(store_->ReleaseControlChannel({agent_ + 1000, "a/1"}));
}

}  // namespace
INSTANTIATE_STORE_TEST_SUITE_P(AgentControlStoreTest);

}  // namespace erpsync::server
