#include "agent/erp/table_read_sql.h"

#include <variant>

namespace erpsync::agent {
namespace {

void AppendIdentifier(std::string_view name, std::string* out) {
  out->push_back('"');
  for (char c : name) {
    if (c == '"') out->push_back('"');
    out->push_back(c);
  }
  out->push_back('"');
}

void AppendColumnList(const std::vector<std::string>& columns, std::string* out) {
  for (size_t i = 0; i < columns.size(); ++i) {
    if (i > 0) out->push_back(',');
    AppendIdentifier(columns[i], out);
  }
}

// Appends `(cols) op (values)`, for op ">" (after) or "<=" (through).
void AppendTupleBound(const TupleBound& bound, bool lower, const SqlDialect& dialect,
                      RenderedSql* out) {
  std::string& sql = out->sql;
  const size_t n = bound.columns.size();
  if (dialect.row_values) {
    sql += '(';
    AppendColumnList(bound.columns, &sql);
    sql += lower ? ") > (" : ") <= (";
    for (size_t i = 0; i < n; ++i) {
      sql += i > 0 ? ",?" : "?";
      out->params.push_back(bound.values[i]);
    }
    sql += ')';
    return;
  }
  // Lexicographic comparison spelled out: one disjunct per column, equal on
  // the columns before it and strictly beyond on it (or <= on the last
  // column, for an upper bound).
  sql += '(';
  for (size_t i = 0; i < n; ++i) {
    if (i > 0) sql += " OR ";
    sql += '(';
    for (size_t j = 0; j < i; ++j) {
      AppendIdentifier(bound.columns[j], &sql);
      sql += " = ? AND ";
      out->params.push_back(bound.values[j]);
    }
    AppendIdentifier(bound.columns[i], &sql);
    sql += lower ? " > ?" : (i + 1 == n ? " <= ?" : " < ?");
    out->params.push_back(bound.values[i]);
    sql += ')';
  }
  sql += ')';
}

void AppendWhere(const TableRead& read, const SqlDialect& dialect, RenderedSql* out) {
  std::string& sql = out->sql;
  bool first = true;
  const auto next_condition = [&] {
    sql += first ? " WHERE " : " AND ";
    first = false;
  };
  if (!read.after.empty()) {
    next_condition();
    AppendTupleBound(read.after, /*lower=*/true, dialect, out);
  }
  if (!read.through.empty()) {
    next_condition();
    AppendTupleBound(read.through, /*lower=*/false, dialect, out);
  }
  for (size_t i = 0; i < read.equals.columns.size(); ++i) {
    next_condition();
    AppendIdentifier(read.equals.columns[i], &sql);
    sql += " = ?";
    out->params.push_back(read.equals.values[i]);
  }
  if (!read.since_column.empty()) {
    next_condition();
    AppendIdentifier(read.since_column, &sql);
    sql += " >= ?";
    out->params.push_back(read.since_value);
  }
  if (!read.in_column.empty()) {
    next_condition();
    if (read.in_values.empty()) {
      sql += "1 = 0";
    } else {
      AppendIdentifier(read.in_column, &sql);
      sql += " IN (";
      for (size_t i = 0; i < read.in_values.size(); ++i) {
        sql += i > 0 ? ",?" : "?";
        out->params.emplace_back(read.in_values[i]);
      }
      sql += ')';
    }
  }
}

Status CheckColumn(const TableRead& read, const TableInfo& table, const std::string& column) {
  if (table.ColumnIndex(column) >= 0) return Status::Ok();
  return InvalidArgumentError("reading " + read.table + ": unknown column " + column);
}

Status CheckBound(const TableRead& read, const TableInfo& table, const TupleBound& bound,
                  std::string_view what) {
  if (bound.columns.size() != bound.values.size()) {
    return InvalidArgumentError("reading " + read.table + ": " + std::string(what) + " bound has " +
                                std::to_string(bound.columns.size()) + " columns but " +
                                std::to_string(bound.values.size()) + " values");
  }
  for (size_t i = 0; i < bound.columns.size(); ++i) {
    ERPSYNC_RETURN_IF_ERROR(CheckColumn(read, table, bound.columns[i]));
    if (std::holds_alternative<std::monostate>(bound.values[i])) {
      return InvalidArgumentError("reading " + read.table + ": " + std::string(what) +
                                  " bound on " + bound.columns[i] + " is NULL");
    }
  }
  return Status::Ok();
}

}  // namespace

std::string QuoteIdentifier(std::string_view name) {
  std::string out;
  AppendIdentifier(name, &out);
  return out;
}

Status ValidateTableRead(const TableRead& read, const TableInfo& table) {
  for (const std::string& column : read.columns) {
    ERPSYNC_RETURN_IF_ERROR(CheckColumn(read, table, column));
  }
  for (const std::string& column : read.order_by) {
    ERPSYNC_RETURN_IF_ERROR(CheckColumn(read, table, column));
  }
  ERPSYNC_RETURN_IF_ERROR(CheckBound(read, table, read.after, "after"));
  ERPSYNC_RETURN_IF_ERROR(CheckBound(read, table, read.through, "through"));
  ERPSYNC_RETURN_IF_ERROR(CheckBound(read, table, read.equals, "equals"));
  if (!read.since_column.empty()) {
    ERPSYNC_RETURN_IF_ERROR(CheckColumn(read, table, read.since_column));
    if (std::holds_alternative<std::monostate>(read.since_value)) {
      return InvalidArgumentError("reading " + read.table + ": since " + read.since_column +
                                  " has no value");
    }
  }
  if (!read.in_column.empty()) {
    ERPSYNC_RETURN_IF_ERROR(CheckColumn(read, table, read.in_column));
  }
  if (read.limit < 0) {
    return InvalidArgumentError("reading " + read.table + ": negative limit " +
                                std::to_string(read.limit));
  }
  return Status::Ok();
}

Status CheckTableRead(ErpSource& source, const TableRead& read, bool need_columns) {
  Result<TableInfo> info = source.DescribeTable(read.table);
  if (!info.ok()) {
    if (info.status().code() == StatusCode::kNotFound) {
      return InvalidArgumentError(info.status().message());
    }
    return info.status();
  }
  ERPSYNC_RETURN_IF_ERROR(ValidateTableRead(read, *info));
  if (need_columns && read.columns.empty()) {
    return InvalidArgumentError("reading " + read.table + ": no columns to read");
  }
  return Status::Ok();
}

RenderedSql RenderSelect(const TableRead& read, const SqlDialect& dialect) {
  RenderedSql out;
  out.sql = "SELECT ";
  AppendColumnList(read.columns, &out.sql);
  out.sql += " FROM ";
  AppendIdentifier(read.table, &out.sql);
  AppendWhere(read, dialect, &out);
  if (!read.order_by.empty()) {
    out.sql += " ORDER BY ";
    AppendColumnList(read.order_by, &out.sql);
  }
  if (dialect.limit_clause && read.limit > 0) {
    out.sql += " LIMIT ?";
    out.params.emplace_back(read.limit);
  }
  return out;
}

RenderedSql RenderCount(const TableRead& read, const SqlDialect& dialect) {
  RenderedSql out;
  out.sql = "SELECT COUNT(*) FROM ";
  AppendIdentifier(read.table, &out.sql);
  AppendWhere(read, dialect, &out);
  return out;
}

}  // namespace erpsync::agent
