// Helpers private to server/store/ (the only module that includes SQLiteCpp):
// the per-connection cache of prepared statements, the bit casts that store
// unsigned 64-bit values in SQLite's signed INTEGER, exception-to-Status
// conversion and the migration runner.
//
// Thread-safety: CachedStatement uses the connection that the calling
// thread's WithWriter/WithReader handed out, so it is as safe as that
// connection (one thread at a time). The rest are pure functions.
#ifndef ERPSYNC_SERVER_STORE_SQLITE_UTIL_H_
#define ERPSYNC_SERVER_STORE_SQLITE_UTIL_H_

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Exception.h>
#include <SQLiteCpp/Statement.h>

#include <bit>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "common/status.h"

namespace erpsync::server::store_internal {

// Unsigned 64-bit values (hashes, checksums, generations) are stored
// bit-cast into SQLite's signed 64-bit INTEGER.
inline int64_t ToSql(uint64_t value) { return std::bit_cast<int64_t>(value); }
inline uint64_t FromSql(int64_t value) { return std::bit_cast<uint64_t>(value); }

// The prepared statement for `sql` on `connection`, which must be the
// connection WithWriter/WithReader handed to the calling thread's running
// work. Compiled on first use and kept as long as the connection; returned
// reset, with the previous bindings still in place (rebind every parameter).
// Do not hold it across another CachedStatement call with the same `sql`.
// Throws SQLite::Exception (bad SQL, or `connection` not active here); call
// it only inside work, where WithWriter/WithReader catch it.
SQLite::Statement& CachedStatement(SQLite::Database& connection, std::string_view sql);

// INTERNAL "<what>: <message>", or UNAVAILABLE when SQLite's result code is
// SQLITE_BUSY or SQLITE_LOCKED.
Status StatusFromException(std::string_view what, const SQLite::Exception& error);

// Brings `connection` to schema version migrations.size(): while
// PRAGMA user_version is below it, applies migrations[user_version] and bumps
// user_version in one BEGIN IMMEDIATE transaction (re-reading the version
// under the write lock, so concurrent openers do not apply a step twice).
// FAILED_PRECONDITION when the file's version is newer than
// migrations.size(); INTERNAL (UNAVAILABLE when busy) naming the failed
// migration otherwise. `path` is for messages.
Status ApplyMigrations(SQLite::Database& connection, std::span<const std::string_view> migrations,
                       const std::string& path);

// PRAGMA user_version of `connection`. Throws SQLite::Exception.
int ReadUserVersion(SQLite::Database& connection);

}  // namespace erpsync::server::store_internal

#endif  // ERPSYNC_SERVER_STORE_SQLITE_UTIL_H_
