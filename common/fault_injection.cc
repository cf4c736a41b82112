#include "common/fault_injection.h"

#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <charconv>
#include <cstdint>
#include <cstdlib>

namespace erpsync {

void CrashIfFaultPoint(std::string_view point) {
  const char* wanted = std::getenv("ERPSYNC_FAULT_CRASH_AT");
  if (wanted == nullptr) return;
  std::string_view name(wanted);
  uint64_t nth = 1;
  if (const size_t colon = name.find(':'); colon != std::string_view::npos) {
    const std::string_view count = name.substr(colon + 1);
    std::from_chars(count.data(), count.data() + count.size(), nth);
    name = name.substr(0, colon);
  }
  if (point != name) return;
  // Only the named point counts, so one counter serves.
  static std::atomic<uint64_t> hits{0};
  if (++hits >= nth) ::kill(::getpid(), SIGKILL);
}

}  // namespace erpsync
