#include "agent/erp/sqlite_handle.h"

#include <string>

#include "agent/erp/table_read_sql.h"

namespace erpsync::agent {

Status SqliteError(sqlite3* db, int rc, std::string_view doing) {
  std::string message(doing);
  message += ": ";
  message += db != nullptr && sqlite3_errcode(db) == rc ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
  const int primary = rc & 0xff;
  if (primary == SQLITE_BUSY || primary == SQLITE_LOCKED) {
    return UnavailableError(std::move(message)).WithOrigin(ErrorOrigin::kErp);
  }
  return InternalError(std::move(message)).WithOrigin(ErrorOrigin::kErp);
}

Result<SqliteDb> OpenSqlite(const std::string& path, int flags, int busy_timeout_ms) {
  sqlite3* raw = nullptr;
  const int rc = sqlite3_open_v2(path.c_str(), &raw, flags, nullptr);
  SqliteDb db(raw);
  if (rc != SQLITE_OK) return SqliteError(db.get(), rc, "opening " + path);
  sqlite3_extended_result_codes(db.get(), 1);
  sqlite3_busy_timeout(db.get(), busy_timeout_ms);
  return db;
}

Result<SqliteStmt> PrepareSqlite(sqlite3* db, std::string_view sql) {
  sqlite3_stmt* raw = nullptr;
  const int rc = sqlite3_prepare_v2(db, sql.data(), static_cast<int>(sql.size()), &raw, nullptr);
  SqliteStmt stmt(raw);
  if (rc != SQLITE_OK) return SqliteError(db, rc, "preparing " + std::string(sql));
  return stmt;
}

Status ExecSqlite(sqlite3* db, const char* sql) {
  const int rc = sqlite3_exec(db, sql, nullptr, nullptr, nullptr);
  if (rc != SQLITE_OK) return SqliteError(db, rc, std::string("running ") + sql);
  return Status::Ok();
}

int BindSqlite(sqlite3_stmt* stmt, int index, const SqliteBind& value) {
  switch (value.type) {
    case SqliteBind::Type::kNull:
      return sqlite3_bind_null(stmt, index);
    case SqliteBind::Type::kInteger:
      return sqlite3_bind_int64(stmt, index, value.integer);
    case SqliteBind::Type::kText:
      // A null data pointer would bind SQL NULL; an empty view means ''.
      return sqlite3_bind_text(stmt, index, value.text.data() != nullptr ? value.text.data() : "",
                               static_cast<int>(value.text.size()), SQLITE_STATIC);
  }
  return SQLITE_MISUSE;
}

Status ExecPrepared(sqlite3_stmt* stmt, std::span<const SqliteBind> values,
                    std::string_view doing) {
  int index = 1;
  for (const SqliteBind& value : values) {
    const int rc = BindSqlite(stmt, index++, value);
    if (rc != SQLITE_OK) return SqliteError(sqlite3_db_handle(stmt), rc, doing);
  }
  const int rc = sqlite3_step(stmt);
  Status status =
      rc == SQLITE_DONE ? Status::Ok() : SqliteError(sqlite3_db_handle(stmt), rc, doing);
  sqlite3_reset(stmt);
  return status;
}

Result<SqliteStmt> PrepareInsertRow(sqlite3* db, std::string_view table) {
  const std::string quoted = QuoteIdentifier(table);
  ERPSYNC_ASSIGN_OR_RETURN(SqliteStmt probe, PrepareSqlite(db, "SELECT * FROM " + quoted));
  const int columns = sqlite3_column_count(probe.get());
  std::string sql = "INSERT INTO " + quoted + " VALUES (";
  for (int i = 0; i < columns; ++i) sql += i > 0 ? ",?" : "?";
  sql += ')';
  return PrepareSqlite(db, sql);
}

}  // namespace erpsync::agent
