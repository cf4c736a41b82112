// The agent's share of a deep sync on its own: `erpsync-agent erp checksum`
// reads every enabled record type of the default Advanced Mappings from the
// ERP, encodes and hashes every row exactly as a deep sync does, and sends
// nothing (no network, no server, no store). Set beside the deep sync and
// the sqlite3 copy, it shows how much of the deep sync's time reading the
// ERP's columns through SQLite and encoding them takes by itself. Stateless
// function; not thread-safe (the runner is not).
#ifndef ERPSYNC_BENCH_AGENT_READ_H_
#define ERPSYNC_BENCH_AGENT_READ_H_

#include <string>

#include "bench/command_runner.h"
#include "bench/scenario_result.h"
#include "bench/toolbox.h"
#include "common/status.h"

namespace erpsync::bench {

// Runs the checksum of `erp_path` with a fresh agent state under
// `out_dir`. The result's records are the rows the agent counted, its
// client usage the agent's. The errors of CommandRunner::Run;
// INVALID_ARGUMENT when its output is not a checksum listing.
Result<ScenarioResult> RunAgentRead(CommandRunner& runner, const Toolbox& tools,
                                    const std::string& erp_path, const std::string& out_dir);

}  // namespace erpsync::bench

#endif  // ERPSYNC_BENCH_AGENT_READ_H_
