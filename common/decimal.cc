#include "common/decimal.h"

#include <charconv>
#include <limits>

namespace erpsync {
namespace {

bool IsBlank(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

std::string_view Trim(std::string_view text) {
  while (!text.empty() && IsBlank(text.front())) text.remove_prefix(1);
  while (!text.empty() && IsBlank(text.back())) text.remove_suffix(1);
  return text;
}

// The common shape, quickly: an optional '-', then digits with at most one
// point, at most `scale` digits after it and at most 18 digits once padded
// to `scale`, so nothing can overflow; no blanks, no '+'. One pass over the
// text. False for any other text, which ParseDecimalGenerally then judges
// (and explains).
bool ParseShortDecimal(std::string_view text, uint32_t scale, int64_t* scaled) {
  const char* p = text.data();
  const char* const end = p + text.size();
  const bool negative = p != end && *p == '-';
  if (negative) ++p;
  const char* const start = p;
  const char* point = nullptr;
  uint64_t value = 0;
  for (; p != end; ++p) {
    const unsigned digit = static_cast<unsigned char>(*p) - unsigned{'0'};
    if (digit <= 9) {
      value = value * 10 + digit;
    } else if (*p == '.' && point == nullptr) {
      point = p;
    } else {
      return false;
    }
  }
  const auto fraction = static_cast<size_t>(point == nullptr ? 0 : end - point - 1);
  const auto digits = static_cast<size_t>(end - start) - (point == nullptr ? 0 : 1);
  if (digits == 0 || fraction > scale || digits - fraction + scale > 18) return false;
  for (size_t padding = fraction; padding < scale; ++padding) value *= 10;
  *scaled = negative ? -static_cast<int64_t>(value) : static_cast<int64_t>(value);
  return true;
}

// ParseDecimal for any text and scale: blanks around the number, a '+',
// more than 18 digits, and the errors. Out of line, so that the short path
// stays small.
[[gnu::noinline]] Result<int64_t> ParseDecimalGenerally(std::string_view text, uint32_t scale) {
  if (scale > kMaxDecimalScale) {
    return InvalidArgumentError("decimal scale " + std::to_string(scale) + " exceeds 9");
  }
  const std::string_view trimmed = Trim(text);
  std::string_view rest = trimmed;
  bool negative = false;
  if (!rest.empty() && (rest.front() == '-' || rest.front() == '+')) {
    negative = rest.front() == '-';
    rest.remove_prefix(1);
  }
  // Accumulate as a negative number so INT64_MIN is representable.
  constexpr int64_t kMin = std::numeric_limits<int64_t>::min();
  int64_t accumulator = 0;
  bool any_digit = false;
  bool seen_point = false;
  uint32_t fraction_digits = 0;
  const auto bad = [&] {
    return InvalidArgumentError("'" + std::string(trimmed) + "' is not a decimal number");
  };
  const auto overflow = [&] {
    return OutOfRangeError("'" + std::string(trimmed) + "' does not fit a 64-bit decimal");
  };
  for (char c : rest) {
    if (c == '.') {
      if (seen_point) return bad();
      seen_point = true;
      continue;
    }
    if (c < '0' || c > '9') return bad();
    any_digit = true;
    const int digit = c - '0';
    if (seen_point) {
      if (fraction_digits == scale) {
        if (digit != 0) {
          return InvalidArgumentError("'" + std::string(trimmed) + "' has more than " +
                                      std::to_string(scale) + " digits after the point");
        }
        continue;
      }
      ++fraction_digits;
    }
    if (accumulator < kMin / 10) return overflow();
    accumulator *= 10;
    if (accumulator < kMin + digit) return overflow();
    accumulator -= digit;
  }
  if (!any_digit) return bad();
  for (; fraction_digits < scale; ++fraction_digits) {
    if (accumulator < kMin / 10) return overflow();
    accumulator *= 10;
  }
  if (negative) return accumulator;
  if (accumulator == kMin) return overflow();
  return -accumulator;
}

}  // namespace

Result<int64_t> ParseDecimal(std::string_view text, uint32_t scale) {
  if (int64_t scaled = 0; scale <= kMaxDecimalScale && ParseShortDecimal(text, scale, &scaled)) {
    return scaled;
  }
  return ParseDecimalGenerally(text, scale);
}

void AppendDecimal(int64_t scaled, uint32_t scale, std::string* out) {
  // Work on the magnitude as unsigned so INT64_MIN formats correctly.
  const bool negative = scaled < 0;
  uint64_t magnitude = negative ? 0 - static_cast<uint64_t>(scaled) : static_cast<uint64_t>(scaled);
  char digits[32];
  const auto [end, ec] = std::to_chars(digits, digits + sizeof(digits), magnitude);
  std::string_view text(digits, static_cast<size_t>(end - digits));
  if (negative) out->push_back('-');
  if (scale == 0) {
    out->append(text);
    return;
  }
  if (text.size() <= scale) {
    out->append("0.");
    out->append(scale - text.size(), '0');
    out->append(text);
    return;
  }
  out->append(text.substr(0, text.size() - scale));
  out->push_back('.');
  out->append(text.substr(text.size() - scale));
}

std::string FormatDecimal(int64_t scaled, uint32_t scale) {
  std::string out;
  AppendDecimal(scaled, scale, &out);
  return out;
}

}  // namespace erpsync
