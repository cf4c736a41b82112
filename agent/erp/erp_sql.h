// ErpSql: the SQL that the export writers run on the ERP file, over one
// SQLite connection: prepared statements cached by their text, rows read as
// text, and failures classified for the export outcome (retry or not).
// Internal to SqliteErpWriter. Not thread-safe (one connection, one thread).
#ifndef ERPSYNC_AGENT_ERP_ERP_SQL_H_
#define ERPSYNC_AGENT_ERP_ERP_SQL_H_

#include <sqlite3.h>

#include <cstdint>
#include <functional>
#include <initializer_list>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "agent/erp/sqlite_handle.h"
#include "common/status.h"

namespace erpsync::agent {

// Status of a failed SQLite call made while writing an export; the message
// is "<doing>: <sqlite message>". The code says whether the same write can
// succeed later without anyone changing the item:
//   UNAVAILABLE  yes: the file is busy or locked by another writer, the disk
//                is full, an I/O error, the file cannot be opened, out of
//                memory (the export is retried with backoff);
//   DATA_LOSS    no: the file is damaged (corrupt, not a database);
//   INTERNAL     no: anything else (a read-only file, a table or column
//                the company lacks, a broken constraint).
Status ExportSqliteError(sqlite3* db, int rc, std::string_view doing);

// A row as text (integers rendered by SQLite); nullopt for NULL.
using SqlRow = std::vector<std::optional<std::string>>;

class ErpSql {
 public:
  explicit ErpSql(sqlite3* db) : db_(db) {}

  sqlite3* db() const { return db_; }

  // Runs `sql` with `binds` to completion, ignoring any rows.
  Status Exec(std::string_view sql, std::span<const SqliteBind> binds);
  Status Exec(std::string_view sql, std::initializer_list<SqliteBind> binds = {}) {
    return Exec(sql, std::span<const SqliteBind>(binds.begin(), binds.size()));
  }
  // The first row of `sql`, nullopt when there is none.
  Result<std::optional<SqlRow>> First(std::string_view sql,
                                      std::initializer_list<SqliteBind> binds = {});
  // Every row of `sql`.
  Result<std::vector<SqlRow>> All(std::string_view sql,
                                  std::initializer_list<SqliteBind> binds = {});
  // Whether `sql` returns a row.
  Result<bool> Exists(std::string_view sql, std::initializer_list<SqliteBind> binds = {});
  // Rows changed by the last INSERT, UPDATE or DELETE.
  int64_t Changes() const { return sqlite3_changes64(db_); }

 private:
  // Steps the cached statement for `sql` with `binds`, calling `row` for
  // each row until it returns false.
  Status Run(std::string_view sql, std::span<const SqliteBind> binds,
             const std::function<bool(sqlite3_stmt*)>& row);

  sqlite3* db_;
  std::map<std::string, SqliteStmt, std::less<>> statements_;
};

}  // namespace erpsync::agent

#endif  // ERPSYNC_AGENT_ERP_ERP_SQL_H_
