#include "ctl/ctl_cli.h"

#include "common/command_line.h"
#include "common/version.h"
#include "ctl/agents_commands.h"
#include "ctl/client/ctl_client.h"
#include "ctl/import_commands.h"
#include "ctl/items_commands.h"
#include "ctl/records_commands.h"
#include "ctl/settings_commands.h"

namespace erpsync::ctl {

int RunCtlCli(int argc, char** argv) {
  std::vector<CommandSpec> commands = {
      {"records count", "live records the server holds (per entity, or one)", RecordsCountCommand},
      {"records checksum", "record counts and checksums per entity", RecordsChecksumCommand},
      {"records list", "list an entity's mirrored records", RecordsListCommand},
      {"entities list", "entities the company's agents have synced", EntitiesListCommand},
      {"agents status", "the company's agents: connected, last sync, next runs, errors",
       AgentsStatusCommand},
      {"sync request", "ask the agent to sync now (the refresh buttons)", SyncRequestCommand},
      {"sync show", "where a sync request stands", SyncShowCommand},
  };
  for (std::vector<CommandSpec> group : {ItemsCommands(), ImportCommands(), SettingsCommands()}) {
    for (CommandSpec& spec : group) commands.push_back(std::move(spec));
  }
  return DispatchCommand(kCtlProgram, kErpsyncVersion, commands,
                         ConnectionOptionsLast(std::vector<std::string>(argv + 1, argv + argc)));
}

}  // namespace erpsync::ctl
