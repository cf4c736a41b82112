// Subprocess: a child process for end-to-end tests: runs a real binary with
// arguments, its stdout and stderr captured to files, and can be waited for
// with a timeout or signalled. The destructor kills a child still running.
// Not thread-safe.
#ifndef ERPSYNC_TESTS_SUPPORT_SUBPROCESS_H_
#define ERPSYNC_TESTS_SUPPORT_SUBPROCESS_H_

#include <sys/types.h>

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace erpsync::testing {

class Subprocess {
 public:
  // Starts `argv[0]` (a path) with the arguments; output goes to
  // `output_prefix`.out / .err. Aborts the test when it cannot start.
  Subprocess(std::vector<std::string> argv, const std::string& output_prefix);
  ~Subprocess();
  Subprocess(const Subprocess&) = delete;
  Subprocess& operator=(const Subprocess&) = delete;

  pid_t pid() const { return pid_; }
  void Signal(int signal);
  // Exit code (128 + signal when killed), or nullopt on timeout.
  std::optional<int> Wait(std::chrono::milliseconds timeout);
  bool Running();

  std::string Stdout() const;
  std::string Stderr() const;

 private:
  pid_t pid_ = -1;
  std::optional<int> exit_code_;
  std::string out_path_;
  std::string err_path_;
};

struct RunResult {
  int exit_code = -1;
  std::string out;
  std::string err;
};

// Runs a command to completion (at most `timeout`), returning its exit code
// and output. A timeout fails the test and kills the child.
RunResult RunCommand(std::vector<std::string> argv, const std::string& output_prefix,
              std::chrono::milliseconds timeout = std::chrono::minutes(5));

// Polls `condition` every 20 ms until it holds or `timeout` passes.
bool WaitFor(const std::function<bool()>& condition, std::chrono::milliseconds timeout);

// Reads a whole file ("" when missing).
std::string ReadFile(const std::string& path);

}  // namespace erpsync::testing

#endif  // ERPSYNC_TESTS_SUPPORT_SUBPROCESS_H_
