// erpsync-server store commands: checks of the store file itself, run
// offline on the database of the configured data dir.
#ifndef ERPSYNC_SERVER_CLI_STORE_COMMANDS_H_
#define ERPSYNC_SERVER_CLI_STORE_COMMANDS_H_

#include <string>
#include <vector>

namespace erpsync::server {

// `store verify [--company NAME] [--repair] [--json]`: recomputes each
// entity's live count, deleted count and checksum from its record rows and
// compares them with the stored running totals. Exit 0 when all agree (or
// --repair fixed every drift), 1 when any drifted, 66 when the data dir or
// the store file does not exist (it never creates one), 64 for usage.
// Without --repair it writes nothing.
int StoreVerify(const std::vector<std::string>& args);

}  // namespace erpsync::server

#endif  // ERPSYNC_SERVER_CLI_STORE_COMMANDS_H_
