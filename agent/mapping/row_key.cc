#include "agent/mapping/row_key.h"

#include <charconv>

#include "common/record_codec.h"

namespace erpsync::agent {

RowKeyStatus AppendRowKey(const RowCursor& cursor, const std::vector<size_t>& columns,
                          std::string* key, bool* has_empty_part) {
  bool first = true;
  bool empty = true;
  bool some_empty = false;
  for (size_t position : columns) {
    const int column = static_cast<int>(position);
    switch (cursor.Kind(column)) {
      case CellKind::kNull:
        AppendKeyPart("", first, key);
        some_empty = true;
        break;
      case CellKind::kInteger: {
        char digits[24];
        const auto [end, ec] = std::to_chars(digits, digits + sizeof(digits), cursor.Integer(column));
        AppendKeyPart(std::string_view(digits, static_cast<size_t>(end - digits)), first, key);
        empty = false;
        break;
      }
      case CellKind::kBlob:
      case CellKind::kInvalidText:
        return RowKeyStatus::kInvalid;
      case CellKind::kReal:
      case CellKind::kText: {
        std::string_view text = cursor.Text(column);
        while (!text.empty() && (text.back() == ' ' || text.back() == '\0')) text.remove_suffix(1);
        AppendKeyPart(text, first, key);
        empty = empty && text.empty();
        some_empty = some_empty || text.empty();
        break;
      }
    }
    first = false;
  }
  if (has_empty_part != nullptr) *has_empty_part = some_empty;
  return empty ? RowKeyStatus::kEmpty : RowKeyStatus::kUsable;
}

}  // namespace erpsync::agent
