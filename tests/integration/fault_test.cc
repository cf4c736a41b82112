// Faults, with the real binaries: the agent SIGKILLed at random points of
// a deep sync, the TCP connection cut mid stream, the server SIGKILLed and
// restarted during an incremental sync, SIGTERM during a sync. In every
// case the server ends up equal to the ERP (count and checksum per entity)
// and a further deep sync finds nothing to change.
#include <gtest/gtest.h>
#include <signal.h>

#include <random>
#include <regex>

#include "common/clock.h"
#include "tests/integration/binaries_fixture.h"
#include "tests/support/tcp_proxy.h"

namespace erpsync::testing {
namespace {

using std::chrono::seconds;

class FaultTest : public BinariesFixture {};

TEST_P(FaultTest, AgentKilledAtRandomPointsResumesWithoutLossOrDuplicates) {
  SetUpCompany(60000);
  uint64_t seed = std::random_device{}();
  if (const char* fixed = std::getenv("ERPSYNC_FAULT_SEED")) seed = std::stoull(fixed);
  std::mt19937_64 random(seed);
  SCOPED_TRACE("ERPSYNC_FAULT_SEED=" + std::to_string(seed));
  // Each run kills itself (SIGKILL) at a random batch: right after sending
  // one (the server may or may not commit it; the agent never sees its
  // acknowledgement) or right after saving the checkpoint of an
  // acknowledged one. Batches are of 200 records, so 4 runs of at most 44
  // batches cannot finish the 60,000 transactions, however fast or slow the
  // machine.
  for (int round = 0; round < 4; ++round) {
    const char* point = random() % 2 == 0 ? "after-batch-sent" : "after-deep-checkpoint";
    const std::string at = std::string(point) + ":" + std::to_string(5 + random() % 40);
    ::setenv("ERPSYNC_FAULT_CRASH_AT", at.c_str(), 1);
    const RunResult killed = RunCommand(SlowDeepSync(), Out("killed-" + std::to_string(round)));
    ::unsetenv("ERPSYNC_FAULT_CRASH_AT");
    ASSERT_EQ(killed.exit_code, 128 + SIGKILL) << at << "\n" << killed.err;
  }
  const RunResult last = RunCommand(SlowDeepSync(), Out("final"));
  ASSERT_EQ(last.exit_code, 0) << last.err;
  EXPECT_NE(last.out.find("\"resumed\":true"), std::string::npos) << last.out;
  EXPECT_NE(last.err.find("resuming at"), std::string::npos) << last.err;
  ExpectServerEqualsErp();
  ExpectNothingLeftToChange();
}

TEST_P(FaultTest, ConnectionCutMidStreamIsResumed) {
  SetUpCompany(40000);
  TcpProxy proxy(port_);
  agent_port_ = proxy.port();
  Subprocess agent(SlowDeepSync(), Out("agent"));
  // Cut by the bytes through the proxy (an in-process counter, polled every
  // 20 ms), not by the server's count (a process per poll, which a fast sync
  // on a loaded machine can outrun): the whole sync sends about 1.3 MB.
  for (const uint64_t at : {150'000u, 600'000u}) {
    ASSERT_TRUE(WaitFor([&] { return proxy.bytes_up() >= at; }, seconds(90))) << agent.Stderr();
    EXPECT_GE(proxy.CutAll(), 1);
  }
  ASSERT_EQ(agent.Wait(std::chrono::minutes(3)), 0) << agent.Stderr();
  EXPECT_TRUE(std::regex_search(agent.Stdout(), std::regex(R"re("reconnects":[2-9])re")))
      << agent.Stdout();
  EXPECT_GE(proxy.connections_accepted(), 3);
  ExpectServerEqualsErp();
  ExpectNothingLeftToChange();
}

TEST_P(FaultTest, ServerKilledDuringAnIncrementalSyncLosesNothing) {
  SetUpCompany(30000);
  ASSERT_EQ(Agent({"sync", "--deep"}, "deep").exit_code, 0);
  ASSERT_EQ(RunCommand({ERPSYNC_AGENT_BIN, "sample-erp", "mutate", "--erp", dir_.File("company.db"),
                        "--update", "12000", "--insert", "800", "--delete", "300", "--seed", "5"},
                       Out("mutate"))
                .exit_code,
            0);
  const int64_t written = RealClock().NowUnix();
  ASSERT_TRUE(WaitFor([&] { return RealClock().NowUnix() > written + 1; }, seconds(5)));
  TcpProxy proxy(port_);
  agent_port_ = proxy.port();
  const uint64_t before = proxy.bytes_up();
  Subprocess agent(AgentArgs({"sync", "--json", "--sync.batch_records=100", "--sync.window=1",
                              "--sync.retry_for_seconds=60", "--sync.stamp_lag_seconds=1"}),
                   Out("incremental"));
  // Kill the server once a good part of the changes went through.
  ASSERT_TRUE(WaitFor([&] { return proxy.bytes_up() > before + 400000; }, seconds(60)))
      << agent.Stderr();
  server_->Signal(SIGKILL);
  ASSERT_EQ(server_->Wait(seconds(10)), 128 + SIGKILL);
  ASSERT_TRUE(agent.Running()) << "the sync ended before the server was killed";
  StartServer();
  ASSERT_EQ(agent.Wait(std::chrono::minutes(3)), 0) << agent.Stderr();
  EXPECT_TRUE(std::regex_search(agent.Stdout(), std::regex(R"re("reconnects":[1-9])re")))
      << agent.Stdout();
  // The 300 deletions were found by the key census.
  EXPECT_NE(agent.Stdout().find("key census"), std::string::npos) << agent.Stdout();
  ExpectServerEqualsErp();
  ExpectNothingLeftToChange();
}

TEST_P(FaultTest, SigtermStopsAfterTheBatchInFlightAndTheSyncResumes) {
  SetUpCompany(40000);
  TcpProxy proxy(port_);
  agent_port_ = proxy.port();
  Subprocess agent(SlowDeepSync(), Out("agent"));
  ASSERT_TRUE(WaitFor([&] { return proxy.bytes_up() >= 100'000; }, seconds(60)));
  agent.Signal(SIGTERM);
  ASSERT_EQ(agent.Wait(seconds(30)), 130) << agent.Stderr();
  EXPECT_NE(agent.Stderr().find("stopped; what was acknowledged is kept (run the same command to "
                                "resume)"),
            std::string::npos)
      << agent.Stderr();
  const RunResult resumed = RunCommand(SlowDeepSync(), Out("resumed"));
  ASSERT_EQ(resumed.exit_code, 0) << resumed.err;
  EXPECT_NE(resumed.err.find("Transaction (JC): resuming at"), std::string::npos) << resumed.err;
  ExpectServerEqualsErp();
}

INSTANTIATE_BACKEND_TEST_SUITE_P(FaultTest);

}  // namespace
}  // namespace erpsync::testing
