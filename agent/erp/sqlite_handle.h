// Owning handles for the SQLite C API and the mapping of SQLite result codes
// to Status, shared by SqliteErpSource and the sample company tools.
//
// The agent talks to the ERP file through the C API directly (not SQLiteCpp)
// because the read cursor is on the hot path and the C API never throws.
// A handle is used by one thread at a time.
#ifndef ERPSYNC_AGENT_ERP_SQLITE_HANDLE_H_
#define ERPSYNC_AGENT_ERP_SQLITE_HANDLE_H_

#include <sqlite3.h>

#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <memory>
#include <span>
#include <string>
#include <string_view>

#include "common/status.h"

namespace erpsync::agent {

struct SqliteDbCloser {
  void operator()(sqlite3* db) const { sqlite3_close_v2(db); }
};
struct SqliteStmtFinalizer {
  void operator()(sqlite3_stmt* stmt) const { sqlite3_finalize(stmt); }
};
using SqliteDb = std::unique_ptr<sqlite3, SqliteDbCloser>;
using SqliteStmt = std::unique_ptr<sqlite3_stmt, SqliteStmtFinalizer>;

// Status for a failed SQLite call: UNAVAILABLE for SQLITE_BUSY and
// SQLITE_LOCKED (another process holds the file; retry later), INTERNAL
// otherwise. The message is "<doing>: <sqlite message>". `db` may be null.
Status SqliteError(sqlite3* db, int rc, std::string_view doing);

// Opens `path` with `flags` (SQLITE_OPEN_*) and sets a busy timeout.
// Status as SqliteError on failure.
Result<SqliteDb> OpenSqlite(const std::string& path, int flags, int busy_timeout_ms);

// Prepares one statement. Status as SqliteError on failure.
Result<SqliteStmt> PrepareSqlite(sqlite3* db, std::string_view sql);

// Runs statements that return no rows (DDL, PRAGMA, BEGIN/COMMIT).
Status ExecSqlite(sqlite3* db, const char* sql);

// A value bound to a statement parameter without copying: text views must
// stay valid until the statement has been stepped.
struct SqliteBind {
  enum class Type { kNull, kInteger, kText };
  SqliteBind() = default;
  SqliteBind(std::nullptr_t) {}  // NOLINT(google-explicit-constructor)
  SqliteBind(int64_t value) : type(Type::kInteger), integer(value) {}       // NOLINT
  SqliteBind(int value) : type(Type::kInteger), integer(value) {}           // NOLINT
  SqliteBind(std::string_view value) : type(Type::kText), text(value) {}    // NOLINT
  SqliteBind(const std::string& value) : type(Type::kText), text(value) {}  // NOLINT
  SqliteBind(const char* value) : type(Type::kText), text(value) {}         // NOLINT

  Type type = Type::kNull;
  int64_t integer = 0;
  std::string_view text;
};

// Binds `value` to the 1-based parameter `index` (SQLITE_STATIC for text).
// Returns the SQLite result code.
int BindSqlite(sqlite3_stmt* stmt, int index, const SqliteBind& value);

// Binds `values` to parameters 1..n, steps `stmt` once expecting SQLITE_DONE
// and resets it. Status as SqliteError on failure.
Status ExecPrepared(sqlite3_stmt* stmt, std::span<const SqliteBind> values, std::string_view doing);
inline Status ExecPrepared(sqlite3_stmt* stmt, std::initializer_list<SqliteBind> values,
                           std::string_view doing) {
  return ExecPrepared(stmt, std::span<const SqliteBind>(values.begin(), values.size()), doing);
}

// Prepares `INSERT INTO "table" VALUES (?, ...)` with one parameter per
// column of the table. Status as SqliteError on failure.
Result<SqliteStmt> PrepareInsertRow(sqlite3* db, std::string_view table);

}  // namespace erpsync::agent

#endif  // ERPSYNC_AGENT_ERP_SQLITE_HANDLE_H_
