// What the two SQLiteCpp users (the server's store, server/store/, and the
// agent's state, agent/state/) share: statement caches, SQLite errors as
// Status, unsigned values in signed INTEGER columns, and ordered schema
// migrations keyed by PRAGMA user_version.
//
// Thread-safety: a StatementCache belongs to one connection and is used by
// one thread at a time, as its connection is. The functions are as safe as
// the connection they are given.
#ifndef ERPSYNC_COMMON_SQLITE_SQLITE_HELPERS_H_
#define ERPSYNC_COMMON_SQLITE_SQLITE_HELPERS_H_

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Exception.h>
#include <SQLiteCpp/Statement.h>

#include <bit>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <span>
#include <string>
#include <string_view>

#include "common/status.h"

namespace erpsync::sqlite {

// Unsigned 64-bit values (hashes, checksums, generations) are stored
// bit-cast into SQLite's signed 64-bit INTEGER.
inline int64_t ToSql(uint64_t value) { return std::bit_cast<int64_t>(value); }
inline uint64_t FromSql(int64_t value) { return std::bit_cast<uint64_t>(value); }

// INTERNAL "<what>: <message>", or UNAVAILABLE when SQLite's result code is
// SQLITE_BUSY or SQLITE_LOCKED (another connection holds the lock past the
// busy timeout: worth retrying), or RESOURCE_EXHAUSTED for SQLITE_FULL
// ("database or disk is full": worth retrying once there is room).
Status StatusFromException(std::string_view what, const SQLite::Exception& error);

// The prepared statements of one connection, compiled on first use and kept
// until the cache is destroyed (declare it after its connection, so the
// statements are finalized first).
class StatementCache {
 public:
  // The statement for `sql`, reset (the previous bindings stay: rebind every
  // parameter). Do not hold it across another Get of the same `sql`.
  // Throws SQLite::Exception for bad SQL.
  SQLite::Statement& Get(SQLite::Database& connection, std::string_view sql);
  // Resets every statement, so none holds a read snapshot or a
  // half-stepped cursor.
  void ResetAll() noexcept;

 private:
  std::map<std::string, std::unique_ptr<SQLite::Statement>, std::less<>> statements_;
};

// Brings `connection` to schema version migrations.size(): while PRAGMA
// user_version is below it, applies migrations[user_version] and bumps
// user_version in one BEGIN IMMEDIATE transaction, re-reading the version
// under the write lock so that concurrent openers never apply a step twice.
// `path` names the file in messages and `program` the binary to upgrade.
// FAILED_PRECONDITION "database <path> has schema version N, newer than
// version M that this build knows; upgrade <program>"; INTERNAL (UNAVAILABLE
// when busy) naming the failed migration otherwise.
Status ApplyMigrations(SQLite::Database& connection, std::span<const std::string_view> migrations,
                       const std::string& path, std::string_view program);

// PRAGMA user_version of `connection`. Throws SQLite::Exception.
int ReadUserVersion(SQLite::Database& connection);

}  // namespace erpsync::sqlite

#endif  // ERPSYNC_COMMON_SQLITE_SQLITE_HELPERS_H_
