#include "agent/cli/agent_command.h"

#include "common/command_line.h"
#include "common/exit_code.h"
#include "common/log.h"

namespace erpsync::agent {

bool LoadAgentCommand(const std::string& usage,
                      boost::program_options::options_description& description,
                      const boost::program_options::positional_options_description* positional,
                      const std::vector<std::string>& args, OptionsLoader* loader,
                      AgentConfig* config, int* exit_code) {
  AddAgentConfigOptions(&description);
  if (!ParseCommandOptions(usage, description, positional, args, loader, exit_code,
                           DefaultConfigFile("agent.conf"))) {
    return false;
  }
  Result<AgentConfig> loaded = AgentConfigFrom(*loader);
  if (!loaded.ok()) {
    *exit_code = ReportUsageError(kAgentProgram, loaded.status().message());
    return false;
  }
  *config = *std::move(loaded);
  SetLogLevel(*ParseLogLevel(config->log_level));
  return true;
}

int AgentFailure(const Status& status) {
  const int code = ReportFailure(kAgentProgram, status);
  if (status.code() == StatusCode::kNotFound) return kExitNoInput;
  if (status.code() == StatusCode::kInvalidArgument &&
      status.message().find(".textproto:") != std::string::npos) {
    return kExitDataError;
  }
  return code;
}

std::optional<AgentRuntime> OpenCommandRuntime(const AgentConfig& config, bool with_erp,
                                               int* exit_code) {
  if (with_erp) {
    if (const Status erp = CheckErpConfigured(config); !erp.ok()) {
      *exit_code = ReportUsageError(kAgentProgram, erp.message());
      return std::nullopt;
    }
  }
  Result<AgentRuntime> runtime = OpenAgentRuntime(config, with_erp);
  if (!runtime.ok()) {
    *exit_code = AgentFailure(runtime.status());
    return std::nullopt;
  }
  return *std::move(runtime);
}

int CheckMappingIds(const Catalog& catalog, const std::vector<std::string>& ids,
                    const std::string& command) {
  for (const std::string& id : ids) {
    if (catalog.Find(id) == nullptr) {
      return ReportUsageError(kAgentProgram, command + ": no mapping with id '" + id + "'");
    }
  }
  return kExitOk;
}

std::vector<std::string> SplitIds(const std::string& list) {
  std::vector<std::string> ids;
  size_t start = 0;
  while (start < list.size()) {
    size_t comma = list.find(',', start);
    if (comma == std::string::npos) comma = list.size();
    if (comma > start) ids.push_back(list.substr(start, comma - start));
    start = comma + 1;
  }
  return ids;
}

}  // namespace erpsync::agent
