// MeasureSync: one measured sync run of one or more agents into one
// erpsync-server, the way the benchmark measures every sync scenario:
//   - a fresh `serve` process on the server's data directory, stopped with
//     SIGTERM afterwards so wait4() gives its peak RSS and CPU time;
//   - a byte-counting TCP proxy (tools/proc) in front of it, which the agents
//     connect to: its client->server count is the bytes on the wire;
//   - every agent started at once (`erpsync-agent sync --json`, deep from the
//     beginning of time or incremental, with --sync.stamp_lag_seconds=1);
//     wall time from the first start to the last exit (steady clock); each
//     agent's peak RSS and CPU time from wait4(); records from its --json
//     summary.
// Stateless function; not thread-safe (the runner is not).
#ifndef ERPSYNC_BENCH_SYNC_MEASUREMENT_H_
#define ERPSYNC_BENCH_SYNC_MEASUREMENT_H_

#include <cstdint>
#include <string>
#include <vector>

#include "bench/agent_summary.h"
#include "bench/command_runner.h"
#include "bench/server_under_test.h"
#include "bench/toolbox.h"
#include "common/status.h"
#include "tools/proc/subprocess.h"

namespace erpsync::bench {

// The incremental syncs' stamp lag: rows stamped in the last second are left
// for the next run, so a run must start two seconds after a change (stamps
// have a resolution of one second) to see all of it.
inline constexpr int kStampLagSeconds = 1;

// One agent: its ERP, state directory and enrollment token.
struct AgentSetup {
  std::string name;  // names its log files
  std::string erp_path;
  std::string state_dir;
  std::string token_path;
};

struct AgentRun {
  std::string name;
  double wall_seconds = 0;
  proc::ProcessUsage usage;
  AgentSummary summary;
};

struct SyncMeasurement {
  std::vector<AgentRun> agents;
  // From the first agent's start to the last agent's exit.
  double wall_seconds = 0;
  // Through the proxy: client -> server (what crosses the WAN), and back.
  uint64_t bytes_up = 0;
  uint64_t bytes_down = 0;
  proc::ProcessUsage server;
  // CPU time of the benchmark process (mostly the proxy) during the run.
  double proxy_cpu_seconds = 0;

  uint64_t acknowledged() const;
  uint64_t records_sent() const;
  uint64_t deletions_sent() const;
  // Largest peak RSS of the agents, and their CPU seconds added up.
  proc::ProcessUsage agents_usage() const;
};

enum class SyncKind { kDeep, kIncremental };

// Runs the agents as described above. INTERNAL naming how many agents failed
// and the first one's command, exit code and stderr tail (or a summary that
// is not ok); the errors of ServerUnderTest::Start/Stop and of the proxy.
Result<SyncMeasurement> MeasureSync(CommandRunner& runner, const Toolbox& tools,
                                    ServerUnderTest& server, const std::vector<AgentSetup>& agents,
                                    SyncKind kind);

}  // namespace erpsync::bench

#endif  // ERPSYNC_BENCH_SYNC_MEASUREMENT_H_
