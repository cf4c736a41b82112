// ErpSource: the agent's read connection to the ERP database, behind which
// sit the SQLite sample company (SqliteErpSource) and, on real installs,
// Sage 300 CRE's ODBC layer.
//
// The mapping engine describes what it wants as a TableRead (columns, order,
// bounds) and never writes SQL itself, so each adapter renders its own
// dialect. A source and its cursors are used from one thread at a time.
#ifndef ERPSYNC_AGENT_ERP_ERP_SOURCE_H_
#define ERPSYNC_AGENT_ERP_ERP_SOURCE_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "common/status.h"

namespace erpsync::agent {

// A value bound into a read: text (also dates and decimals, as the ERP's
// text) or an integer. monostate is SQL NULL.
using SqlValue = std::variant<std::monostate, int64_t, std::string>;

// What a read returns per column. ODBC returns everything as kText.
enum class CellKind { kNull, kInteger, kReal, kText };

struct ColumnInfo {
  std::string name;
  // As the ERP declares it ("TEXT", "INTEGER", "DECIMAL(12,2)", ...).
  std::string declared_type;
};

struct TableInfo {
  std::string name;
  std::vector<ColumnInfo> columns;
  // Index of `column` (exact, case-sensitive match), or -1.
  int ColumnIndex(std::string_view column) const;
};

// A row-value bound: (columns...) compared lexicographically with values.
struct TupleBound {
  std::vector<std::string> columns;
  std::vector<SqlValue> values;
  bool empty() const { return columns.empty(); }
};

// One read of one table:
//   SELECT columns FROM table
//   WHERE (after.columns) > (after.values)
//     AND (through.columns) <= (through.values)
//     AND since_column >= since_value
//     AND in_column IN (in_values)
//   ORDER BY order_by
// Empty parts are left out.
struct TableRead {
  std::string table;
  std::vector<std::string> columns;
  std::vector<std::string> order_by;
  TupleBound after;
  TupleBound through;
  std::string since_column;
  SqlValue since_value;
  std::string in_column;
  std::vector<std::string> in_values;
  // 0 = no limit.
  int64_t limit = 0;
};

// Forward-only cursor over the rows of a TableRead. Cell accessors refer to
// the current row and to columns by their position in TableRead::columns;
// text views stay valid until the next call to Next().
class RowCursor {
 public:
  virtual ~RowCursor() = default;
  // Moves to the next row: true if there is one, false at the end.
  // UNAVAILABLE when the ERP is busy or gone, INTERNAL otherwise.
  virtual Result<bool> Next() = 0;
  virtual CellKind Kind(int column) const = 0;
  // Valid for kInteger.
  virtual int64_t Integer(int column) const = 0;
  // Valid for kReal.
  virtual double Real(int column) const = 0;
  // Valid for kText (and any non-null kind: the ERP's text rendering).
  virtual std::string_view Text(int column) const = 0;
};

class ErpSource {
 public:
  virtual ~ErpSource() = default;

  // Tables and their columns. NOT_FOUND for an unknown table.
  virtual Result<TableInfo> DescribeTable(const std::string& table) = 0;
  virtual Result<std::vector<std::string>> ListTables() = 0;

  // Starts a read. INVALID_ARGUMENT for unknown tables or columns.
  virtual Result<std::unique_ptr<RowCursor>> Read(const TableRead& read) = 0;

  // Rows the read would return (ignores order and limit).
  virtual Result<int64_t> Count(const TableRead& read) = 0;

  // Human-readable description for logs ("sqlite:/var/lib/erp/company.db").
  virtual std::string Describe() const = 0;
};

}  // namespace erpsync::agent

#endif  // ERPSYNC_AGENT_ERP_ERP_SOURCE_H_
