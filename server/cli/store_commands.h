// erpsync-server store commands: the store itself (its schema, checks of
// its data, its copy from SQLite to PostgreSQL), run offline on the store
// of the configuration (store.kind: the SQLite file of the data dir, or the
// PostgreSQL database).
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

// `store migrate`: opens the store (creating it when missing, as `serve`
// does) and applies its pending schema migrations, then prints the store
// and its schema version, before and after ("store PostgreSQL
// db1:5432/erpsync: schema version 1 (was 0)", or "..., up to date"). For
// PostgreSQL, where `serve` and the admin commands would also migrate, it
// lets the operator do it once, before starting servers. Exit 0 when done;
// 69 when the database cannot be reached (libpq's message: a wrong host,
// port, database, user or password); 1 when the schema is newer than this
// build; 64 for usage and configuration errors.
int StoreMigrate(const std::vector<std::string>& args);

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
