#include "server/sync/agent_hub.h"

#include <gtest/gtest.h>

#include <memory>
#include <vector>

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
  auto a = std::make_shared<FakeSession>();
  auto b = std::make_shared<FakeSession>();
  hub.Register(1, 10, a);
  hub.Register(2, 20, b);
  EXPECT_EQ(hub.WakeConnection(10), 1);
  EXPECT_EQ(a->wakes, 1);
  EXPECT_EQ(b->wakes, 0);
  EXPECT_TRUE(hub.IsConnected(1));
  hub.Unregister(1, a.get());
  EXPECT_FALSE(hub.IsConnected(1));
  EXPECT_EQ(hub.WakeConnection(10), 0);
}

// Records the signals sent to the other servers.
struct RecordingSignals : ConnectionSignals {
  std::vector<int64_t> sent;
  void Signal(int64_t connection_id) override { sent.push_back(connection_id); }
  void Start(Listener /*listener*/) override {}
  void Stop() override {}
};

TEST(AgentHubTest, WakingAConnectionTellsTheOtherServersAndASignalWakesOnlyHere) {
  AgentHub hub;
  RecordingSignals signals;
  hub.SetSignals(&signals);
  auto a = std::make_shared<FakeSession>();
  auto b = std::make_shared<FakeSession>();
  hub.Register(1, 10, a);
  hub.Register(2, 20, b);
  // Work created here: the agents here and the other servers.
  EXPECT_EQ(hub.WakeConnection(30), 0);
  EXPECT_EQ(signals.sent, std::vector<int64_t>{30});
  // A signal from another server: here only, not sent back out.
  EXPECT_EQ(hub.WakeLocal(20), 1);
  EXPECT_EQ(b->wakes, 1);
  // Signals were missed: every session looks.
  EXPECT_EQ(hub.WakeLocal(ConnectionSignals::kAllConnections), 2);
  EXPECT_EQ(a->wakes, 1);
  EXPECT_EQ(b->wakes, 2);
  EXPECT_EQ(signals.sent, std::vector<int64_t>{30});
}

TEST(AgentHubTest, ASecondConnectionReplacesTheFirst) {
  AgentHub hub;
  auto first = std::make_shared<FakeSession>();
  auto second = std::make_shared<FakeSession>();
  hub.Register(1, 10, first);
  hub.Register(1, 10, second);
  EXPECT_EQ(first->ends, 1);
  EXPECT_TRUE(first->replaced);
  // The replaced session unregistering must not remove the new one.
  hub.Unregister(1, first.get());
  EXPECT_TRUE(hub.IsConnected(1));
  hub.EndAll();
  EXPECT_EQ(second->ends, 1);
  EXPECT_FALSE(second->replaced);
}

// A session's Wake does store I/O: the hub must not hold its lock meanwhile
// (a session calling back into the hub would deadlock if it did).
struct ReentrantSession : FakeSession {
  AgentHub* hub = nullptr;
  bool saw_connected = false;
  void Wake() override {
    FakeSession::Wake();
    saw_connected = hub->IsConnected(1);
  }
};

TEST(AgentHubTest, SessionsAreCalledWithoutTheHubsLock) {
  AgentHub hub;
  auto session = std::make_shared<ReentrantSession>();
  session->hub = &hub;
  hub.Register(1, 10, session);
  EXPECT_EQ(hub.WakeConnection(10), 1);
  EXPECT_TRUE(session->saw_connected);
}

TEST(AgentHubTest, ASessionGoneIsNeitherWokenNorEnded) {
  AgentHub hub;
  auto session = std::make_shared<FakeSession>();
  hub.Register(1, 10, session);
  session.reset();
  EXPECT_EQ(hub.WakeConnection(10), 0);
  hub.EndAll();
}

}  // namespace
}  // namespace erpsync::server
