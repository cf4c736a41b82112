#include "common/clock.h"

#include <cstdio>
#include <ctime>

namespace erpsync {

const Clock& RealClock() {
  static const SystemClock clock;
  return clock;
}

LocalDateTime ToLocalDateTime(int64_t unix_seconds) {
  const std::time_t seconds = static_cast<std::time_t>(unix_seconds);
  std::tm local{};
  localtime_r(&seconds, &local);
  char date[48];
  char time[48];
  std::snprintf(date, sizeof(date), "%04d-%02d-%02d", local.tm_year + 1900, local.tm_mon + 1,
                local.tm_mday);
  std::snprintf(time, sizeof(time), "%02d:%02d:%02d", local.tm_hour, local.tm_min, local.tm_sec);
  return LocalDateTime{date, time};
}

}  // namespace erpsync
