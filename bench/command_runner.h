// CommandRunner: runs the benchmark's child processes (the erpsync binaries,
// sqlite3, gzip), keeping each one's output in a log directory as
// NNN-step.out / .err, and turns a failure (cannot start, timed out,
// non-zero exit) into a Status that names the step and the command and
// quotes the tail of its stderr. Not thread-safe.
#ifndef ERPSYNC_BENCH_COMMAND_RUNNER_H_
#define ERPSYNC_BENCH_COMMAND_RUNNER_H_

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "common/status.h"
#include "tools/proc/subprocess.h"

namespace erpsync::bench {

// Where a step's stdin comes from and its stdout goes (empty: the log).
struct Redirect {
  std::string stdin_path = "/dev/null";
  std::string stdout_path;
};

class CommandRunner {
 public:
  // `log_dir` must exist. `verbose` echoes each command line to stderr.
  CommandRunner(std::string log_dir, std::chrono::seconds timeout, bool verbose)
      : log_dir_(std::move(log_dir)), timeout_(timeout), verbose_(verbose) {}

  // Runs `argv` to completion; OK only when it exited 0. Its stdout is in
  // the result's `out` unless redirected to a file. The errors of proc::Run; INTERNAL "step:
  // `command` exited N" with its stderr tail.
  Result<proc::RunResult> Run(const std::string& step, std::vector<std::string> argv,
                              const Redirect& redirect = Redirect());

  // Starts `argv` without waiting for it; the errors of Subprocess::Start.
  Result<std::unique_ptr<proc::Subprocess>> Start(const std::string& step,
                                                  std::vector<std::string> argv);

  // OK when the reaped `process` exited 0; otherwise INTERNAL naming the
  // step, the command and the exit code, with the tail of its stderr.
  static Status ExitStatus(const std::string& step, const proc::Subprocess& process);

  std::chrono::milliseconds timeout() const { return timeout_; }

 private:
  proc::SubprocessOptions Files(const std::string& step, const Redirect& redirect);

  std::string log_dir_;
  std::chrono::milliseconds timeout_;
  bool verbose_;
  int steps_ = 0;
};

}  // namespace erpsync::bench

#endif  // ERPSYNC_BENCH_COMMAND_RUNNER_H_
