// Graceful shutdown on SIGTERM and SIGINT, and reload on SIGHUP (daemons).
// InstallShutdownSignals blocks the signals in the calling thread (call it
// first in main, before any thread starts, so every thread inherits the
// mask) and starts a thread that waits for them. The first SIGTERM or
// SIGINT calls `on_signal`; a second one exits at once with 128 + the
// signal number. With `on_reload`, each SIGHUP calls it (on that thread);
// without, SIGHUP keeps its default (the process ends). The service manager
// hears of both (common/service_notify.h): STOPPING=1 on the first SIGTERM
// or SIGINT, RELOADING=1 before `on_reload` and READY=1 after it.
// Thread-safe.
#ifndef ERPSYNC_COMMON_SIGNAL_WAITER_H_
#define ERPSYNC_COMMON_SIGNAL_WAITER_H_

#include <functional>

namespace erpsync {

void InstallShutdownSignals(std::function<void(int signal)> on_signal,
                            std::function<void()> on_reload = nullptr);

}  // namespace erpsync

#endif  // ERPSYNC_COMMON_SIGNAL_WAITER_H_
