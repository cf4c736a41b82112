// Clock: the wall clock behind an interface so tests can move time. The
// system implementation is thread-safe.
#ifndef ERPSYNC_COMMON_CLOCK_H_
#define ERPSYNC_COMMON_CLOCK_H_

#include <chrono>
#include <cstdint>
#include <string>

namespace erpsync {

class Clock {
 public:
  virtual ~Clock() = default;
  virtual std::chrono::system_clock::time_point Now() const = 0;
  int64_t NowUnix() const {
    return std::chrono::duration_cast<std::chrono::seconds>(Now().time_since_epoch()).count();
  }
};

class SystemClock : public Clock {
 public:
  std::chrono::system_clock::time_point Now() const override {
    return std::chrono::system_clock::now();
  }
};

// The process-wide system clock.
const Clock& RealClock();

// Local date ("YYYY-MM-DD") and time of day ("HH:MM:SS") of a Unix time, in
// the machine's time zone: how Sage 300 CRE stamps rows.
struct LocalDateTime {
  std::string date;
  std::string time;
};
LocalDateTime ToLocalDateTime(int64_t unix_seconds);

}  // namespace erpsync

#endif  // ERPSYNC_COMMON_CLOCK_H_
