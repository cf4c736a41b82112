// The Prometheus endpoints of the real binaries: erpsync-server serve and
// the erpsync-agent run service, each on an ephemeral loopback port read
// from its log, scraped over HTTP after a sync; and the configurations they
// refuse (an address off loopback without the opt-in, a bad value, a port
// in use).
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <signal.h>

#include <string>

#include "common/clock.h"
#include "tests/integration/binaries_fixture.h"
#include "tests/support/metrics_scrape.h"

namespace erpsync::testing {
namespace {

using std::chrono::seconds;
using ::testing::HasSubstr;
using MetricsTest = BinariesFixture;

// The port of "<program> metrics on http://127.0.0.1:PORT/metrics" in a
// log; 0 when it is not there (yet).
int MetricsPort(const std::string& log, const std::string& program) {
  return std::stoi("0" +
                   Find(log, program + R"re( metrics on http://127\.0\.0\.1:([0-9]+)/metrics)re"));
}

TEST_P(MetricsTest, TheServerAndTheServiceServeWhatTheySynced) {
  SetUpCompany(3000);
  server_->Signal(SIGTERM);
  ASSERT_EQ(server_->Wait(seconds(30)), 0) << server_->Stderr();
  StartServer({"--metrics.listen=127.0.0.1:0"});
  const int server_metrics = MetricsPort(server_->Stderr(), "erpsync-server");
  ASSERT_GT(server_metrics, 0) << server_->Stderr();

  // What the ERP holds, per record type.
  const RunResult erp = Agent({"erp", "checksum", "--json"}, "erp-figures");
  ASSERT_EQ(erp.exit_code, 0) << erp.err;
  double erp_rows = 0;
  for (const auto& [entity, figures] : FiguresFromJson(erp.out)) {
    erp_rows += std::stod(figures.substr(0, figures.find(' ')));
  }
  ASSERT_GT(erp_rows, 3000);

  const int64_t started = RealClock().NowUnix();
  Subprocess agent(
      AgentArgs({"run", "--metrics.listen=127.0.0.1:0", "--schedule.incremental_every_seconds=3600",
                 "--schedule.deep_at=never"}),
      Out("agent-run"));
  int agent_metrics = 0;
  ASSERT_TRUE(WaitFor(
      [&] {
        agent_metrics = MetricsPort(agent.Stderr(), "erpsync-agent");
        return agent_metrics > 0 || !agent.Running();
      },
      seconds(30)));
  ASSERT_GT(agent_metrics, 0) << agent.Stderr();

  // Once the agent synced everything and is idle, both sides agree.
  std::string agent_text;
  std::string server_text;
  ASSERT_TRUE(WaitFor(
      [&] {
        agent_text = HttpGet(agent_metrics).body;
        server_text = HttpGet(server_metrics).body;
        return !agent.Running() ||
               (SumSamples(agent_text, "erpsync_agent_sync_runs_total", R"(outcome="ok")") >= 1 &&
                SumSamples(server_text, "erpsync_server_records_applied_total",
                           R"(change="inserted")") == erp_rows &&
                SampleValue(server_text, "erpsync_server_sync_streams_active") == 0 &&
                SumSamples(agent_text, "erpsync_agent_records_sent_total") ==
                    SumSamples(server_text, "erpsync_server_records_received_total"));
      },
      seconds(120)))
      << "agent:\n"
      << agent_text << "\nserver:\n"
      << server_text << "\n"
      << agent.Stderr();
  ASSERT_TRUE(agent.Running()) << agent.Stderr();

  // The server: every ERP row arrived once, for the one company.
  EXPECT_GE(SumSamples(server_text, "erpsync_server_records_received_total",
                       R"(company="Acme Builders")"),
            erp_rows);
  EXPECT_GE(SumSamples(server_text, "erpsync_server_sync_runs_total",
                       R"(company="Acme Builders",outcome="complete")"),
            1);
  EXPECT_GT(SumSamples(server_text, "erpsync_server_received_bytes_total"), 0);
  EXPECT_EQ(SampleValue(server_text, "erpsync_server_agents_connected"), 1);
  EXPECT_EQ(SampleValue(server_text, R"(erpsync_server_mail_outbox_messages{state="retrying"})"),
            0);

  // The agent: when each record type last synced, nothing set aside, no
  // reconnects.
  const std::optional<double> synced = SampleValue(
      agent_text,
      R"(erpsync_agent_last_successful_sync_timestamp_seconds{record_type="jc_transaction"})");
  ASSERT_TRUE(synced.has_value()) << agent_text;
  EXPECT_GE(*synced, static_cast<double>(started));
  EXPECT_LE(*synced, static_cast<double>(RealClock().NowUnix()));
  EXPECT_EQ(
      SampleValue(agent_text, R"(erpsync_agent_quarantined_rows{record_type="jc_transaction"})"),
      0);
  EXPECT_EQ(SumSamples(agent_text, "erpsync_agent_quarantined_rows"), 0);
  EXPECT_EQ(SampleValue(agent_text, "erpsync_agent_reconnects_total"), 0);
  EXPECT_EQ(SumSamples(agent_text, "erpsync_agent_sync_runs_total", R"(outcome="error")"), 0);

  // A second agent service on the same metrics port: refused, saying why.
  const RunResult second =
      Agent({"run", "--metrics.listen=127.0.0.1:" + std::to_string(agent_metrics)}, "second-run");
  EXPECT_EQ(second.exit_code, 69) << second.err;
  EXPECT_THAT(second.err, HasSubstr("metrics endpoint: cannot listen on 127.0.0.1:" +
                                    std::to_string(agent_metrics) + ": address already in use"));

  agent.Signal(SIGTERM);
  EXPECT_EQ(agent.Wait(seconds(60)), 0) << agent.Stderr();
}

TEST_P(MetricsTest, AServerMetricsPortInUseFailsToStartSayingWhy) {
  SetUpCompany(10);
  server_->Signal(SIGTERM);
  ASSERT_EQ(server_->Wait(seconds(30)), 0) << server_->Stderr();
  StartServer({"--metrics.listen=127.0.0.1:0"});
  const int taken = MetricsPort(server_->Stderr(), "erpsync-server");
  ASSERT_GT(taken, 0) << server_->Stderr();
  const RunResult second = Server({"serve", "--server.listen=127.0.0.1:0",
                                   "--metrics.listen=127.0.0.1:" + std::to_string(taken)});
  EXPECT_EQ(second.exit_code, 69) << second.err;
  EXPECT_THAT(second.err, HasSubstr("metrics endpoint: cannot listen on 127.0.0.1:" +
                                    std::to_string(taken) + ": address already in use"));
}

TEST_P(MetricsTest, OffLoopbackWithoutTheOptInAndBadValuesAreUsageErrors) {
  const RunResult server =
      Server({"serve", "--server.listen=127.0.0.1:0", "--metrics.listen=0.0.0.0:0"});
  EXPECT_EQ(server.exit_code, 64) << server.err;
  EXPECT_THAT(server.err, HasSubstr("--metrics.listen: 0.0.0.0:0 is not a loopback address"));
  EXPECT_THAT(server.err, HasSubstr("metrics.allow_remote = true"));

  const RunResult agent = Agent({"run", "--metrics.listen=192.0.2.1:9742"}, "remote");
  EXPECT_EQ(agent.exit_code, 64) << agent.err;
  EXPECT_THAT(agent.err, HasSubstr("--metrics.listen: 192.0.2.1:9742 is not a loopback address"));

  const std::string conf = dir_.File("server.conf");
  WriteTextFile(conf, "[server]\nlisten = 127.0.0.1:0\n\n[metrics]\nlisten = everywhere\n");
  const RunResult bad = Server({"serve", "--config=" + conf});
  EXPECT_EQ(bad.exit_code, 64) << bad.err;
  EXPECT_THAT(bad.err, HasSubstr(conf + ":5: metrics.listen: 'everywhere' is not ip:port"));

  WriteTextFile(conf, "[metrics]\nport = 9741\n");
  const RunResult unknown = Server({"serve", "--config=" + conf});
  EXPECT_EQ(unknown.exit_code, 64) << unknown.err;
  EXPECT_THAT(unknown.err, HasSubstr(conf + ":2"));
  EXPECT_THAT(unknown.err, HasSubstr("metrics.port"));
}

INSTANTIATE_BACKEND_TEST_SUITE_P(MetricsTest);

}  // namespace
}  // namespace erpsync::testing
