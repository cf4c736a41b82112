// The end-to-end tests' view of tools/proc/subprocess.h: the same child
// processes, with problems (cannot start, timed out) reported as GoogleTest
// failures instead of a Status. Subprocess is not thread-safe.
#ifndef ERPSYNC_TESTS_SUPPORT_SUBPROCESS_H_
#define ERPSYNC_TESTS_SUPPORT_SUBPROCESS_H_

#include <sys/types.h>

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "tools/proc/subprocess.h"

namespace erpsync::testing {

using proc::ReadFile;
using proc::WaitFor;

class Subprocess {
 public:
  // Starts `argv[0]` (a path) with the arguments; output goes to
  // `output_prefix`.out / .err. Fails the test when it cannot start.
  Subprocess(std::vector<std::string> argv, const std::string& output_prefix);
  Subprocess(const Subprocess&) = delete;
  Subprocess& operator=(const Subprocess&) = delete;

  pid_t pid() const { return process_ ? process_->pid() : -1; }
  void Signal(int signal);
  // Exit code (128 + signal when killed), or nullopt on timeout.
  std::optional<int> Wait(std::chrono::milliseconds timeout);
  bool Running();

  std::string Stdout() const;
  std::string Stderr() const;

 private:
  std::string out_path_;
  std::string err_path_;
  std::unique_ptr<proc::Subprocess> process_;
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

}  // namespace erpsync::testing

#endif  // ERPSYNC_TESTS_SUPPORT_SUBPROCESS_H_
