// Subprocess: a child process running a real binary (the erpsync binaries,
// sqlite3, gzip) for end-to-end tests and benchmarks. Its stdin is read from
// a file (/dev/null by default), its stdout and stderr are written to files.
// It can be waited for with a timeout or signalled; once reaped it reports
// its exit code, its wall time (steady clock, spawn to reap) and what it
// used according to wait4(): peak RSS and CPU seconds. The destructor kills
// (SIGKILL) and reaps a child still running.
//
// Peak RSS caveat: see SpawnRssFloorKib() below.
//
// A Subprocess is not thread-safe; distinct objects may be used from
// distinct threads.
#ifndef ERPSYNC_TOOLS_PROC_SUBPROCESS_H_
#define ERPSYNC_TOOLS_PROC_SUBPROCESS_H_

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "common/status.h"

namespace erpsync::proc {

struct SubprocessOptions {
  // The child's stdin.
  std::string stdin_path = "/dev/null";
  // The child's stdout and stderr (created or truncated). Required.
  std::string stdout_path;
  std::string stderr_path;
};

// What a reaped child used, from wait4()'s rusage.
struct ProcessUsage {
  // Peak resident set size (ru_maxrss), KiB.
  int64_t max_rss_kib = 0;
  double user_seconds = 0;
  double system_seconds = 0;

  double cpu_seconds() const { return user_seconds + system_seconds; }
  double max_rss_mib() const { return static_cast<double>(max_rss_kib) / 1024.0; }
};

class Subprocess {
 public:
  using Clock = std::chrono::steady_clock;

  // Starts `argv[0]` (a path: no PATH search) with the arguments, stdout and
  // stderr going to `output_prefix`.out / .err. INVALID_ARGUMENT for an
  // empty argv; UNAVAILABLE when the child cannot be spawned (the message
  // names the program and the reason).
  static Result<std::unique_ptr<Subprocess>> Start(std::vector<std::string> argv,
                                                   const std::string& output_prefix);
  static Result<std::unique_ptr<Subprocess>> Start(std::vector<std::string> argv,
                                                   SubprocessOptions options);

  ~Subprocess();
  Subprocess(const Subprocess&) = delete;
  Subprocess& operator=(const Subprocess&) = delete;

  pid_t pid() const { return pid_; }
  const std::vector<std::string>& argv() const { return argv_; }
  // The arguments joined by spaces, for messages.
  std::string CommandLine() const;

  // Sends `signal` unless the child has been reaped.
  void Signal(int signal);
  // Exit code (128 + signal when killed by one), or nullopt when the child
  // is still running after `timeout`. Returns at once once reaped.
  std::optional<int> Wait(std::chrono::milliseconds timeout);
  bool Running();

  // Set once the child has been reaped.
  const std::optional<int>& exit_code() const { return exit_code_; }
  const std::optional<ProcessUsage>& usage() const { return usage_; }
  Clock::time_point started_at() const { return started_at_; }
  // Meaningful once reaped.
  Clock::time_point exited_at() const { return exited_at_; }
  // Seconds from spawn to reap (to now while running).
  double wall_seconds() const;

  std::string Stdout() const;
  std::string Stderr() const;
  const std::string& stdout_path() const { return options_.stdout_path; }
  const std::string& stderr_path() const { return options_.stderr_path; }

 private:
  Subprocess(std::vector<std::string> argv, SubprocessOptions options)
      : argv_(std::move(argv)), options_(std::move(options)) {}
  // Reaps the child if it has exited (WNOHANG). True once reaped.
  bool TryReap();

  friend Status WaitAll(std::span<Subprocess* const>, std::chrono::milliseconds);

  std::vector<std::string> argv_;
  SubprocessOptions options_;
  pid_t pid_ = -1;
  // A pidfd (readable when the child exits) or -1 where the kernel has none.
  int pidfd_ = -1;
  Clock::time_point started_at_;
  Clock::time_point exited_at_;
  std::optional<int> exit_code_;
  std::optional<ProcessUsage> usage_;
};

// Waits until every process has exited, reaping each as soon as it exits
// (so each exited_at() is accurate even when they end in any order).
// DEADLINE_EXCEEDED, naming the first still running, when some are still
// running after `timeout` (they are left running).
Status WaitAll(std::span<Subprocess* const> processes, std::chrono::milliseconds timeout);

struct RunResult {
  int exit_code = -1;
  std::string out;
  std::string err;
  ProcessUsage usage;
  double wall_seconds = 0;
};

// Runs a command to completion (at most `timeout`), returning its exit code,
// output (stdout only when `capture_stdout`: leave a large output in its
// file) and usage whatever the exit code. The errors of Start();
// DEADLINE_EXCEEDED (with the tail of its stderr) when it ran longer than
// `timeout`, after killing it.
Result<RunResult> Run(std::vector<std::string> argv, const std::string& output_prefix,
                      std::chrono::milliseconds timeout = std::chrono::minutes(5));
Result<RunResult> Run(std::vector<std::string> argv, SubprocessOptions options,
                      std::chrono::milliseconds timeout = std::chrono::minutes(5),
                      bool capture_stdout = true);

// Peak RSS (KiB) that a child spawned now reports at least: on Linux a
// process's ru_maxrss includes the peak RSS of the address space it exec'd
// from, which for posix_spawn is the spawning process's own. Keep the
// spawner small, and read a child's figure near this one as "at most this".
int64_t SpawnRssFloorKib();

// CPU seconds (user + system) this process has used so far.
double SelfCpuSeconds();

// Polls `condition` every 20 ms until it holds (true) or `timeout` passes
// (false).
bool WaitFor(const std::function<bool()>& condition, std::chrono::milliseconds timeout);

// Reads a whole file ("" when missing).
std::string ReadFile(const std::string& path);

// The last `max_lines` lines of `text` (all of it when shorter), for error
// messages about a child's stderr.
std::string Tail(const std::string& text, int max_lines = 15);

// The path of `program` (a bare name) on $PATH; NOT_FOUND when absent.
Result<std::string> FindOnPath(const std::string& program);

}  // namespace erpsync::proc

#endif  // ERPSYNC_TOOLS_PROC_SUBPROCESS_H_
