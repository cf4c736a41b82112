#include "bench/agent_read.h"

#include "bench/agent_summary.h"

namespace erpsync::bench {

Result<ScenarioResult> RunAgentRead(CommandRunner& runner, const Toolbox& tools,
                                    const std::string& erp_path, const std::string& out_dir) {
  ERPSYNC_ASSIGN_OR_RETURN(
      proc::RunResult run,
      runner.Run("agent-read", {tools.agent, "erp", "checksum", "--json", "--erp.path=" + erp_path,
                                "--agent.state_dir=" + out_dir + "/read-agent-state",
                                "--agent.mappings_dir=" + tools.mappings_dir}));
  ERPSYNC_ASSIGN_OR_RETURN(const uint64_t rows, ParseChecksumRowCount(run.out));
  ScenarioResult result;
  result.id = "agent_read";
  result.name = "agent read + encode only";
  result.wall_seconds = run.wall_seconds;
  result.records = rows;
  result.client = run.usage;
  return result;
}

}  // namespace erpsync::bench
