#include "agent/mapping/row_key.h"

#include <charconv>

#include "common/record_codec.h"

namespace erpsync::agent {

void AppendRowKey(const RowCursor& cursor, const std::vector<size_t>& columns, std::string* key) {
  bool first = true;
  for (size_t position : columns) {
    const int column = static_cast<int>(position);
    switch (cursor.Kind(column)) {
      case CellKind::kNull:
        AppendKeyPart("", first, key);
        break;
      case CellKind::kInteger: {
        char digits[24];
        const auto [end, ec] = std::to_chars(digits, digits + sizeof(digits), cursor.Integer(column));
        AppendKeyPart(std::string_view(digits, static_cast<size_t>(end - digits)), first, key);
        break;
      }
      default: {
        std::string_view text = cursor.Text(column);
        while (!text.empty() && (text.back() == ' ' || text.back() == '\0')) text.remove_suffix(1);
        AppendKeyPart(text, first, key);
        break;
      }
    }
    first = false;
  }
}

}  // namespace erpsync::agent
