// Fault injection for end-to-end tests: a named point where the process
// kills itself (SIGKILL, as a power cut or the OOM killer would) when the
// environment variable ERPSYNC_FAULT_CRASH_AT names it. Unset in
// production, where a point costs one getenv. Thread-safe.
#ifndef ERPSYNC_COMMON_FAULT_INJECTION_H_
#define ERPSYNC_COMMON_FAULT_INJECTION_H_

#include <string_view>

namespace erpsync {

// Points: "after-export-write" (the agent wrote an export into the ERP and
// journaled it, and has not reported it to the server).
void CrashIfFaultPoint(std::string_view point);

}  // namespace erpsync

#endif  // ERPSYNC_COMMON_FAULT_INJECTION_H_
