#include "server/store/copy/pg_copy_text.h"

#include <utility>

namespace erpsync::server::store_copy {

void PgCopyText::BeginField() {
  if (!first_field_) data_ += '\t';
  first_field_ = false;
}

void PgCopyText::AddNull() {
  BeginField();
  data_ += "\\N";
}

void PgCopyText::AddInt64(int64_t value) {
  BeginField();
  data_ += std::to_string(value);
}

void PgCopyText::AddText(std::string_view text) {
  BeginField();
  data_.reserve(data_.size() + text.size());
  for (const char c : text) {
    switch (c) {
      case '\\':
        data_ += "\\\\";
        break;
      case '\t':
        data_ += "\\t";
        break;
      case '\n':
        data_ += "\\n";
        break;
      case '\r':
        data_ += "\\r";
        break;
      default:
        data_ += c;
    }
  }
}

void PgCopyText::AddBytes(std::string_view bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  BeginField();
  // BYTEA's hex input form \x..., its backslash escaped for COPY.
  data_.reserve(data_.size() + 3 + 2 * bytes.size());
  data_ += "\\\\x";
  for (const char c : bytes) {
    const auto byte = static_cast<unsigned char>(c);
    data_ += kDigits[byte >> 4];
    data_ += kDigits[byte & 0xF];
  }
}

void PgCopyText::EndRow() {
  data_ += '\n';
  first_field_ = true;
  ++rows_;
}

std::string PgCopyText::Take() {
  std::string data = std::move(data_);
  data_.clear();
  first_field_ = true;
  return data;
}

}  // namespace erpsync::server::store_copy
