// Number formatting for people: "1,234,567", "23.6 MiB". Pure functions.
#ifndef ERPSYNC_COMMON_HUMAN_FORMAT_H_
#define ERPSYNC_COMMON_HUMAN_FORMAT_H_

#include <cstdint>
#include <string>

namespace erpsync {

// "1,234,567".
std::string WithThousands(uint64_t value);
// "812.0 KiB", "23.6 MiB".
std::string HumanBytes(uint64_t bytes);
// "1.234" with `decimals` digits after the point.
std::string FixedPoint(double value, int decimals);

}  // namespace erpsync

#endif  // ERPSYNC_COMMON_HUMAN_FORMAT_H_
