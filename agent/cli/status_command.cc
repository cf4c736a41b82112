// erpsync-agent status: where each enabled record type stands (last sync,
// last deep sync, records on the server, deep sync owed, last error), an
// unfinished deep sync and how far it got, and where the agent connects and
// keeps its state. Reads the agent's state only: no ERP, no server.
#include <iostream>

#include "agent/cli/agent_command.h"
#include "agent/cli/mappings_command.h"
#include "agent/cli/mappings_printer.h"
#include "common/command_line.h"
#include "common/exit_code.h"

namespace erpsync::agent {
namespace po = boost::program_options;

int RunStatusCommand(const std::vector<std::string>& args) {
  po::options_description description("status options");
  description.add_options()("json", po::bool_switch(), "print JSON");
  OptionsLoader loader(&description);
  AgentConfig config;
  int exit_code = 0;
  if (!LoadAgentCommand("erpsync-agent status [--json] [--config FILE]", description, nullptr, args,
                        &loader, &config, &exit_code)) {
    return exit_code;
  }
  return WithMappingAdmin(
      config, /*with_erp=*/false, [&](AgentRuntime& runtime, MappingAdmin& admin) {
        Result<std::vector<MappingRow>> rows = admin.List();
        if (!rows.ok()) return AgentFailure(rows.status());
        Result<std::optional<DeepRunStatus>> deep_run = admin.DeepRunInProgress();
        if (!deep_run.ok()) return AgentFailure(deep_run.status());
        AgentStatusView status;
        status.server_address = config.server_address;
        status.state_dir = config.state_dir;
        status.mappings_dir = runtime.catalog.directory();
        status.record_types = rows->size();
        for (MappingRow& row : *rows) {
          if (row.settings.enabled) status.rows.push_back(std::move(row));
        }
        status.deep_run = *std::move(deep_run);
        std::cout << (loader.Get<bool>("json") ? FormatStatusJson(status)
                                               : FormatStatusText(status));
        return kExitOk;
      });
}

}  // namespace erpsync::agent
