// BinariesFixture: end-to-end tests with the real binaries on loopback: a
// temp dir, a sample company, a real erpsync-server on an ephemeral port
// (restartable on the same port), an enrolled agent and a user, and helpers
// to run erpsync-agent, erpsync-server and erpsync-ctl against them. The
// server's store is on the backend of the test's parameter (SQLite under
// the data dir, or a fresh PostgreSQL database that every erpsync-server
// the fixture runs is given); suites use TEST_P and are instantiated with
// INSTANTIATE_BACKEND_TEST_SUITE_P (tests/support/store_backend.h).
#ifndef ERPSYNC_TESTS_INTEGRATION_BINARIES_FIXTURE_H_
#define ERPSYNC_TESTS_INTEGRATION_BINARIES_FIXTURE_H_

#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "server/store/store_options.h"
#include "tests/support/small_disk.h"
#include "tests/support/store_backend.h"
#include "tests/support/subprocess.h"
#include "tests/support/temp_dir.h"

namespace erpsync::testing {

// {"id":"x","count":N,"checksum":"..."} entries of a --json output, as
// id -> "count checksum".
std::map<std::string, std::string> FiguresFromJson(const std::string& json);

// The first capture of `pattern` in `text`, or "".
std::string Find(const std::string& text, const std::string& pattern);

class BinariesFixture : public ::testing::TestWithParam<server::StoreKind> {
 protected:
  std::string Out(const std::string& name) { return dir_.File(name); }

  // The store of the test's backend, set up on first use (a PostgreSQL
  // database is created then).
  const TestStoreBackend& StoreBackend();
  // The flags that give erpsync-server that store (none for SQLite).
  std::vector<std::string> StoreFlags() { return StoreBackend().Flags(); }
  // Runs `sql` on the server's store behind its back (the same SQL on
  // both backends: their tables and columns agree).
  void ExecStoreSql(const std::string& sql);

  // erpsync-server ARGS --server.data_dir=... and the store flags.
  RunResult Server(std::vector<std::string> args);
  // erpsync-agent ARGS with the server address, token, ERP, state and
  // mappings flags appended (address: `agent_address_` when set, else
  // `agent_port_` when set, else port_).
  std::vector<std::string> AgentArgs(std::vector<std::string> args);
  RunResult Agent(std::vector<std::string> args, const std::string& name);
  // erpsync-ctl ARGS with --server and the user's --token-file appended.
  RunResult Ctl(std::vector<std::string> args);
  // The same as the user `user` (token in `<user>.token`).
  RunResult CtlAs(const std::string& user, std::vector<std::string> args);
  // Adds a user of the company (e-mail `<name>@acme.test`) with its token in
  // `<name>.token`.
  void AddUser(const std::string& name, const std::string& level, bool can_push);

  // Starts `erpsync-server serve` (on port_ when set, else an ephemeral
  // port, which it then keeps) with `extra` flags; the daily digest is off
  // unless `extra` says otherwise.
  void StartServer(std::vector<std::string> extra = {});
  // Another `erpsync-server serve` on the same store, with a data dir of
  // its own (dir/`name`: only the store is shared) and an ephemeral port,
  // stored in *port (0 when it did not start, and the test fails).
  std::unique_ptr<Subprocess> StartPeerServer(const std::string& name, int* port);
  // A company of `transactions` JC transactions, the server, an agent token
  // and the token of "ops" (user.token), who runs the syncs: Standard with
  // Can Push to Accounting, as the Sync and Refresh buttons need, and no
  // e-mail address.
  void SetUpCompany(int transactions);
  // Whether the server on `port` holds the company agent's control channel
  // (asked through that server).
  bool AgentConnectedTo(int port);
  // The texts of the .eml files in the server's mail directory (mail mode
  // files, the default).
  std::vector<std::string> MailFiles();
  // How many of them go to `address` and contain `part` (in the subject or
  // the body).
  int MailsTo(const std::string& address, const std::string& part);
  // Fails the test unless every enabled entity has the same count and
  // checksum in the ERP and on the server.
  void ExpectServerEqualsErp();
  // Fails the test unless a further deep sync finds nothing to change.
  void ExpectNothingLeftToChange();
  // A deep sync (--json) in small batches (200 records) with a small window
  // (2) that retries for a minute: long enough to hit with a fault.
  std::vector<std::string> SlowDeepSync();

  TempDir dir_;
  // Before server_: a PostgreSQL database is dropped after the server ends.
  std::unique_ptr<TestStoreBackend> store_backend_;
  std::unique_ptr<Subprocess> server_;
  int port_ = 0;
  int agent_port_ = 0;
  // The agent's server.address, when not one port on loopback (a list).
  std::string agent_address_;
  // When set, erpsync-server (every command) and erpsync-agent (AgentArgs)
  // run where this small disk is mounted (their data dirs on it).
  const SmallDisk* server_disk_ = nullptr;
  const SmallDisk* agent_disk_ = nullptr;
  int runs_ = 0;
};

}  // namespace erpsync::testing

#endif  // ERPSYNC_TESTS_INTEGRATION_BINARIES_FIXTURE_H_
