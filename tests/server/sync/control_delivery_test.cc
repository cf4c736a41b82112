#include "server/sync/control_delivery.h"

#include <gtest/gtest.h>

#include <atomic>
#include <set>
#include <thread>
#include <vector>

#include "tests/server/sync/sync_stream_fixture.h"
#include "tests/support/status_matchers.h"

namespace erpsync::server {
namespace {

class ControlDeliveryTest : public SyncStreamFixture {
 protected:
  void SetUp() override {
    SyncStreamFixture::SetUp();
    store_ = &stores_->agent_control();
  }
  std::string Request() {
    Result<SyncRequestRow> row =
        store_->AddSyncRequest(agent_.connection_id, {"vendor"}, false, "", "ops");
    EXPECT_OK(row);
    return row.ok() ? row->id : "";
  }
  AgentControlStore* store_ = nullptr;
};

TEST_P(ControlDeliveryTest, HandsEachOpenRequestOutOnceRecordedAsSent) {
  const std::string id = Request();
  ControlDelivery delivery(store_, nullptr, agent_);
  const std::vector<v1::ServerCommand> first = delivery.TakeNew();
  ASSERT_EQ(first.size(), 1u);
  EXPECT_EQ(first[0].sync_now().request_id(), id);
  EXPECT_EQ(store_->GetSyncRequest(agent_.company_id, id)->state, SyncRequestState::kSent);
  EXPECT_TRUE(delivery.TakeNew().empty());
  // Another channel of the agent (after a reconnect) hands it out again.
  ControlDelivery reconnected(store_, nullptr, agent_);
  EXPECT_EQ(reconnected.TakeNew().size(), 1u);
}

TEST_P(ControlDeliveryTest, ConcurrentWakesHandEachRequestOutExactlyOnce) {
  std::set<std::string> ids;
  for (int i = 0; i < 20; ++i) ids.insert(Request());
  ControlDelivery delivery(store_, nullptr, agent_);
  std::vector<std::vector<v1::ServerCommand>> taken(4);
  std::vector<std::thread> wakes;
  for (size_t t = 0; t < taken.size(); ++t) {
    wakes.emplace_back([&, t] { taken[t] = delivery.TakeNew(); });
  }
  for (std::thread& wake : wakes) wake.join();
  std::multiset<std::string> handed;
  for (const auto& commands : taken) {
    for (const v1::ServerCommand& command : commands) handed.insert(command.sync_now().request_id());
  }
  EXPECT_EQ(handed.size(), ids.size());
  EXPECT_EQ(std::set<std::string>(handed.begin(), handed.end()), ids);
}

TEST_P(ControlDeliveryTest, TheAgentsOutcomeIsRecorded) {
  const std::string id = Request();
  ControlDelivery delivery(store_, nullptr, agent_);
  ASSERT_EQ(delivery.TakeNew().size(), 1u);
  v1::AgentEvent event;
  event.mutable_sync_result()->set_request_id(id);
  event.mutable_sync_result()->set_ok(true);
  EXPECT_FALSE(delivery.Handle(event));
  EXPECT_EQ(store_->GetSyncRequest(agent_.company_id, id)->state, SyncRequestState::kDone);
  EXPECT_TRUE(delivery.TakeNew().empty());
}

}  // namespace
INSTANTIATE_STORE_TEST_SUITE_P(ControlDeliveryTest);

}  // namespace erpsync::server
