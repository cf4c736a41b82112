// Shared plumbing of the agent's commands: option parsing with the config
// keys, and the exit code for a failed status.
#ifndef ERPSYNC_AGENT_CLI_AGENT_COMMAND_H_
#define ERPSYNC_AGENT_CLI_AGENT_COMMAND_H_

#include <boost/program_options.hpp>
#include <optional>
#include <string>
#include <vector>

#include "agent/app/agent_runtime.h"
#include "agent/config/agent_config.h"
#include "common/options_loader.h"
#include "common/status.h"

namespace erpsync::agent {

inline constexpr char kAgentProgram[] = "erpsync-agent";

// Adds the config keys to `description`, parses `args` (and --config) and
// fills `config`. On --help or a usage/config error prints and returns false
// with the exit code in *exit_code (0 or 64).
bool LoadAgentCommand(const std::string& usage,
                      boost::program_options::options_description& description,
                      const boost::program_options::positional_options_description* positional,
                      const std::vector<std::string>& args, OptionsLoader* loader,
                      AgentConfig* config, int* exit_code);

// Prints the failure and returns its exit code; problems with mapping
// files exit 65 (data error), a missing ERP or token file 66.
int AgentFailure(const Status& status);

// OpenAgentRuntime for a command. On failure prints it and sets *exit_code:
// an ERP the configuration does not name (CheckErpConfigured) is a usage
// error (64), as for `run`; other failures as AgentFailure.
std::optional<AgentRuntime> OpenCommandRuntime(const AgentConfig& config, bool with_erp,
                                               int* exit_code);

// For ids a command was given: prints "COMMAND: no mapping with id 'X'"
// for the first one `catalog` lacks and returns 64 (a usage error); 0 when
// every id is a mapping's.
int CheckMappingIds(const Catalog& catalog, const std::vector<std::string>& ids,
                    const std::string& command);

// Splits "a,b,c" into ids.
std::vector<std::string> SplitIds(const std::string& list);

int RunSyncCommand(const std::vector<std::string>& args);
int RunSampleErpCreateCommand(const std::vector<std::string>& args);
int RunSampleErpMutateCommand(const std::vector<std::string>& args);
int RunSampleErpPostCommand(const std::vector<std::string>& args);
int RunErpChecksumCommand(const std::vector<std::string>& args);
int RunMappingsListCommand(const std::vector<std::string>& args);
int RunMappingsEnableCommand(const std::vector<std::string>& args);
int RunMappingsDisableCommand(const std::vector<std::string>& args);
int RunMappingsSetCommand(const std::vector<std::string>& args);
int RunStatusCommand(const std::vector<std::string>& args);
int RunServiceCommand(const std::vector<std::string>& args);

}  // namespace erpsync::agent

#endif  // ERPSYNC_AGENT_CLI_AGENT_COMMAND_H_
