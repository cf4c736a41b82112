#include "agent/erp/erp_source.h"

#include <charconv>

namespace erpsync::agent {

int TableInfo::ColumnIndex(std::string_view column) const {
  for (size_t i = 0; i < columns.size(); ++i) {
    if (columns[i].name == column) return static_cast<int>(i);
  }
  return -1;
}

std::string_view RowCursor::Render(int column) const {
  const Cell& value = cell(column);
  auto& buffer = rendered_[static_cast<size_t>(column)];
  std::to_chars_result rendered{};
  switch (value.kind) {
    case CellKind::kText:
    case CellKind::kBlob:
    case CellKind::kInvalidText:
      return value.text;
    case CellKind::kNull:
      return {};
    case CellKind::kInteger:
      rendered = std::to_chars(buffer.data(), buffer.data() + buffer.size(), value.integer);
      break;
    case CellKind::kReal:
      rendered = std::to_chars(buffer.data(), buffer.data() + buffer.size(), value.real);
      break;
  }
  return {buffer.data(), static_cast<size_t>(rendered.ptr - buffer.data())};
}

void RowCursor::DecodeRow() {
  for (size_t column = 0; column < cells_.size(); ++column) {
    if (cells_[column].kind == CellKind::kText && text_masks_[column] != 0 &&
        !IsAscii(cells_[column].text)) {
      Decode(static_cast<int>(column));
    }
  }
}

void RowCursor::Decode(int column) {
  Cell& cell = cells_[static_cast<size_t>(column)];
  Decoded& decoded = decoded_[static_cast<size_t>(column)];
  Result<std::string_view> text = ToUtf8(encoding_, cell.text, &decoded.text);
  if (text.ok()) {
    cell.text = *text;
  } else {
    cell.kind = CellKind::kInvalidText;
    decoded.error = text.status().message();
  }
}

}  // namespace erpsync::agent
