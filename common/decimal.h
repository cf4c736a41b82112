// Exact decimal numbers held as a scaled 64-bit integer (value x 10^scale).
//
// Money never passes through binary floating point: amounts are parsed from
// the ERP's text, kept scaled, encoded as integers on the wire and formatted
// back to text. Pure functions; thread-safe.
#ifndef ERPSYNC_COMMON_DECIMAL_H_
#define ERPSYNC_COMMON_DECIMAL_H_

#include <cstdint>
#include <string>
#include <string_view>

#include "common/status.h"

namespace erpsync {

inline constexpr uint32_t kMaxDecimalScale = 9;

// Parses "-1234.5", "+7", "0.125", ".5" into value x 10^scale. Surrounding
// blanks are ignored; fewer digits than `scale` are zero-padded, extra digits
// must be zeros. INVALID_ARGUMENT for text that is not a plain decimal or has
// significant digits beyond `scale`; OUT_OF_RANGE when it does not fit 64 bits.
Result<int64_t> ParseDecimal(std::string_view text, uint32_t scale);

// Canonical text: optional '-', integer digits, and exactly `scale` digits
// after the point when scale > 0 ("-1234.50").
std::string FormatDecimal(int64_t scaled, uint32_t scale);

// Appends FormatDecimal(scaled, scale) to `out`.
void AppendDecimal(int64_t scaled, uint32_t scale, std::string* out);

}  // namespace erpsync

#endif  // ERPSYNC_COMMON_DECIMAL_H_
