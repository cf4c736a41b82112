#include "server/sync/control_presence.h"

#include <gtest/gtest.h>

#include <memory>
#include <vector>

#include "common/secret_token.h"
#include "server/store/directory_store.h"
#include "server/sync/agent_hub.h"
#include "tests/server/store/store_test_util.h"
#include "tests/support/status_matchers.h"

namespace erpsync::server {
namespace {

struct IdleSession : ControlSession {
  void Wake() override {}
  void End(bool) override {}
};

// A real store on each backend, one agent, and the presence over it as the
// hub uses it.
class ControlPresenceTest : public testing::StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    company_ = stores_->directory().AddCompany("Acme")->id;
    agent_ = *stores_->directory().AddAgent(company_, "sage300", HashSecretToken("a"), "");
    presence_ = std::make_unique<ControlPresence>(&stores_->agent_control(),
                                                  [this] { return now_; });
    hub_.SetPresence(presence_.get());
  }

  bool Held() {
    const Result<std::vector<AgentRow>> agents = stores_->agent_control().ListAgents(company_);
    EXPECT_OK(agents);
    return agents.ok() && agents->size() == 1 && (*agents)[0].channel_held;
  }

  int64_t company_ = 0;
  int64_t agent_ = 0;
  std::unique_ptr<ControlPresence> presence_;
  AgentHub hub_;
};

TEST_P(ControlPresenceTest, AChannelIsHeldWhileRegisteredAndRenewed) {
  auto session = std::make_shared<IdleSession>();
  hub_.Register(agent_, 1, session);
  EXPECT_TRUE(Held());
  now_ += 50;
  presence_->RenewNow();
  now_ += 50;
  EXPECT_TRUE(Held()) << "renewed";
  hub_.Unregister(agent_, session.get());
  EXPECT_FALSE(Held()) << "released when the channel ends";
}

TEST_P(ControlPresenceTest, AHoldNotRenewedRunsOut) {
  auto session = std::make_shared<IdleSession>();
  hub_.Register(agent_, 1, session);
  now_ += ControlPresence::kLease.count() + 1;
  EXPECT_FALSE(Held()) << "a server that stopped renewing (it died) holds nothing";
}

TEST_P(ControlPresenceTest, AHoldPublishedAfterItsReleaseIsNotRenewed) {
  const ControlHold hold = presence_->Hold(agent_);
  ASSERT_TRUE(presence_->Release(agent_).has_value());
  // The two store writes of two threads came in the other order.
  presence_->Withdraw(hold);
  presence_->Publish(hold);
  EXPECT_TRUE(Held());
  now_ += 50;
  presence_->RenewNow();
  now_ += 11;
  EXPECT_FALSE(Held());
}

TEST_P(ControlPresenceTest, AReplacedChannelKeepsTheNewHold) {
  auto first = std::make_shared<IdleSession>();
  auto second = std::make_shared<IdleSession>();
  hub_.Register(agent_, 1, first);
  hub_.Register(agent_, 1, second);
  hub_.Unregister(agent_, first.get());
  EXPECT_TRUE(Held());
  hub_.Unregister(agent_, second.get());
  EXPECT_FALSE(Held());
}

}  // namespace
INSTANTIATE_STORE_TEST_SUITE_P(ControlPresenceTest);

}  // namespace erpsync::server
