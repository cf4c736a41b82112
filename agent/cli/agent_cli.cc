#include "agent/cli/agent_cli.h"

#include "agent/cli/agent_command.h"
#include "common/command_line.h"

namespace erpsync::agent {

int RunAgentCli(int argc, char** argv) {
  const std::vector<CommandSpec> commands = {
      {"sync", "run a deep or incremental sync now", RunSyncCommand},
      {"erp checksum", "count and checksum the ERP's records per entity", RunErpChecksumCommand},
      {"sample-erp create", "write a Sage 300 CRE-shaped sample company (SQLite)",
       RunSampleErpCreateCommand},
      {"sample-erp mutate", "insert, change and delete rows of the sample company",
       RunSampleErpMutateCommand},
  };
  return DispatchCommand(kAgentProgram, kAgentVersion, commands, argc, argv);
}

}  // namespace erpsync::agent
