// Minimal leveled logging to stderr (journald collects it). One line per
// message: "2026-11-23T10:00:00.123Z I message". Thread-safe: each message
// is written with a single write(2).
#ifndef ERPSYNC_COMMON_LOG_H_
#define ERPSYNC_COMMON_LOG_H_

#include <sstream>
#include <string_view>

#include "common/status.h"

namespace erpsync {

enum class LogLevel { kDebug = 0, kInfo = 1, kWarning = 2, kError = 3, kOff = 4 };

void SetLogLevel(LogLevel level);
LogLevel GetLogLevel();
// "debug", "info", "warning", "error", "off".
Result<LogLevel> ParseLogLevel(std::string_view name);

// Collects one message and writes it when destroyed.
class LogMessage {
 public:
  explicit LogMessage(LogLevel level) : level_(level) {}
  ~LogMessage();
  LogMessage(const LogMessage&) = delete;
  LogMessage& operator=(const LogMessage&) = delete;
  std::ostream& stream() { return stream_; }

 private:
  LogLevel level_;
  std::ostringstream stream_;
};

}  // namespace erpsync

// ERPSYNC_LOG(kInfo) << "synced " << n << " records";
// (A for statement, so it nests safely in an unbraced if/else.)
#define ERPSYNC_LOG(level)                                                      \
  for (bool erpsync_log_on = ::erpsync::LogLevel::level >= ::erpsync::GetLogLevel(); \
       erpsync_log_on; erpsync_log_on = false)                                  \
  ::erpsync::LogMessage(::erpsync::LogLevel::level).stream()

#endif  // ERPSYNC_COMMON_LOG_H_
