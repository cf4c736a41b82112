// ErpSource: the agent's read connection to the ERP database, behind which
// sit the SQLite sample company (SqliteErpSource) and, on real installs,
// Sage 300 CRE's ODBC layer.
//
// The mapping engine describes what it wants as a TableRead (columns, order,
// bounds) and never writes SQL itself, so each adapter renders its own
// dialect. A source and its cursors are used from one thread at a time.
#ifndef ERPSYNC_AGENT_ERP_ERP_SOURCE_H_
#define ERPSYNC_AGENT_ERP_ERP_SOURCE_H_

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "common/status.h"
#include "common/text_encoding.h"

namespace erpsync::agent {

// A value bound into a read: text (also dates and decimals, as the ERP's
// text) or an integer. monostate is SQL NULL.
using SqlValue = std::variant<std::monostate, int64_t, std::string>;

// What a read returns per column. ODBC returns everything as kText.
//   kText         valid text, converted to UTF-8 from the ERP's encoding;
//   kBlob         binary data (SQLite BLOB) where text was expected: bytes
//                 in `text`, not converted;
//   kInvalidText  text that is not valid in the ERP's encoding: the raw
//                 bytes in `text`, the reason in RowCursor::InvalidText().
enum class CellKind { kNull, kInteger, kReal, kText, kBlob, kInvalidText };

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
//     AND equals.columns[i] = equals.values[i] for each i
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
  TupleBound equals;
  std::string since_column;
  SqlValue since_value;
  std::string in_column;
  std::vector<std::string> in_values;
  // 0 = no limit.
  int64_t limit = 0;
  // Per column: whether its text is taken as text (a record's TEXT field, a
  // key), so that the cursor converts and checks it from the ERP's
  // encoding. The other columns' text is handed over as read: numbers and
  // dates, whose parsers take ASCII only. Empty: every column.
  std::vector<bool> text_columns;
};

// One cell of the current row as the ERP returned it.
struct Cell {
  CellKind kind = CellKind::kNull;
  int64_t integer = 0;    // kInteger
  double real = 0;        // kReal
  std::string_view text;  // kText (UTF-8); kBlob and kInvalidText: raw bytes
};

// Forward-only cursor over the rows of a TableRead. Next() reads every cell
// of the row at once (cell()), so the accessors below are plain
// (non-virtual) reads: a deep sync calls them tens of millions of times.
// Columns are addressed by their position in TableRead::columns; cells and
// text views stay valid until the next call to Next(). Text arrives in
// UTF-8 whatever the ERP's encoding (ASCII, most ERP text, without a copy).
class RowCursor {
 public:
  virtual ~RowCursor() = default;
  // Moves to the next row: true if there is one, false at the end.
  // UNAVAILABLE when the ERP is busy or gone, INTERNAL otherwise.
  virtual Result<bool> Next() = 0;

  const Cell& cell(int column) const { return cells_[static_cast<size_t>(column)]; }
  CellKind Kind(int column) const { return cell(column).kind; }
  // Valid for kInteger.
  int64_t Integer(int column) const { return cell(column).integer; }
  // Valid for kReal.
  double Real(int column) const { return cell(column).real; }
  // The ERP's text rendering of any non-null cell: kText as read, numbers
  // as their shortest round-trip text ("-42", "0.1", "1e+21"); empty for
  // null. kBlob and kInvalidText: their raw bytes.
  std::string_view Text(int column) const {
    const Cell& value = cell(column);
    return value.kind >= CellKind::kText ? value.text : Render(column);
  }
  // Why a kInvalidText cell is not text ("byte 0x81 at offset 3 is not
  // Windows-1252").
  const std::string& InvalidText(int column) const {
    return decoded_[static_cast<size_t>(column)].error;
  }
  // Rows returned so far (the current row's position in the read, from 1).
  int64_t position() const { return position_; }

 protected:
  // `text_columns` as TableRead::text_columns.
  RowCursor(size_t columns, TextEncoding encoding, const std::vector<bool>& text_columns = {})
      : cells_(columns),
        text_masks_(columns, ~uint64_t{0}),
        rendered_(columns),
        decoded_(columns),
        encoding_(encoding) {
    for (size_t i = 0; i < text_columns.size() && i < columns; ++i) {
      if (!text_columns[i]) text_masks_[i] = 0;
    }
  }
  // Sets `cell` (one of cells_) to the ERP's text `raw` (kText). `raw`
  // must stay valid until the next row. Returns the OR of its bytes: when
  // the OR of a row's texts is not ASCII (kNotAscii), call DecodeRow().
  static uint64_t SetText(Cell* cell, std::string_view raw) {
    cell->kind = CellKind::kText;
    cell->text = raw;
    return OrOfBytes(raw);
  }
  // Converts the row's non-ASCII text cells to UTF-8; a cell that is not
  // valid in the ERP's encoding becomes kInvalidText. Rare in an ERP: out
  // of line.
  void DecodeRow();
  // Filled by Next() for every column.
  std::vector<Cell> cells_;
  // Per column: all ones when its text is converted and checked, else 0
  // (AND it with SetText's result).
  std::vector<uint64_t> text_masks_;
  // Incremented by Next() for every row.
  int64_t position_ = 0;

 private:
  // Text() of a cell that is not kText (out of line: text cells are the
  // common case).
  std::string_view Render(int column) const;

  // DecodeRow() of one cell.
  void Decode(int column);

  // One buffer per column for numbers rendered by Text() (the shortest
  // round-trip form of a double needs at most 24 characters).
  mutable std::vector<std::array<char, 32>> rendered_;
  // Per column: text converted to UTF-8, or why it could not be.
  struct Decoded {
    std::string text;
    std::string error;
  };
  std::vector<Decoded> decoded_;
  TextEncoding encoding_;
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

  // Where the rows of `table` are whose `columns` read as `values` (text as
  // Text() gives it, trailing blanks trimmed; NULL as ""), for people to find
  // them in the ERP: "rowid 10000". UNIMPLEMENTED when the ERP cannot say
  // (ODBC: reports give the row's position in the read instead).
  virtual Result<std::vector<std::string>> LocateRows(const std::string& table,
                                                      const std::vector<std::string>& columns,
                                                      const std::vector<std::string>& values) {
    (void)table;
    (void)columns;
    (void)values;
    return UnimplementedError("this ERP cannot locate rows");
  }
};

}  // namespace erpsync::agent

#endif  // ERPSYNC_AGENT_ERP_ERP_SOURCE_H_
