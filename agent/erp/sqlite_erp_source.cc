#include "agent/erp/sqlite_erp_source.h"

#include <sys/stat.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <utility>
#include <variant>

#include "agent/erp/sqlite_handle.h"
#include "agent/erp/table_read_sql.h"

namespace erpsync::agent {
namespace {

// Binds params 1..n; text stays owned by `params`, which must outlive the
// statement's execution.
Status BindParams(sqlite3_stmt* stmt, const std::vector<SqlValue>& params, std::string_view doing) {
  for (size_t i = 0; i < params.size(); ++i) {
    SqliteBind bind;
    if (const auto* integer = std::get_if<int64_t>(&params[i])) {
      bind = SqliteBind(*integer);
    } else if (const auto* text = std::get_if<std::string>(&params[i])) {
      bind = SqliteBind(*text);
    }
    const int rc = BindSqlite(stmt, static_cast<int>(i) + 1, bind);
    if (rc != SQLITE_OK) return SqliteError(sqlite3_db_handle(stmt), rc, doing);
  }
  return Status::Ok();
}

class SqliteRowCursor : public RowCursor {
 public:
  SqliteRowCursor(std::shared_ptr<sqlite3> db, SqliteStmt stmt, std::vector<SqlValue> params,
                  std::string table, size_t columns, TextEncoding encoding,
                  const std::vector<bool>& text_columns)
      : RowCursor(columns, encoding, text_columns),
        db_(std::move(db)),
        params_(std::move(params)),
        stmt_(std::move(stmt)),
        table_(std::move(table)) {}

  Result<bool> Next() override {
    if (done_) return false;
    const int rc = sqlite3_step(stmt_.get());
    if (rc != SQLITE_ROW) {
      done_ = true;
      if (rc == SQLITE_DONE) return false;
      return SqliteError(db_.get(), rc, "reading " + table_);
    }
    // Locals: the compiler cannot keep members in registers across the
    // calls into SQLite.
    sqlite3_stmt* const stmt = stmt_.get();
    Cell* const cells = cells_.data();
    const uint64_t* const masks = text_masks_.data();
    const int count = static_cast<int>(cells_.size());
    uint64_t text_bytes = 0;
    for (int column = 0; column < count; ++column) {
      text_bytes |= Fill(sqlite3_column_value(stmt, column), &cells[column], masks[column] != 0);
    }
    if ((text_bytes & kNotAscii) != 0) DecodeRow();
    ++position_;
    return true;
  }

 private:
  // Reads one cell through its (unprotected) sqlite3_value: one API call
  // per column, then the cheap sqlite3_value_* accessors, which never
  // convert the stored value. Unprotected values are safe here because a
  // source and its cursors are used by one thread at a time.
  // Returns the OR of a text cell's bytes when `check_text` (SetText), else 0.
  static uint64_t Fill(sqlite3_value* value, Cell* cell, bool check_text) {
    switch (sqlite3_value_type(value)) {
      case SQLITE_INTEGER:
        cell->kind = CellKind::kInteger;
        cell->integer = sqlite3_value_int64(value);
        return 0;
      case SQLITE_FLOAT:
        cell->kind = CellKind::kReal;
        cell->real = sqlite3_value_double(value);
        return 0;
      case SQLITE_TEXT: {
        const auto* text = reinterpret_cast<const char*>(sqlite3_value_text(value));
        const std::string_view raw(text, static_cast<size_t>(sqlite3_value_bytes(value)));
        if (check_text) return SetText(cell, raw);
        cell->kind = CellKind::kText;
        cell->text = raw;
        return 0;
      }
      case SQLITE_BLOB: {
        cell->kind = CellKind::kBlob;
        const auto* blob = static_cast<const char*>(sqlite3_value_blob(value));
        cell->text = {blob, static_cast<size_t>(sqlite3_value_bytes(value))};
        return 0;
      }
      default:
        cell->kind = CellKind::kNull;
        return 0;
    }
  }

