#include "common/log.h"

#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>

namespace erpsync {
namespace {

std::atomic<LogLevel> g_level{LogLevel::kInfo};

std::atomic<LogFormat> g_format{DetectLogFormat()};

// sd-daemon(3) priorities.
int JournalPriority(LogLevel level) {
  switch (level) {
    case LogLevel::kDebug: return 7;
    case LogLevel::kInfo: return 6;
    case LogLevel::kWarning: return 4;
    case LogLevel::kError:
    case LogLevel::kOff: break;
  }
  return 3;
}

char LevelLetter(LogLevel level) {
  switch (level) {
    case LogLevel::kDebug: return 'D';
    case LogLevel::kInfo: return 'I';
    case LogLevel::kWarning: return 'W';
    case LogLevel::kError: return 'E';
    case LogLevel::kOff: break;
  }
  return '?';
}

}  // namespace

LogFormat DetectLogFormat() {
  const char* stream = std::getenv("JOURNAL_STREAM");
  if (stream == nullptr) return LogFormat::kText;
  unsigned long long device = 0;
  unsigned long long inode = 0;
  if (std::sscanf(stream, "%llu:%llu", &device, &inode) != 2) return LogFormat::kText;
  struct stat info {};
  if (::fstat(STDERR_FILENO, &info) != 0) return LogFormat::kText;
  return info.st_dev == device && info.st_ino == inode ? LogFormat::kJournal : LogFormat::kText;
}

void SetLogFormat(LogFormat format) { g_format.store(format); }
LogFormat GetLogFormat() { return g_format.load(); }

void SetLogLevel(LogLevel level) { g_level.store(level); }
LogLevel GetLogLevel() { return g_level.load(); }

Result<LogLevel> ParseLogLevel(std::string_view name) {
  if (name == "debug") return LogLevel::kDebug;
  if (name == "info") return LogLevel::kInfo;
  if (name == "warning") return LogLevel::kWarning;
  if (name == "error") return LogLevel::kError;
  if (name == "off") return LogLevel::kOff;
  return InvalidArgumentError("unknown log level '" + std::string(name) +
                              "' (debug, info, warning, error, off)");
}

LogMessage::~LogMessage() {
  std::string line;
  if (g_format.load() == LogFormat::kJournal) {
    // Each line of the message is an entry of its own: each gets the
    // priority.
    const std::string prefix = "<" + std::to_string(JournalPriority(level_)) + ">";
    const std::string text = stream_.str();
    size_t start = 0;
    do {
      const size_t end = text.find('\n', start);
      line += prefix + text.substr(start, end == std::string::npos ? end : end - start) + "\n";
      start = end == std::string::npos ? end : end + 1;
    } while (start != std::string::npos && start < text.size());
  } else {
    const auto now = std::chrono::system_clock::now();
    const std::time_t seconds = std::chrono::system_clock::to_time_t(now);
    const auto millis =
        std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count() %
        1000;
    std::tm utc{};
    gmtime_r(&seconds, &utc);
    char prefix[48];
    const int n = std::snprintf(prefix, sizeof(prefix), "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ %c ",
                                utc.tm_year + 1900, utc.tm_mon + 1, utc.tm_mday, utc.tm_hour,
                                utc.tm_min, utc.tm_sec, static_cast<int>(millis),
                                LevelLetter(level_));
    line.assign(prefix, static_cast<size_t>(n));
    line += stream_.str();
    line.push_back('\n');
  }
  // A single write keeps concurrent messages from interleaving.
  const ssize_t ignored = ::write(STDERR_FILENO, line.data(), line.size());
  (void)ignored;
}

}  // namespace erpsync
