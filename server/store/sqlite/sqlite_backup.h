// Copies of a SQLite store file made with SQLite's online backup API: a
// consistent snapshot of the database as of one moment, WAL included, taken
// while other connections keep reading and writing. Used by
// `erpsync-server store backup|restore` and before a schema migration.
// Stateless functions; thread-safe for distinct targets.
#ifndef ERPSYNC_SERVER_STORE_SQLITE_SQLITE_BACKUP_H_
#define ERPSYNC_SERVER_STORE_SQLITE_SQLITE_BACKUP_H_

#include <cstdint>
#include <string>

#include "common/status.h"

struct sqlite3;

namespace erpsync::server {

struct SqliteBackupFigures {
  int schema_version = 0;  // PRAGMA user_version of the copy
  int64_t bytes = 0;       // size of the copy
};

// Copies the open database `source` into the new file `target` (mode
// 0600). The copy is written to `target`.partial, checked (PRAGMA
// quick_check), synced to disk and renamed, so `target` either does not
// exist or is complete. ALREADY_EXISTS when `target` exists; INTERNAL
// naming the file on I/O errors (a full disk: "database or disk is full").
Result<SqliteBackupFigures> CopySqliteDatabase(sqlite3* source, const std::string& target);

// Opens the SQLite file `path` read-only and copies it as above. NOT_FOUND
// when `path` does not exist.
Result<SqliteBackupFigures> CopySqliteFile(const std::string& path, const std::string& target);

// `<dir of path>/backups/<stem>-<label>-<UTC time YYYYMMDDTHHMMSSZ>.db`, e.g.
// /var/lib/erpsync-server/backups/erpsync-before-v8-20261207T130501Z.db.
std::string TimestampedBackupPath(const std::string& path, const std::string& label,
                                  int64_t now_unix);

}  // namespace erpsync::server

#endif  // ERPSYNC_SERVER_STORE_SQLITE_SQLITE_BACKUP_H_
