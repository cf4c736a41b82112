// Helpers private to server/store/ (with agent/state/ and common/sqlite/,
// the only code that includes SQLiteCpp): the prepared statements of the
// connection that the running work was handed, and the shared SQLite
// helpers (common/sqlite/sqlite_helpers.h) under the store's names.
//
// Thread-safety: CachedStatement uses the connection that the calling
// thread's WithWriter/WithReader handed out, so it is as safe as that
// connection (one thread at a time). The rest are pure functions.
#ifndef ERPSYNC_SERVER_STORE_SQLITE_SQLITE_UTIL_H_
#define ERPSYNC_SERVER_STORE_SQLITE_SQLITE_UTIL_H_

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>

#include <span>
#include <string>
#include <string_view>

#include "common/sqlite/sqlite_helpers.h"
#include "common/status.h"

namespace erpsync::server::store_internal {

using sqlite::FromSql;
using sqlite::ReadUserVersion;
using sqlite::StatusFromException;
using sqlite::ToSql;

// The prepared statement for `sql` on `connection`, which must be the
// connection WithWriter/WithReader handed to the calling thread's running
// work. Compiled on first use and kept as long as the connection; returned
// reset, with the previous bindings still in place (rebind every parameter).
// Do not hold it across another CachedStatement call with the same `sql`.
// Throws SQLite::Exception (bad SQL, or `connection` not active here); call
// it only inside work, where WithWriter/WithReader catch it.
SQLite::Statement& CachedStatement(SQLite::Database& connection, std::string_view sql);

// sqlite::ApplyMigrations for the server's database (the message says to
// upgrade erpsync-server).
inline Status ApplyMigrations(SQLite::Database& connection,
                              std::span<const std::string_view> migrations,
                              const std::string& path) {
  return sqlite::ApplyMigrations(connection, migrations, path, "erpsync-server");
}

}  // namespace erpsync::server::store_internal

#endif  // ERPSYNC_SERVER_STORE_SQLITE_SQLITE_UTIL_H_
