#include "bench/stop_on_signal.h"

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>

#include "tools/pg/local_cluster.h"

namespace erpsync::bench {
namespace {

constexpr int kSignals[3] = {SIGINT, SIGTERM, SIGHUP};

// What the handler runs, set while an object is installed.
struct Commands {
  const StopOnSignal::Command* stop;
  const StopOnSignal::Command* remove;
};
std::atomic<const Commands*> g_commands{nullptr};
Commands g_installed;

StopOnSignal::Command MakeCommand(std::vector<std::string> args) {
  StopOnSignal::Command command;
  command.args = std::move(args);
  for (std::string& arg : command.args) command.argv.push_back(arg.data());
  command.argv.push_back(nullptr);
  return command;
}

// Async-signal-safe: fork, exec with its output discarded, wait.
void RunAndWait(const StopOnSignal::Command& command) {
  const pid_t pid = ::fork();
  if (pid == 0) {
    const int null = ::open("/dev/null", O_WRONLY);
    if (null >= 0) {
      ::dup2(null, STDOUT_FILENO);
      ::dup2(null, STDERR_FILENO);
    }
    ::execv(command.argv[0], command.argv.data());
    ::_exit(127);
  }
  if (pid < 0) return;
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
}

void OnSignal(int signal) {
  const int saved_errno = errno;
  if (const Commands* commands = g_commands.exchange(nullptr); commands != nullptr) {
    RunAndWait(*commands->stop);
    RunAndWait(*commands->remove);
  }
  // Dies of the signal as without the handler.
  struct sigaction fallback = {};
  fallback.sa_handler = SIG_DFL;
  ::sigaction(signal, &fallback, nullptr);
  errno = saved_errno;
  ::raise(signal);
}

}  // namespace

Result<std::unique_ptr<StopOnSignal>> StopOnSignal::Install(const std::string& cluster_dir) {
  if (g_commands.load() != nullptr) {
    return FailedPreconditionError("a cluster's signal handlers are already installed");
  }
  ERPSYNC_ASSIGN_OR_RETURN(std::vector<std::string> stop, pgcluster::StopCommand(cluster_dir));
  std::unique_ptr<StopOnSignal> installed(new StopOnSignal());
  installed->stop_ = MakeCommand(std::move(stop));
  installed->remove_ = MakeCommand({"/bin/rm", "-rf", cluster_dir});
  g_installed = Commands{&installed->stop_, &installed->remove_};
  g_commands.store(&g_installed);
  struct sigaction action = {};
  action.sa_handler = OnSignal;
  sigemptyset(&action.sa_mask);
  for (size_t i = 0; i < 3; ++i) {
    ::sigaction(kSignals[i], &action, &installed->previous_[i]);
    // A signal ignored before (SIGINT of a background job) stays ignored.
    if (installed->previous_[i].sa_handler == SIG_IGN) {
      ::sigaction(kSignals[i], &installed->previous_[i], nullptr);
    }
  }
  return installed;
}

StopOnSignal::~StopOnSignal() {
  g_commands.store(nullptr);
  for (size_t i = 0; i < 3; ++i) ::sigaction(kSignals[i], &previous_[i], nullptr);
}

}  // namespace erpsync::bench
