#include "common/signal_waiter.h"

#include <pthread.h>
#include <signal.h>
#include <unistd.h>

#include <thread>

#include "common/service_notify.h"

namespace erpsync {

void InstallShutdownSignals(std::function<void(int signal)> on_signal,
                            std::function<void()> on_reload) {
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  if (on_reload) sigaddset(&signals, SIGHUP);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  std::thread([signals, on_signal = std::move(on_signal), on_reload = std::move(on_reload)] {
    int count = 0;
    while (true) {
      int signal = 0;
      if (sigwait(&signals, &signal) != 0) continue;
      if (signal == SIGHUP) {
        NotifyReloading();
        on_reload();
        NotifyReloaded();
        continue;
      }
      if (++count > 1) _exit(128 + signal);
      NotifyStopping();
      on_signal(signal);
    }
  }).detach();
}

}  // namespace erpsync
