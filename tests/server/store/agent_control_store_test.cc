#include "server/store/agent_control_store.h"

#include <gtest/gtest.h>

#include "common/secret_token.h"
#include "server/store/directory_store.h"
#include "tests/support/status_matchers.h"
#include "tests/server/store/store_test_util.h"
#include "tests/support/temp_dir.h"

namespace erpsync::server {
namespace {

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
  EXPECT_THAT(store_->GetSyncRequest(other_.id, request.id), StatusIs(StatusCode::kNotFound));
  EXPECT_THAT(store_->UpdateSyncRequest(connection_ + 99, request.id, SyncRequestState::kDone, ""),
              StatusIs(StatusCode::kNotFound));
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

}  // namespace
INSTANTIATE_SQLITE_STORE_TEST_SUITE_P(AgentControlStoreTest);

}  // namespace erpsync::server
