#include "tools/proc/subprocess.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>
#include <thread>

extern char** environ;

namespace erpsync::proc {
namespace {

double Seconds(const timeval& t) {
  return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_usec) / 1e6;
}

// "0.5", "300": a timeout in seconds for messages.
std::string SecondsText(std::chrono::milliseconds timeout) {
  char text[32];
  std::snprintf(text, sizeof(text), "%g", static_cast<double>(timeout.count()) / 1000.0);
  return text;
}

int OpenPidfd(pid_t pid) {
#ifdef SYS_pidfd_open
  const long fd = ::syscall(SYS_pidfd_open, pid, 0);
  return fd < 0 ? -1 : static_cast<int>(fd);
#else
  (void)pid;
  return -1;
#endif
}

// Milliseconds left until `deadline`, at least 0 and at most `cap`.
int RemainingMs(Subprocess::Clock::time_point deadline, int cap) {
  const auto left =
      std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Subprocess::Clock::now());
  return static_cast<int>(std::clamp<int64_t>(left.count(), 0, cap));
}

}  // namespace

Result<std::unique_ptr<Subprocess>> Subprocess::Start(std::vector<std::string> argv,
                                                      const std::string& output_prefix) {
  SubprocessOptions options;
  options.stdout_path = output_prefix + ".out";
  options.stderr_path = output_prefix + ".err";
  return Start(std::move(argv), std::move(options));
}

Result<std::unique_ptr<Subprocess>> Subprocess::Start(std::vector<std::string> argv,
                                                      SubprocessOptions options) {
  if (argv.empty()) return InvalidArgumentError("starting a process: no program given");
  if (options.stdout_path.empty() || options.stderr_path.empty()) {
    return InvalidArgumentError("starting " + argv[0] + ": no stdout or stderr file given");
  }
  std::unique_ptr<Subprocess> process(new Subprocess(std::move(argv), std::move(options)));
  const SubprocessOptions& files = process->options_;

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, files.stdin_path.c_str(), O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, files.stdout_path.c_str(),
                                   O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, files.stderr_path.c_str(),
                                   O_WRONLY | O_CREAT | O_TRUNC, 0644);
  // Children start with default signal dispositions and an empty mask.
  posix_spawnattr_t attributes;
  posix_spawnattr_init(&attributes);
  sigset_t none;
  sigemptyset(&none);
  posix_spawnattr_setsigmask(&attributes, &none);
  sigset_t all;
  sigfillset(&all);
  posix_spawnattr_setsigdefault(&attributes, &all);
  posix_spawnattr_setflags(&attributes, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
  std::vector<char*> raw;
  for (std::string& arg : process->argv_) raw.push_back(arg.data());
  raw.push_back(nullptr);
  process->started_at_ = Clock::now();
  const int error = posix_spawn(&process->pid_, raw[0], &actions, &attributes, raw.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attributes);
  if (error != 0) {
    process->pid_ = -1;
    return UnavailableError("cannot start " + process->argv_[0] + ": " + std::strerror(error));
  }
  process->pidfd_ = OpenPidfd(process->pid_);
  return process;
}

Subprocess::~Subprocess() {
  if (pid_ > 0 && !exit_code_) {
    ::kill(pid_, SIGKILL);
    Wait(std::chrono::seconds(10));
  }
  if (pidfd_ >= 0) ::close(pidfd_);
}

std::string Subprocess::CommandLine() const {
  std::string line;
  for (const std::string& arg : argv_) {
    if (!line.empty()) line += ' ';
    line += arg;
  }
  return line;
}

void Subprocess::Signal(int signal) {
  if (pid_ > 0 && !exit_code_) ::kill(pid_, signal);
}

bool Subprocess::TryReap() {
  if (exit_code_ || pid_ <= 0) return true;
  int status = 0;
  rusage used{};
  pid_t done = ::wait4(pid_, &status, WNOHANG, &used);
  while (done < 0 && errno == EINTR) done = ::wait4(pid_, &status, WNOHANG, &used);
  if (done == 0) return false;
  exited_at_ = Clock::now();
  if (done != pid_) {
    // Reaped elsewhere (ECHILD): nothing is known about it.
    exit_code_ = -1;
    return true;
  }
  exit_code_ = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  ProcessUsage usage;
  usage.max_rss_kib = used.ru_maxrss;
  usage.user_seconds = Seconds(used.ru_utime);
  usage.system_seconds = Seconds(used.ru_stime);
  usage_ = usage;
  if (pidfd_ >= 0) {
    ::close(pidfd_);
    pidfd_ = -1;
  }
  return true;
}

