// erpsync-server store commands: checks of the store itself, and its copy
// from SQLite to PostgreSQL, run offline on the store of the configuration.
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

// `store copy --to DSN [--password-file FILE] [--json]`: copies the SQLite
// store of the data dir (whatever store.kind says) into the empty
// PostgreSQL database DSN names, in one transaction, and verifies it (see
// server/store/copy/store_copy.h); prints the rows copied per table and a
// summary. The password comes from --password-file or libpq's environment,
// never from the DSN. Exit 0 when the copy is committed and verified; 1
// when the target is not empty (nothing written) or the copy did not verify
// (each difference on stderr); 64 for usage (a DSN holding a password
// included); 66 when the data dir, the store file or the password file does
// not exist; 69 when PostgreSQL cannot be reached.
int StoreCopy(const std::vector<std::string>& args);

}  // namespace erpsync::server

#endif  // ERPSYNC_SERVER_CLI_STORE_COMMANDS_H_
