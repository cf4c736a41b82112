#include "bench/command_runner.h"

#include <cstdio>
#include <iostream>

namespace erpsync::bench {
namespace {

std::string JoinArgs(const std::vector<std::string>& argv) {
  std::string line;
  for (const std::string& arg : argv) line += (line.empty() ? "" : " ") + arg;
  return line;
}

Status Failed(const std::string& step, const std::string& command, int exit_code,
              const std::string& stderr_text) {
  return InternalError(step + ": `" + command + "` exited " + std::to_string(exit_code) +
                       "; the end of its stderr:\n" + proc::Tail(stderr_text));
}

}  // namespace

proc::SubprocessOptions CommandRunner::Files(const std::string& step, const Redirect& redirect) {
  char number[16];
  std::snprintf(number, sizeof(number), "%03d-", ++steps_);
  const std::string prefix = log_dir_ + "/" + number + step;
  proc::SubprocessOptions files;
  files.stdin_path = redirect.stdin_path;
  files.stdout_path = redirect.stdout_path.empty() ? prefix + ".out" : redirect.stdout_path;
  files.stderr_path = prefix + ".err";
  return files;
}

Result<proc::RunResult> CommandRunner::Run(const std::string& step, std::vector<std::string> argv,
                                           const Redirect& redirect) {
  const std::string command = JoinArgs(argv);
  if (verbose_) std::cerr << "+ " << command << "\n";
  // A large output redirected to a file stays there: read into this
  // process, it would raise the RSS floor of every later child (see
  // proc::SpawnRssFloorKib).
  Result<proc::RunResult> run = proc::Run(std::move(argv), Files(step, redirect), timeout_,
                                          /*capture_stdout=*/redirect.stdout_path.empty());
  if (!run.ok()) return run.status().WithContext(step);
  if (run->exit_code != 0) return Failed(step, command, run->exit_code, run->err);
  return run;
}

Result<std::unique_ptr<proc::Subprocess>> CommandRunner::Start(const std::string& step,
                                                               std::vector<std::string> argv) {
  if (verbose_) std::cerr << "+ " << JoinArgs(argv) << " &\n";
  Result<std::unique_ptr<proc::Subprocess>> started =
      proc::Subprocess::Start(std::move(argv), Files(step, Redirect()));
  if (!started.ok()) return started.status().WithContext(step);
  return started;
}

Status CommandRunner::ExitStatus(const std::string& step, const proc::Subprocess& process) {
  const int code = process.exit_code().value_or(-1);
  if (code == 0) return Status::Ok();
  return Failed(step, process.CommandLine(), code, process.Stderr());
}

}  // namespace erpsync::bench
