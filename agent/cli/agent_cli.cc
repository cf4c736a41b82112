#include "agent/cli/agent_cli.h"

#include "agent/cli/agent_command.h"
#include "common/version.h"
#include "common/command_line.h"

namespace erpsync::agent {

int RunAgentCli(int argc, char** argv) {
  const std::vector<CommandSpec> commands = {
      {"run", "the service: scheduled syncs, sync-now requests, status (until SIGTERM)",
       RunServiceCommand},
      {"sync", "run a deep or incremental sync now", RunSyncCommand},
      {"erp checksum", "count and checksum the ERP's records per entity", RunErpChecksumCommand},
      {"mappings list", "the Advanced Mappings: record types, options, deep syncs owed",
       RunMappingsListCommand},
      {"mappings enable", "tick record types (they then need a deep sync)", RunMappingsEnableCommand},
      {"mappings disable", "untick record types (refused when data was synced, unless --force)",
       RunMappingsDisableCommand},
      {"mappings set", "tick or untick an option of a record type", RunMappingsSetCommand},
      {"status", "where each record type stands, and an unfinished deep sync", RunStatusCommand},
      {"sample-erp create", "write a Sage 300 CRE-shaped sample company (SQLite)",
       RunSampleErpCreateCommand},
      {"sample-erp mutate", "insert, change and delete rows of the sample company",
       RunSampleErpMutateCommand},
      {"sample-erp post", "post the sample company's unposted entries (written by exports)",
       RunSampleErpPostCommand},
  };
  return DispatchCommand(kAgentProgram, kErpsyncVersion, commands, argc, argv);
}

}  // namespace erpsync::agent
