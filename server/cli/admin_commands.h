// The erpsync-server admin commands on agents and users that work on the
// store directly: agent list/revoke/rotate, user list/set/revoke and audit
// list. Every change is recorded in the store's admin audit; a running
// server (any process sharing the store) ends the streams of a revoked or
// rotated token within a second (RevocationWatch) and sees a user's new
// level on their next call.
#ifndef ERPSYNC_SERVER_CLI_ADMIN_COMMANDS_H_
#define ERPSYNC_SERVER_CLI_ADMIN_COMMANDS_H_

#include <vector>

#include "common/command_line.h"

namespace erpsync::server {

// The commands, for RunServerCli's dispatch table.
std::vector<CommandSpec> AdminCommands();

}  // namespace erpsync::server

#endif  // ERPSYNC_SERVER_CLI_ADMIN_COMMANDS_H_
