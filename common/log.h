// Minimal leveled logging to stderr. One line per message, in one of two
// formats: for a terminal or a file, "2026-11-23T10:00:00.123Z I message";
// under systemd, whose journal collects stderr, "<4>message": the
// sd-daemon priority prefix (3 error, 4 warning, 6 info, 7 debug), so that
// `journalctl -p warning` filters, and no timestamp (the journal adds its
// own). The format is chosen by where stderr goes (JOURNAL_STREAM).
// Thread-safe: each message is written with a single write(2).
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

enum class LogFormat { kText, kJournal };
// kJournal when stderr is the journal's stream (systemd sets JOURNAL_STREAM
// to its device and inode), else kText.
LogFormat DetectLogFormat();
// The format in use: DetectLogFormat() until set.
void SetLogFormat(LogFormat format);
LogFormat GetLogFormat();

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
