// erpsync-server store backup|restore: copies of a SQLite store, taken
// while the server runs and put back while it is stopped. A PostgreSQL
// store is backed up with PostgreSQL's own tools (doc/postgresql.md).
#ifndef ERPSYNC_SERVER_CLI_BACKUP_COMMANDS_H_
#define ERPSYNC_SERVER_CLI_BACKUP_COMMANDS_H_

#include <string>
#include <vector>

namespace erpsync::server {

// `store backup FILE`: copies the SQLite store of the data dir into the new
// file FILE (0600) with SQLite's online backup API, a consistent snapshot
// also while `serve` runs, checked before it is named FILE; prints the
// store, its schema version, the size and the time taken. Exit 0 when
// done; 64 for usage, an existing FILE or a PostgreSQL store; 66 when the
// store or FILE's directory does not exist; 70 on I/O errors (a full disk:
// "database or disk is full").
int StoreBackup(const std::vector<std::string>& args);

// `store restore FILE`: puts the backup FILE in place of the SQLite store
// of the data dir. The server must be stopped (1 otherwise, naming its
// pid; it cannot start meanwhile). FILE is checked first (65 when it is not
// an erpsync store; 1 when a newer erpsync-server made it); the store as it
// was is kept in data_dir/backups/; a backup from an older version is
// upgraded. Then a deep sync is queued for every connection: agents bring
// back what they synced after the backup when they next connect. Exit 0
// when done; 64 for usage or a PostgreSQL store; 66 when FILE does not
// exist; 70 on I/O errors.
int StoreRestore(const std::vector<std::string>& args);

}  // namespace erpsync::server

#endif  // ERPSYNC_SERVER_CLI_BACKUP_COMMANDS_H_
