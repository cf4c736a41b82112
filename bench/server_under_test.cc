#include "bench/server_under_test.h"

#include <signal.h>

#include <charconv>
#include <chrono>
#include <filesystem>

namespace erpsync::bench {

std::vector<std::string> ServerUnderTest::Command(std::vector<std::string> args) const {
  args.insert(args.begin(), server_bin_);
  args.push_back("--server.data_dir=" + data_dir_);
  args.insert(args.end(), store_flags_.begin(), store_flags_.end());
  return args;
}

Status ServerUnderTest::Migrate() {
  return runner_->Run(name_ + "-store-migrate", Command({"store", "migrate"})).status();
}

Status ServerUnderTest::AddCompany(const std::string& company, const std::string& token_path) {
  ERPSYNC_RETURN_IF_ERROR(
      runner_->Run(name_ + "-company-add", Command({"company", "add", company})).status());
  return runner_
      ->Run(name_ + "-agent-enroll",
            Command({"agent", "enroll", "--company", company, "--token-file", token_path}))
      .status();
}

Status ServerUnderTest::Start() {
  if (process_ != nullptr)
    return FailedPreconditionError(name_ + ": the server is already running");
  // The port file goes there: a server whose store is PostgreSQL may not
  // have made it.
  std::error_code error;
  std::filesystem::create_directories(data_dir_, error);
  if (error) return InternalError(name_ + ": creating " + data_dir_ + ": " + error.message());
  std::filesystem::permissions(data_dir_, std::filesystem::perms::owner_all, error);
  const std::string port_file = data_dir_ + "/bench.port";
  std::filesystem::remove(port_file, error);
  ERPSYNC_ASSIGN_OR_RETURN(process_, runner_->Start(name_ + "-serve-" + std::to_string(++starts_),
                                                    Command({"serve", "--server.listen=127.0.0.1:0",
                                                             "--port-file=" + port_file})));
  const bool listening =
      proc::WaitFor([&] { return !proc::ReadFile(port_file).empty() || !process_->Running(); },
                    std::chrono::seconds(60));
  const std::string port_text = proc::ReadFile(port_file);
  if (!listening || port_text.empty()) {
    process_->Signal(SIGKILL);
    process_->Wait(std::chrono::seconds(10));
    const std::string stderr_text = process_->Stderr();
    process_.reset();
    return InternalError(name_ + ": erpsync-server serve did not start; the end of its stderr:\n" +
                         proc::Tail(stderr_text));
  }
  int port = 0;
  const char* end = port_text.data() + port_text.size();
  const auto [rest, parsed] = std::from_chars(port_text.data(), end, port);
  if (parsed != std::errc() || port <= 0 || port > 65535) {
    Status stopped = Stop().status();
    return InternalError(name_ + ": the port file " + port_file + " holds \"" + port_text +
                         "\", not a port" + (stopped.ok() ? "" : "; " + stopped.message()));
  }
  port_ = port;
  return Status::Ok();
}

Result<proc::ProcessUsage> ServerUnderTest::Stop() {
  if (process_ == nullptr) return FailedPreconditionError(name_ + ": no server is running");
  std::unique_ptr<proc::Subprocess> process = std::move(process_);
  port_ = 0;
  process->Signal(SIGTERM);
  if (!process->Wait(std::chrono::seconds(120))) {
    process->Signal(SIGKILL);
    process->Wait(std::chrono::seconds(10));
    return InternalError(name_ +
                         ": erpsync-server did not stop within 120 s of SIGTERM; the end "
                         "of its stderr:\n" +
                         proc::Tail(process->Stderr()));
  }
  ERPSYNC_RETURN_IF_ERROR(CommandRunner::ExitStatus(name_ + ": stopping erpsync-server", *process));
  return process->usage().value_or(proc::ProcessUsage{});
}

}  // namespace erpsync::bench