std::optional<int> Subprocess::Wait(std::chrono::milliseconds timeout) {
  Subprocess* self = this;
  if (!WaitAll(std::span<Subprocess* const>(&self, 1), timeout).ok()) return std::nullopt;
  return exit_code_;
}

bool Subprocess::Running() { return !TryReap(); }

double Subprocess::wall_seconds() const {
  const Clock::time_point end = exit_code_ ? exited_at_ : Clock::now();
  return std::chrono::duration<double>(end - started_at_).count();
}

std::string Subprocess::Stdout() const { return ReadFile(options_.stdout_path); }
std::string Subprocess::Stderr() const { return ReadFile(options_.stderr_path); }

Status WaitAll(std::span<Subprocess* const> processes, std::chrono::milliseconds timeout) {
  const Subprocess::Clock::time_point deadline = Subprocess::Clock::now() + timeout;
  while (true) {
    std::vector<pollfd> waits;
    bool without_pidfd = false;
    const Subprocess* running = nullptr;
    for (Subprocess* process : processes) {
      if (process->TryReap()) continue;
      if (running == nullptr) running = process;
      if (process->pidfd_ >= 0) {
        waits.push_back(pollfd{process->pidfd_, POLLIN, 0});
      } else {
        without_pidfd = true;
      }
    }
    if (running == nullptr) return Status::Ok();
    if (Subprocess::Clock::now() >= deadline) {
      return Status(StatusCode::kDeadlineExceeded, "still running after " + SecondsText(timeout) +
                                                       " s: " + running->CommandLine());
    }
    // A pidfd becomes readable when its process exits; without one, poll
    // the processes every 2 ms.
    const int wait_ms = RemainingMs(deadline, without_pidfd ? 2 : 1000);
    if (waits.empty()) {
      std::this_thread::sleep_for(std::chrono::milliseconds(wait_ms));
    } else {
      ::poll(waits.data(), waits.size(), wait_ms);
    }
  }
}

Result<RunResult> Run(std::vector<std::string> argv, const std::string& output_prefix,
                      std::chrono::milliseconds timeout) {
  SubprocessOptions options;
  options.stdout_path = output_prefix + ".out";
  options.stderr_path = output_prefix + ".err";
  return Run(std::move(argv), std::move(options), timeout);
}

Result<RunResult> Run(std::vector<std::string> argv, SubprocessOptions options,
                      std::chrono::milliseconds timeout, bool capture_stdout) {
  ERPSYNC_ASSIGN_OR_RETURN(std::unique_ptr<Subprocess> process,
                           Subprocess::Start(std::move(argv), std::move(options)));
  if (!process->Wait(timeout)) {
    process->Signal(SIGKILL);
    process->Wait(std::chrono::seconds(10));
    return Status(StatusCode::kDeadlineExceeded, "timed out after " + SecondsText(timeout) +
                                                     " s (killed): " + process->CommandLine() +
                                                     "\n" + Tail(process->Stderr()));
  }
  RunResult result;
  result.exit_code = *process->exit_code();
  if (capture_stdout) result.out = process->Stdout();
  result.err = process->Stderr();
  result.usage = process->usage().value_or(ProcessUsage{});
  result.wall_seconds = process->wall_seconds();
  return result;
}

double SelfCpuSeconds() {
  rusage self{};
  getrusage(RUSAGE_SELF, &self);
  return Seconds(self.ru_utime) + Seconds(self.ru_stime);
}

int64_t SpawnRssFloorKib() {
  rusage self{};
  getrusage(RUSAGE_SELF, &self);
  return self.ru_maxrss;
}

bool WaitFor(const std::function<bool()>& condition, std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!condition()) {
    if (std::chrono::steady_clock::now() >= deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return true;
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  std::ostringstream content;
  content << in.rdbuf();
  return content.str();
}

std::string Tail(const std::string& text, int max_lines) {
  size_t start = text.size();
  // A trailing newline does not start an empty last line.
  if (start > 0 && text[start - 1] == '\n') --start;
  for (int lines = 0; start > 0; --start) {
    if (text[start - 1] == '\n' && ++lines == max_lines) break;
  }
  return text.substr(start);
}

Result<std::string> FindOnPath(const std::string& program) {
  const char* path = std::getenv("PATH");
  std::stringstream directories(path != nullptr ? path : "/usr/bin:/bin");
  std::string directory;
  while (std::getline(directories, directory, ':')) {
    if (directory.empty()) continue;
    const std::string candidate = directory + "/" + program;
    if (::access(candidate.c_str(), X_OK) == 0) return candidate;
  }
  return NotFoundError(program + " not found on PATH");
}

}  // namespace erpsync::proc
