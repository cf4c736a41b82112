#include "server/sync/agent_hub.h"

#include <gtest/gtest.h>

namespace erpsync::server {
namespace {

struct FakeSession : ControlSession {
  int wakes = 0;
  int ends = 0;
  bool replaced = false;
  void Wake() override { ++wakes; }
  void End(bool was_replaced) override {
    ++ends;
    replaced = was_replaced;
  }
};

TEST(AgentHubTest, WakesTheSessionsOfAConnection) {
  AgentHub hub;
  FakeSession a, b;
  hub.Register(1, 10, &a);
  hub.Register(2, 20, &b);
  EXPECT_EQ(hub.WakeConnection(10), 1);
  EXPECT_EQ(a.wakes, 1);
  EXPECT_EQ(b.wakes, 0);
  EXPECT_TRUE(hub.IsConnected(1));
  hub.Unregister(1, &a);
  EXPECT_FALSE(hub.IsConnected(1));
  EXPECT_EQ(hub.WakeConnection(10), 0);
}

TEST(AgentHubTest, ASecondConnectionReplacesTheFirst) {
  AgentHub hub;
  FakeSession first, second;
  hub.Register(1, 10, &first);
  hub.Register(1, 10, &second);
  EXPECT_EQ(first.ends, 1);
  EXPECT_TRUE(first.replaced);
  // The replaced session unregistering must not remove the new one.
  hub.Unregister(1, &first);
  EXPECT_TRUE(hub.IsConnected(1));
  hub.EndAll();
  EXPECT_EQ(second.ends, 1);
  EXPECT_FALSE(second.replaced);
}

}  // namespace
}  // namespace erpsync::server
