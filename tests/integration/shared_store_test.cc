// Several real erpsync-server processes on one PostgreSQL database serve one
// service: an agent given their addresses syncs through any of them and
// fails over when one dies, mid deep sync too; all say the agent is
// connected whichever holds its channel; a sync request made through one
// reaches the agent connected to another within a second, once; an
// admin command on the shared store holds on all; and PostgreSQL crashing
// and coming back under a running sync loses nothing.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <signal.h>

#include <chrono>
#include <cstdio>
#include <memory>
#include <regex>
#include <string>
#include <thread>
#include <vector>

#include "common/clock.h"
#include "tests/integration/binaries_fixture.h"
#include "tests/support/postgres_cluster.h"
#include "tests/support/status_matchers.h"
#include "tests/support/store_backend.h"
#include "tests/support/tcp_proxy.h"

namespace erpsync::testing {
namespace {

using std::chrono::seconds;
using std::chrono::steady_clock;

std::string Loopback(int port) { return "127.0.0.1:" + std::to_string(port); }

// How many times `needle` occurs in `text`.
size_t Occurrences(const std::string& text, const std::string& needle) {
  size_t count = 0;
  for (size_t at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1)) {
    ++count;
  }
  return count;
}

class SharedStoreTest : public BinariesFixture {
 protected:
  // Stops a server started by the test with SIGTERM: it must end cleanly.
  static void Stop(Subprocess& server) {
    server.Signal(SIGTERM);
    EXPECT_EQ(server.Wait(seconds(30)), 0) << server.Stderr();
  }
};

TEST_P(SharedStoreTest, TwoServersOnOneDatabaseServeOneService) {
  SetUpCompany(2000);
  const int first = port_;
  int second = 0;
  std::unique_ptr<Subprocess> other = StartPeerServer("server-b", &second);
  ASSERT_NE(second, 0);
  agent_address_ = Loopback(first) + "," + Loopback(second);
  const RunResult deep = Agent({"sync", "--deep", "--since", "beginning"}, "deep");
  ASSERT_EQ(deep.exit_code, 0) << deep.err;
  EXPECT_THAT(server_->Stderr(), ::testing::HasSubstr("sync of Acme Builders/sage300"));
  // What the agent sent to the first server, the second serves.
  port_ = second;
  ExpectServerEqualsErp();

  // The first server dies; the ERP changes; the agent's next sync goes to
  // the second server, incrementally, from where the first left off.
  server_->Signal(SIGKILL);
  ASSERT_EQ(server_->Wait(seconds(10)), 128 + SIGKILL);
  const RunResult mutated =
      RunCommand({ERPSYNC_AGENT_BIN, "sample-erp", "mutate", "--erp", dir_.File("company.db"),
                  "--insert", "20", "--update", "30", "--delete", "5", "--seed", "11"},
                 Out("mutate"));
  ASSERT_EQ(mutated.exit_code, 0) << mutated.err;
  // Incremental reads stop stamp_lag_seconds behind the clock: past it.
  const int64_t written = RealClock().NowUnix();
  ASSERT_TRUE(WaitFor([&] { return RealClock().NowUnix() > written + 1; }, seconds(5)));
  const RunResult incremental =
      Agent({"sync", "--json", "--sync.stamp_lag_seconds=1"}, "incremental");
  ASSERT_EQ(incremental.exit_code, 0) << incremental.err;
  EXPECT_THAT(other->Stderr(), ::testing::HasSubstr("sync of Acme Builders/sage300"));
  EXPECT_THAT(incremental.out, ::testing::HasSubstr("\"kind\":\"incremental\""));
  EXPECT_THAT(incremental.out, ::testing::Not(::testing::HasSubstr("\"mode\":\"deep")));
  ExpectServerEqualsErp();

  // A token revoked with an admin command on the shared store is refused
  // by the server that is left.
  const RunResult revoked = Server({"agent", "revoke", "1"});
  ASSERT_EQ(revoked.exit_code, 0) << revoked.err;
  const RunResult refused = Agent({"sync"}, "revoked");
  EXPECT_EQ(refused.exit_code, 77) << refused.err;
  EXPECT_THAT(refused.err, ::testing::HasSubstr("unknown or revoked token"));
  Stop(*other);
}

TEST_P(SharedStoreTest, ASyncRequestThroughOneServerReachesTheAgentOnAnotherWithinASecondOnce) {
  SetUpCompany(500);
  ASSERT_EQ(Agent({"sync", "--deep"}, "deep").exit_code, 0);
  int second = 0;
  int third = 0;
  std::unique_ptr<Subprocess> b = StartPeerServer("server-b", &second);
  std::unique_ptr<Subprocess> c = StartPeerServer("server-c", &third);
  ASSERT_NE(third, 0);
  // The agent's service holds its control channel on the third server;
  // the requests are made through the first.
  agent_address_ = Loopback(third);
  Subprocess agent(AgentArgs({"run", "--schedule.incremental_every_seconds=3600",
                              "--schedule.deep_at=never", "--sync.stamp_lag_seconds=1"}),
                   Out("agent"));
  ASSERT_TRUE(WaitFor([&] { return AgentConnectedTo(third); }, seconds(30))) << agent.Stderr();
  // Every server says it is connected.
  EXPECT_TRUE(AgentConnectedTo(port_));
  EXPECT_TRUE(AgentConnectedTo(second));
  const std::string received = "sync requested by ";
  for (size_t round = 1; round <= 3; ++round) {
    const RunResult requested =
        Ctl({"sync", "request", "--entities", "jc_transaction", "--json"});
    ASSERT_EQ(requested.exit_code, 0) << requested.err;
    const auto stored = steady_clock::now();
    const std::string id = Find(requested.out, R"re("request_id":"([^"]+)")re");
    ASSERT_FALSE(id.empty()) << requested.out;
    ASSERT_TRUE(WaitFor([&] { return agent.Stderr().find("(" + id + ")") != std::string::npos; },
                        seconds(30)))
        << agent.Stderr();
    EXPECT_LT(steady_clock::now() - stored, seconds(1))
        << "request " << id << " took longer than a second to reach the agent";
    ASSERT_TRUE(WaitFor(
        [&] {
          return Find(Ctl({"sync", "show", id, "--json"}).out, R"re("state":"([a-z_]+)")re") ==
                 "done";
        },
        seconds(60)))
        << Ctl({"sync", "show", id, "--json"}).out << agent.Stderr();
    EXPECT_EQ(Occurrences(agent.Stderr(), received), round) << agent.Stderr();
  }
  // However many servers were told, each request ran once.
  std::this_thread::sleep_for(seconds(2));
  EXPECT_EQ(Occurrences(agent.Stderr(), received), 3u) << agent.Stderr();
  EXPECT_EQ(Occurrences(agent.Stderr(), "starting a sync (incremental, requested by"), 3u)
      << agent.Stderr();
  agent.Signal(SIGTERM);
  EXPECT_EQ(agent.Wait(seconds(30)), 0) << agent.Stderr();
  // And that it is gone, as soon as it is.
  EXPECT_TRUE(WaitFor([&] { return !AgentConnectedTo(port_); }, seconds(5)));
  Stop(*b);
  Stop(*c);
}

TEST_P(SharedStoreTest, AServerKilledDuringADeepSyncLeavesItsAgentToFinishOnAnother) {
  SetUpCompany(40000);
  int second = 0;
  int third = 0;
  std::unique_ptr<Subprocess> b = StartPeerServer("server-b", &second);
  std::unique_ptr<Subprocess> c = StartPeerServer("server-c", &third);
  ASSERT_NE(third, 0);
  // The first server is reached through a proxy that counts the bytes.
  auto proxy = std::make_unique<TcpProxy>(port_);
  agent_address_ = Loopback(proxy->port()) + "," + Loopback(second) + "," + Loopback(third);
  Subprocess agent(SlowDeepSync(), Out("agent"));
  ASSERT_TRUE(WaitFor([&] { return proxy->bytes_up() >= 300'000; }, seconds(90)))
      << agent.Stderr();
  server_->Signal(SIGKILL);
  ASSERT_EQ(server_->Wait(seconds(10)), 128 + SIGKILL);
  // Its address no longer answers at all.
  proxy.reset();
  ASSERT_TRUE(agent.Running()) << "the sync ended before the server was killed";
  ASSERT_EQ(agent.Wait(std::chrono::minutes(3)), 0) << agent.Stderr();
  EXPECT_TRUE(std::regex_search(agent.Stdout(), std::regex(R"re("reconnects":[1-9])re")))
      << agent.Stdout();
  // The second address in the list took the pass over and closed it.
  EXPECT_THAT(b->Stderr(), ::testing::HasSubstr("sync of Acme Builders/sage300"));
  port_ = second;
  ExpectServerEqualsErp();
  ExpectNothingLeftToChange();
  Stop(*b);
  Stop(*c);
}

TEST_P(SharedStoreTest, PostgresqlCrashingUnderARunningSyncLosesNothing) {
  // A cluster of the test's own: the tests' shared one must not go down.
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<PostgresCluster> cluster, PostgresCluster::Start());
  ASSERT_OK(cluster->CreateDatabase("erpsync"));
  store_backend_ = TestStoreBackend::OnPostgresDatabase(cluster->Dsn("erpsync"));
  SetUpCompany(40000);
  int second = 0;
  std::unique_ptr<Subprocess> b = StartPeerServer("server-b", &second);
  ASSERT_NE(second, 0);
  auto proxy = std::make_unique<TcpProxy>(port_);
  agent_address_ = Loopback(proxy->port()) + "," + Loopback(second);
  Subprocess agent(SlowDeepSync(), Out("agent"));
  ASSERT_TRUE(WaitFor([&] { return proxy->bytes_up() >= 300'000; }, seconds(90)))
      << agent.Stderr();
  ASSERT_OK(cluster->Crash());
  // Meanwhile the servers answer, saying the store is unavailable.
  const RunResult down = Ctl({"records", "checksum", "--json"});
  EXPECT_EQ(down.exit_code, 69) << down.err;
  EXPECT_THAT(down.err, ::testing::HasSubstr("connecting to PostgreSQL"));
  std::this_thread::sleep_for(seconds(3));
  ASSERT_TRUE(agent.Running()) << agent.Stdout() << agent.Stderr();
  ASSERT_OK(cluster->Restart());
  ASSERT_EQ(agent.Wait(std::chrono::minutes(3)), 0) << agent.Stderr();
  EXPECT_TRUE(std::regex_search(agent.Stdout(), std::regex(R"re("reconnects":[1-9])re")))
      << agent.Stdout();
  EXPECT_TRUE(server_->Running()) << server_->Stderr();
  EXPECT_TRUE(b->Running()) << b->Stderr();
  ExpectServerEqualsErp();
  ExpectNothingLeftToChange();
  // Before the cluster goes.
  Stop(*server_);
  Stop(*b);
}

// Several servers share a store only on PostgreSQL.
INSTANTIATE_TEST_SUITE_P(, SharedStoreTest, ::testing::Values(server::StoreKind::kPostgresql),
                         StoreBackendParamName);

}  // namespace
}  // namespace erpsync::testing
