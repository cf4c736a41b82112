#include "bench/sync_measurement.h"

#include <algorithm>
#include <chrono>
#include <memory>

#include "tools/proc/subprocess.h"
#include "tools/proc/tcp_proxy.h"

namespace erpsync::bench {
namespace {

std::vector<std::string> AgentArgv(const Toolbox& tools, const AgentSetup& agent, int port,
                                   SyncKind kind) {
  std::vector<std::string> argv = {tools.agent, "sync"};
  if (kind == SyncKind::kDeep) {
    argv.insert(argv.end(), {"--deep", "--since", "beginning"});
  }
  argv.insert(argv.end(),
              {"--json", "--server.address=127.0.0.1:" + std::to_string(port),
               "--server.token_file=" + agent.token_path, "--erp.path=" + agent.erp_path,
               "--agent.state_dir=" + agent.state_dir, "--agent.mappings_dir=" + tools.mappings_dir,
               "--sync.stamp_lag_seconds=" + std::to_string(kStampLagSeconds)});
  return argv;
}

// Starts the agents, waits for all, and collects their figures.
Status RunAgents(CommandRunner& runner, const Toolbox& tools, const std::vector<AgentSetup>& agents,
                 int port, SyncKind kind, SyncMeasurement* measurement) {
  std::vector<std::unique_ptr<proc::Subprocess>> processes;
  for (const AgentSetup& agent : agents) {
    ERPSYNC_ASSIGN_OR_RETURN(std::unique_ptr<proc::Subprocess> process,
                             runner.Start(agent.name, AgentArgv(tools, agent, port, kind)));
    processes.push_back(std::move(process));
  }
  std::vector<proc::Subprocess*> raw;
  for (const auto& process : processes) raw.push_back(process.get());
  ERPSYNC_RETURN_IF_ERROR(proc::WaitAll(raw, runner.timeout()));

  auto first_start = raw.front()->started_at();
  auto last_exit = raw.front()->exited_at();
  int failed = 0;
  Status first_failure;
  for (size_t i = 0; i < raw.size(); ++i) {
    first_start = std::min(first_start, raw[i]->started_at());
    last_exit = std::max(last_exit, raw[i]->exited_at());
    Status status = CommandRunner::ExitStatus(agents[i].name, *raw[i]);
    AgentRun run;
    if (status.ok()) {
      Result<AgentSummary> summary = ParseAgentSummary(raw[i]->Stdout());
      if (!summary.ok()) {
        status = summary.status().WithContext(agents[i].name);
      } else if (!summary->ok) {
        status = InternalError(agents[i].name + ": the sync summary says a record type failed:\n" +
                               proc::Tail(raw[i]->Stdout()));
      } else {
        run.summary = *summary;
      }
    }
    if (!status.ok()) {
      if (failed++ == 0) first_failure = status;
      continue;
    }
    run.name = agents[i].name;
    run.wall_seconds = raw[i]->wall_seconds();
    run.usage = raw[i]->usage().value_or(proc::ProcessUsage{});
    measurement->agents.push_back(std::move(run));
  }
  if (failed > 0) {
    return first_failure.WithContext(std::to_string(failed) + " of " +
                                     std::to_string(agents.size()) + " agents failed");
  }
  measurement->wall_seconds = std::chrono::duration<double>(last_exit - first_start).count();
  return Status::Ok();
}

}  // namespace

uint64_t SyncMeasurement::acknowledged() const {
  uint64_t total = 0;
  for (const AgentRun& agent : agents) total += agent.summary.acknowledged;
  return total;
}

uint64_t SyncMeasurement::records_sent() const {
  uint64_t total = 0;
  for (const AgentRun& agent : agents) total += agent.summary.records_sent;
  return total;
}

uint64_t SyncMeasurement::deletions_sent() const {
  uint64_t total = 0;
  for (const AgentRun& agent : agents) total += agent.summary.deletions_sent;
  return total;
}

proc::ProcessUsage SyncMeasurement::agents_usage() const {
  proc::ProcessUsage usage;
  for (const AgentRun& agent : agents) {
    usage.max_rss_kib = std::max(usage.max_rss_kib, agent.usage.max_rss_kib);
    usage.user_seconds += agent.usage.user_seconds;
    usage.system_seconds += agent.usage.system_seconds;
  }
  return usage;
}

Result<SyncMeasurement> MeasureSync(CommandRunner& runner, const Toolbox& tools,
                                    ServerUnderTest& server, const std::vector<AgentSetup>& agents,
                                    SyncKind kind) {
  if (agents.empty()) return InvalidArgumentError("MeasureSync: no agents");
  ERPSYNC_RETURN_IF_ERROR(server.Start());
  SyncMeasurement measurement;
  Status ran;
  {
    Result<std::unique_ptr<proc::TcpProxy>> proxy = proc::TcpProxy::Start(server.port());
    if (!proxy.ok()) {
      ran = proxy.status();
    } else {
      const double cpu_before = proc::SelfCpuSeconds();
      ran = RunAgents(runner, tools, agents, (*proxy)->port(), kind, &measurement);
      measurement.proxy_cpu_seconds = proc::SelfCpuSeconds() - cpu_before;
      // The agents have exited; their connections end once the proxy has
      // passed their last bytes on and the server has closed its side.
      if (ran.ok() && !(*proxy)->WaitIdle(std::chrono::seconds(10))) {
        ran = InternalError(
            "connections through the byte-counting proxy were still open 10 s "
            "after the agents exited");
      }
      measurement.bytes_up = (*proxy)->bytes_up();
      measurement.bytes_down = (*proxy)->bytes_down();
    }
  }
  // The server is stopped whatever happened, so none is left behind.
  Result<proc::ProcessUsage> stopped = server.Stop();
  ERPSYNC_RETURN_IF_ERROR(ran);
  if (!stopped.ok()) return stopped.status();
  measurement.server = *stopped;
  return measurement;
}

}  // namespace erpsync::bench