  std::shared_ptr<sqlite3> db_;
  // Bound with SQLITE_STATIC: must outlive stmt_ (declared before it).
  std::vector<SqlValue> params_;
  SqliteStmt stmt_;
  std::string table_;
  bool done_ = false;
};

}  // namespace

SqliteErpSource::SqliteErpSource(std::string path, std::shared_ptr<sqlite3> db,
                                 TextEncoding encoding)
    : path_(std::move(path)), db_(std::move(db)), encoding_(encoding) {}

Result<std::unique_ptr<SqliteErpSource>> SqliteErpSource::Open(const std::string& path,
                                                               TextEncoding encoding) {
  struct stat info {};
  if (::stat(path.c_str(), &info) != 0) {
    return NotFoundError("ERP database " + path + " does not exist");
  }
  if (!S_ISREG(info.st_mode)) return InvalidArgumentError(path + " is not an SQLite database");
  ERPSYNC_ASSIGN_OR_RETURN(
      SqliteDb db, OpenSqlite(path, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, kBusyTimeoutMs));
  // sqlite3_open_v2 reads nothing; the first query finds out what the file is.
  sqlite3_stmt* raw_probe = nullptr;
  int rc =
      sqlite3_prepare_v2(db.get(), "SELECT COUNT(*) FROM sqlite_master", -1, &raw_probe, nullptr);
  const SqliteStmt probe(raw_probe);
  if (rc == SQLITE_OK) rc = sqlite3_step(probe.get());
  if ((rc & 0xff) == SQLITE_NOTADB) {
    return InvalidArgumentError(path + " is not an SQLite database");
  }
  if (rc != SQLITE_ROW) return SqliteError(db.get(), rc, "opening ERP database " + path);
  return std::unique_ptr<SqliteErpSource>(
      new SqliteErpSource(path, std::shared_ptr<sqlite3>(db.release(), SqliteDbCloser()), encoding));
}

Result<TableInfo> SqliteErpSource::DescribeTable(const std::string& table) {
  const std::string doing = "describing " + table;
  ERPSYNC_ASSIGN_OR_RETURN(
      SqliteStmt stmt,
      PrepareSqlite(db_.get(),
                    "SELECT p.name, p.type FROM sqlite_master AS m, pragma_table_info(m.name) AS p "
                    "WHERE m.type IN ('table', 'view') AND m.name = ?1 ORDER BY p.cid"));
  const int bind_rc = BindSqlite(stmt.get(), 1, table);
  if (bind_rc != SQLITE_OK) return SqliteError(db_.get(), bind_rc, doing);
  TableInfo info;
  info.name = table;
  int rc;
  while ((rc = sqlite3_step(stmt.get())) == SQLITE_ROW) {
    info.columns.push_back({reinterpret_cast<const char*>(sqlite3_column_text(stmt.get(), 0)),
                            reinterpret_cast<const char*>(sqlite3_column_text(stmt.get(), 1))});
  }
  if (rc != SQLITE_DONE) return SqliteError(db_.get(), rc, doing);
  if (info.columns.empty()) return NotFoundError("unknown table " + table);
  return info;
}

Result<std::vector<std::string>> SqliteErpSource::ListTables() {
  ERPSYNC_ASSIGN_OR_RETURN(
      SqliteStmt stmt,
      PrepareSqlite(db_.get(),
                    "SELECT name FROM sqlite_master WHERE type IN ('table', 'view') "
                    "AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name"));
  std::vector<std::string> tables;
  int rc;
  while ((rc = sqlite3_step(stmt.get())) == SQLITE_ROW) {
    tables.emplace_back(reinterpret_cast<const char*>(sqlite3_column_text(stmt.get(), 0)));
  }
  if (rc != SQLITE_DONE) return SqliteError(db_.get(), rc, "listing tables");
  return tables;
}

Result<std::unique_ptr<RowCursor>> SqliteErpSource::Read(const TableRead& read) {
  ERPSYNC_RETURN_IF_ERROR(CheckTableRead(*this, read, /*need_columns=*/true));
  RenderedSql rendered = RenderSelect(read, kSqliteDialect);
  ERPSYNC_ASSIGN_OR_RETURN(SqliteStmt stmt, PrepareSqlite(db_.get(), rendered.sql));
  ERPSYNC_RETURN_IF_ERROR(BindParams(stmt.get(), rendered.params, "reading " + read.table));
  return std::unique_ptr<RowCursor>(new SqliteRowCursor(
      db_, std::move(stmt), std::move(rendered.params), read.table, read.columns.size(), encoding_,
      read.text_columns));
}

Result<int64_t> SqliteErpSource::Count(const TableRead& read) {
  ERPSYNC_RETURN_IF_ERROR(CheckTableRead(*this, read, /*need_columns=*/false));
  const std::string doing = "counting " + read.table;
  const RenderedSql rendered = RenderCount(read, kSqliteDialect);
  ERPSYNC_ASSIGN_OR_RETURN(SqliteStmt stmt, PrepareSqlite(db_.get(), rendered.sql));
  ERPSYNC_RETURN_IF_ERROR(BindParams(stmt.get(), rendered.params, doing));
  const int rc = sqlite3_step(stmt.get());
  if (rc != SQLITE_ROW) return SqliteError(db_.get(), rc, doing);
  return static_cast<int64_t>(sqlite3_column_int64(stmt.get(), 0));
}

std::string SqliteErpSource::Describe() const { return "sqlite:" + path_; }

Result<std::vector<std::string>> SqliteErpSource::LocateRows(
    const std::string& table, const std::vector<std::string>& columns,
    const std::vector<std::string>& values) {
  const std::string doing = "locating rows of " + table;
  if (columns.empty() || columns.size() != values.size()) {
    return InvalidArgumentError(doing + ": one value per column");
  }
  TableRead check;
  check.table = table;
  check.columns = columns;
  ERPSYNC_RETURN_IF_ERROR(CheckTableRead(*this, check, /*need_columns=*/true));
  std::string sql = "SELECT rowid FROM " + QuoteIdentifier(table) + " WHERE ";
  std::vector<SqlValue> params;
  for (size_t i = 0; i < columns.size(); ++i) {
    if (i > 0) sql += " AND ";
    // As the key renders it: text of any storage class, NULL as '',
    // trailing blanks trimmed.
    sql += "RTRIM(CAST(COALESCE(" + QuoteIdentifier(columns[i]) + ", '') AS TEXT), ' ') = ?" +
           std::to_string(i + 1);
    params.emplace_back(values[i]);
  }
  sql += " ORDER BY rowid LIMIT 20";
  ERPSYNC_ASSIGN_OR_RETURN(SqliteStmt stmt, PrepareSqlite(db_.get(), sql));
  ERPSYNC_RETURN_IF_ERROR(BindParams(stmt.get(), params, doing));
  std::vector<std::string> rows;
  int rc;
  while ((rc = sqlite3_step(stmt.get())) == SQLITE_ROW) {
    rows.push_back("rowid " + std::to_string(sqlite3_column_int64(stmt.get(), 0)));
  }
  if (rc != SQLITE_DONE) return SqliteError(db_.get(), rc, doing);
  return rows;
}

}  // namespace erpsync::agent
