#include "server/store/record_key.h"

#include <limits>

namespace erpsync::server::store_internal {
namespace {

// At most 18 digits: every such number fits an int64_t, and the smallest
// int64_t (19 digits) is never a stored key, so it can bound them all.
constexpr size_t kMaxIntegerKeyDigits = 18;

}  // namespace

std::optional<int64_t> CanonicalIntegerKey(std::string_view key) {
  const bool negative = !key.empty() && key.front() == '-';
  const std::string_view digits = negative ? key.substr(1) : key;
  if (digits.empty() || digits.size() > kMaxIntegerKeyDigits) return std::nullopt;
  if (digits.front() == '0' && (digits.size() > 1 || negative)) return std::nullopt;
  int64_t value = 0;
  for (const char c : digits) {
    if (c < '0' || c > '9') return std::nullopt;
    value = value * 10 + (c - '0');
  }
  return negative ? -value : value;
}

void StoredKey::Bind(SQLite::Statement& statement, int index, std::string* text) const {
  if (is_integer_) {
    statement.bind(index, integer_);
  } else {
    text->assign(text_);
    statement.bindNoCopy(index, *text);
  }
}

void BindRecordKey(SQLite::Statement& statement, int index, const std::string& key) {
  const std::optional<int64_t> integer = CanonicalIntegerKey(key);
  if (integer) {
    statement.bind(index, *integer);
  } else {
    statement.bindNoCopy(index, key);
  }
}

void BindBeforeFirstKey(SQLite::Statement& statement, int index) {
  statement.bind(index, std::numeric_limits<int64_t>::min());
}

}  // namespace erpsync::server::store_internal
