// ServerUnderTest: an erpsync-server data directory the benchmark syncs
// into: companies and agent enrollments made with the admin commands, and
// `serve` processes started on an ephemeral loopback port and stopped with
// SIGTERM, so that wait4() reports each process's peak RSS and CPU time.
// Start a fresh process per measured run for figures of that run alone.
// Its store is SQLite (the default: a file in the data directory) or
// whatever `store_flags` name (`--store.kind=postgresql
// --store.postgresql_dsn=...`), given to every command it runs.
// Not thread-safe.
#ifndef ERPSYNC_BENCH_SERVER_UNDER_TEST_H_
#define ERPSYNC_BENCH_SERVER_UNDER_TEST_H_

#include <memory>
#include <string>
#include <vector>

#include "bench/command_runner.h"
#include "common/status.h"
#include "tools/proc/subprocess.h"

namespace erpsync::bench {

class ServerUnderTest {
 public:
  // `name` prefixes the steps' log files. The data directory is created by
  // the server's first command.
  ServerUnderTest(CommandRunner* runner, std::string server_bin, std::string data_dir,
                  std::string name, std::vector<std::string> store_flags = {})
      : runner_(runner),
        server_bin_(std::move(server_bin)),
        data_dir_(std::move(data_dir)),
        name_(std::move(name)),
        store_flags_(std::move(store_flags)) {}

  // `store migrate`: creates the store's schema (a PostgreSQL database's;
  // the other commands would too, this says so first). The errors of
  // CommandRunner::Run.
  Status Migrate();

  // `company add COMPANY` and `agent enroll`, the agent's token written to
  // `token_path`. The errors of CommandRunner::Run.
  Status AddCompany(const std::string& company, const std::string& token_path);

  // Starts `serve` and waits (at most 60 s) for its port. INTERNAL with the
  // server's stderr when it exits or never says its port;
  // FAILED_PRECONDITION when one is already running.
  Status Start();
  // The port of the running server (0 when none).
  int port() const { return port_; }

  // SIGTERM, then waits for the exit (at most 120 s). What the process used;
  // INTERNAL with its stderr when it exited non-zero or would not stop
  // (then killed); FAILED_PRECONDITION when none is running.
  Result<proc::ProcessUsage> Stop();

 private:
  // `erpsync-server` `args` with the data directory and the store flags.
  std::vector<std::string> Command(std::vector<std::string> args) const;

  CommandRunner* runner_;
  std::string server_bin_;
  std::string data_dir_;
  std::string name_;
  std::vector<std::string> store_flags_;
  std::unique_ptr<proc::Subprocess> process_;
  int port_ = 0;
  int starts_ = 0;
};

}  // namespace erpsync::bench

#endif  // ERPSYNC_BENCH_SERVER_UNDER_TEST_H_
