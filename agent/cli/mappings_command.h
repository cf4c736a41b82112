// Shared by the commands that work on the Advanced Mappings settings
// (`erpsync-agent mappings ...`, `erpsync-agent status`). Not thread-safe
// (runs in main).
#ifndef ERPSYNC_AGENT_CLI_MAPPINGS_COMMAND_H_
#define ERPSYNC_AGENT_CLI_MAPPINGS_COMMAND_H_

#include <functional>

#include "agent/app/agent_runtime.h"
#include "agent/state/mapping_admin.h"

namespace erpsync::agent {

// Opens the agent's runtime (with the ERP when `with_erp`) and returns what
// `work` returns, run with a MappingAdmin over it; when the runtime does
// not open (a bad mapping file: 65, a missing ERP file: 66, ...) prints
// why and returns that exit code instead.
int WithMappingAdmin(const AgentConfig& config, bool with_erp,
                     const std::function<int(AgentRuntime& runtime, MappingAdmin& admin)>& work);

}  // namespace erpsync::agent

#endif  // ERPSYNC_AGENT_CLI_MAPPINGS_COMMAND_H_
