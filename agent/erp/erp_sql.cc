#include "agent/erp/erp_sql.h"

#include <utility>

namespace erpsync::agent {
namespace {

SqlRow ReadRow(sqlite3_stmt* stmt) {
  SqlRow row;
  const int columns = sqlite3_column_count(stmt);
  row.reserve(static_cast<size_t>(columns));
  for (int i = 0; i < columns; ++i) {
    if (sqlite3_column_type(stmt, i) == SQLITE_NULL) {
      row.emplace_back(std::nullopt);
      continue;
    }
    const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(stmt, i));
    row.emplace_back(std::string(text, static_cast<size_t>(sqlite3_column_bytes(stmt, i))));
  }
  return row;
}

}  // namespace

Status ExportSqliteError(sqlite3* db, int rc, std::string_view doing) {
  std::string message(doing);
  message += ": ";
  message += db != nullptr && sqlite3_errcode(db) == rc ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
  switch (rc & 0xff) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
    case SQLITE_FULL:
    case SQLITE_IOERR:
    case SQLITE_CANTOPEN:
    case SQLITE_NOMEM:
    case SQLITE_PROTOCOL:
    case SQLITE_INTERRUPT:
      return UnavailableError(std::move(message));
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
      return DataLossError(std::move(message));
    default:
      return InternalError(std::move(message));
  }
}

Status ErpSql::Run(std::string_view sql, std::span<const SqliteBind> binds,
                   const std::function<bool(sqlite3_stmt*)>& row) {
  auto it = statements_.find(sql);
  if (it == statements_.end()) {
    sqlite3_stmt* raw = nullptr;
    const int rc = sqlite3_prepare_v2(db_, sql.data(), static_cast<int>(sql.size()), &raw, nullptr);
    SqliteStmt stmt(raw);
    if (rc != SQLITE_OK) return ExportSqliteError(db_, rc, "preparing " + std::string(sql));
    it = statements_.emplace(std::string(sql), std::move(stmt)).first;
  }
  sqlite3_stmt* stmt = it->second.get();
  sqlite3_reset(stmt);
  sqlite3_clear_bindings(stmt);
  int index = 1;
  for (const SqliteBind& bind : binds) {
    const int rc = BindSqlite(stmt, index++, bind);
    if (rc != SQLITE_OK) return ExportSqliteError(db_, rc, "binding " + std::string(sql));
  }
  int rc;
  while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
    if (!row(stmt)) {
      rc = SQLITE_DONE;
      break;
    }
  }
  // Reset before reporting: the error code and message stay on the handle.
  Status status =
      rc == SQLITE_DONE ? Status::Ok() : ExportSqliteError(db_, rc, "running " + std::string(sql));
  sqlite3_reset(stmt);
  return status;
}

Status ErpSql::Exec(std::string_view sql, std::span<const SqliteBind> binds) {
  return Run(sql, binds, [](sqlite3_stmt*) { return true; });
}

Result<std::optional<SqlRow>> ErpSql::First(std::string_view sql,
                                            std::initializer_list<SqliteBind> binds) {
  std::optional<SqlRow> first;
  ERPSYNC_RETURN_IF_ERROR(
      Run(sql, std::span<const SqliteBind>(binds.begin(), binds.size()), [&](sqlite3_stmt* stmt) {
        first = ReadRow(stmt);
        return false;
      }));
  return first;
}

Result<std::vector<SqlRow>> ErpSql::All(std::string_view sql,
                                        std::initializer_list<SqliteBind> binds) {
  std::vector<SqlRow> rows;
  ERPSYNC_RETURN_IF_ERROR(
      Run(sql, std::span<const SqliteBind>(binds.begin(), binds.size()), [&](sqlite3_stmt* stmt) {
        rows.push_back(ReadRow(stmt));
        return true;
      }));
  return rows;
}

Result<bool> ErpSql::Exists(std::string_view sql, std::initializer_list<SqliteBind> binds) {
  ERPSYNC_ASSIGN_OR_RETURN(const std::optional<SqlRow> row, First(sql, binds));
  return row.has_value();
}

}  // namespace erpsync::agent
