#include "server/store/record_key.h"

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

}  // namespace erpsync::server::store_internal
