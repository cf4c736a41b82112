#include "agent/mapping/erp_check.h"

namespace erpsync::agent {

Status CheckMappingAgainstErp(const MappingDefinition& mapping, ErpSource& erp) {
  const v1::EntityMapping& spec = mapping.spec;
  const MappingLines& lines = mapping.lines;
  Result<TableInfo> table = erp.DescribeTable(spec.table());
  if (!table.ok()) {
    if (table.status().code() == StatusCode::kNotFound) {
      return InvalidArgumentError(mapping.Where(lines.table) + ": the ERP (" + erp.Describe() +
                                  ") has no table " + spec.table());
    }
    return table.status().WithContext("checking " + mapping.path);
  }
  const auto check = [&](int line, const std::string& column) -> Status {
    if (column.empty() || table->ColumnIndex(column) >= 0) return Status::Ok();
    return InvalidArgumentError(mapping.Where(line > 0 ? line : 1) + ": table " + spec.table() +
                                " has no column " + column);
  };
  for (int i = 0; i < spec.fields_size(); ++i) {
    ERPSYNC_RETURN_IF_ERROR(check(lines.fields[static_cast<size_t>(i)], spec.fields(i).column()));
  }
  ERPSYNC_RETURN_IF_ERROR(check(lines.row_stamp, spec.row_stamp().date_column()));
  ERPSYNC_RETURN_IF_ERROR(check(lines.row_stamp, spec.row_stamp().time_column()));
  ERPSYNC_RETURN_IF_ERROR(check(lines.timeframe_column, spec.timeframe_column()));
  for (int i = 0; i < spec.options_size(); ++i) {
    const v1::OptionPanel& panel = spec.options(i);
    if (panel.has_row_filter()) {
      ERPSYNC_RETURN_IF_ERROR(check(lines.options[static_cast<size_t>(i)], panel.row_filter().column()));
    }
  }
  return Status::Ok();
}

}  // namespace erpsync::agent
