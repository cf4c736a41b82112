// Fault injection for end-to-end tests: a named point where the process
// kills itself (SIGKILL, as a power cut or the OOM killer would) when the
// environment variable ERPSYNC_FAULT_CRASH_AT names it. Unset in
// production, where a point costs one getenv. Thread-safe.
#ifndef ERPSYNC_COMMON_FAULT_INJECTION_H_
#define ERPSYNC_COMMON_FAULT_INJECTION_H_

#include <string_view>

namespace erpsync {

// ERPSYNC_FAULT_CRASH_AT is a point's name, optionally with ":N" to crash
// on the N-th time the point is reached (default 1). Points:
// "after-export-write" (the agent wrote an export into the ERP and
// journaled it, and has not reported it to the server);
// "after-batch-sent" (the agent handed a batch to the stream; it may or may
// not reach the server, whose acknowledgement the agent will not see);
// "after-deep-checkpoint" (the agent saved a deep pass's checkpoint after a
// batch was acknowledged).
void CrashIfFaultPoint(std::string_view point);

}  // namespace erpsync

#endif  // ERPSYNC_COMMON_FAULT_INJECTION_H_
