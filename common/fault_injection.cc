#include "common/fault_injection.h"

#include <signal.h>
#include <unistd.h>

#include <cstdlib>

namespace erpsync {

void CrashIfFaultPoint(std::string_view point) {
  const char* wanted = std::getenv("ERPSYNC_FAULT_CRASH_AT");
  if (wanted != nullptr && point == wanted) ::kill(::getpid(), SIGKILL);
}

}  // namespace erpsync
