#include "tests/support/subprocess.h"

#include <gtest/gtest.h>

namespace erpsync::testing {

Subprocess::Subprocess(std::vector<std::string> argv, const std::string& output_prefix)
    : out_path_(output_prefix + ".out"), err_path_(output_prefix + ".err") {
  Result<std::unique_ptr<proc::Subprocess>> started =
      proc::Subprocess::Start(std::move(argv), output_prefix);
  if (!started.ok()) {
    ADD_FAILURE() << started.status().message();
    return;
  }
  process_ = std::move(*started);
}

void Subprocess::Signal(int signal) {
  if (process_) process_->Signal(signal);
}

std::optional<int> Subprocess::Wait(std::chrono::milliseconds timeout) {
  return process_ ? process_->Wait(timeout) : std::nullopt;
}

bool Subprocess::Running() { return process_ && process_->Running(); }

std::string Subprocess::Stdout() const { return ReadFile(out_path_); }
std::string Subprocess::Stderr() const { return ReadFile(err_path_); }

RunResult RunCommand(std::vector<std::string> argv, const std::string& output_prefix,
                     std::chrono::milliseconds timeout) {
  RunResult result;
  Result<proc::RunResult> run = proc::Run(std::move(argv), output_prefix, timeout);
  if (!run.ok()) {
    ADD_FAILURE() << run.status().message();
    result.out = ReadFile(output_prefix + ".out");
    result.err = ReadFile(output_prefix + ".err");
    return result;
  }
  result.exit_code = run->exit_code;
  result.out = std::move(run->out);
  result.err = std::move(run->err);
  return result;
}

}  // namespace erpsync::testing
