// Rendering a TableRead as one SELECT statement with positional `?`
// parameters, in the two dialects the agent speaks: SQLite (row values,
// LIMIT) and plain ODBC SQL (tuple bounds expanded into AND/OR, no LIMIT).
// Values are never interpolated into the SQL text; identifiers are
// double-quoted. Pure functions; thread-safe.
#ifndef ERPSYNC_AGENT_ERP_TABLE_READ_SQL_H_
#define ERPSYNC_AGENT_ERP_TABLE_READ_SQL_H_

#include <string>
#include <string_view>
#include <vector>

#include "agent/erp/erp_source.h"
#include "common/status.h"

namespace erpsync::agent {

struct SqlDialect {
  // Tuple bounds as `("a","b") > (?,?)`; otherwise `("a" > ?) OR ("a" = ? AND "b" > ?)`.
  bool row_values = true;
  // Appends `LIMIT ?`; otherwise the caller stops after TableRead::limit rows.
  bool limit_clause = true;
};

inline constexpr SqlDialect kSqliteDialect{true, true};
inline constexpr SqlDialect kOdbcDialect{false, false};

struct RenderedSql {
  std::string sql;
  // Values for the `?` parameters, in order.
  std::vector<SqlValue> params;
};

// `"name"` with embedded double quotes doubled.
std::string QuoteIdentifier(std::string_view name);

// Checks `read` against the table it names: every column it mentions exists
// in `table` (exact match), bounds have as many values as columns and no NULL
// values, a since_column has a value, the limit is not negative.
// INVALID_ARGUMENT "reading <table>: unknown column <name>" (and the like)
// otherwise. Does not require read.columns to be non-empty (Count does not
// need them).
Status ValidateTableRead(const TableRead& read, const TableInfo& table);

// What a source checks before it runs `read`: `source`.DescribeTable, with
// INVALID_ARGUMENT for an unknown table, then ValidateTableRead; with
// `need_columns` (Read, not Count), INVALID_ARGUMENT "reading <table>: no
// columns to read" when read.columns is empty. Other DescribeTable errors as
// they are.
Status CheckTableRead(ErpSource& source, const TableRead& read, bool need_columns);

// SELECT <columns> FROM <table> WHERE ... ORDER BY ... [LIMIT ?]. An
// in_column with no in_values matches no rows. Call ValidateTableRead first.
RenderedSql RenderSelect(const TableRead& read, const SqlDialect& dialect);

// SELECT COUNT(*) FROM <table> WHERE ... (no order, no limit).
RenderedSql RenderCount(const TableRead& read, const SqlDialect& dialect);

}  // namespace erpsync::agent

#endif  // ERPSYNC_AGENT_ERP_TABLE_READ_SQL_H_
