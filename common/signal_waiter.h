// Graceful shutdown on SIGTERM and SIGINT. Install() blocks both signals in
// the calling thread (call it first in main, before any thread starts, so
// every thread inherits the mask) and starts a thread that waits for them.
// The first signal calls `on_signal`; a second one exits at once with 128 +
// the signal number. Thread-safe.
#ifndef ERPSYNC_COMMON_SIGNAL_WAITER_H_
#define ERPSYNC_COMMON_SIGNAL_WAITER_H_

#include <functional>

namespace erpsync {

void InstallShutdownSignals(std::function<void(int signal)> on_signal);

}  // namespace erpsync

#endif  // ERPSYNC_COMMON_SIGNAL_WAITER_H_
