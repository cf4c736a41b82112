// BinariesFixture: end-to-end tests with the real binaries on loopback: a
// temp dir, a sample company, a real erpsync-server on an ephemeral port
// (restartable on the same port), an enrolled agent and a user, and helpers
// to run erpsync-agent, erpsync-server and erpsync-ctl against them.
#ifndef ERPSYNC_TESTS_INTEGRATION_BINARIES_FIXTURE_H_
#define ERPSYNC_TESTS_INTEGRATION_BINARIES_FIXTURE_H_

#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "tests/support/subprocess.h"
#include "tests/support/temp_dir.h"

namespace erpsync::testing {

// {"id":"x","count":N,"checksum":"..."} entries of a --json output, as
// id -> "count checksum".
std::map<std::string, std::string> FiguresFromJson(const std::string& json);

// The first capture of `pattern` in `text`, or "".
std::string Find(const std::string& text, const std::string& pattern);

class BinariesFixture : public ::testing::Test {
 protected:
  std::string Out(const std::string& name) { return dir_.File(name); }

  // erpsync-server ARGS --server.data_dir=...
  RunResult Server(std::vector<std::string> args);
  // erpsync-agent ARGS with the server address, token, ERP, state and
  // mappings flags appended (address: `agent_port_` when set, else port_).
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
  // A company of `transactions` JC transactions, the server, an agent token
  // and a Standard user's token.
  void SetUpCompany(int transactions);
  // Fails the test unless every enabled entity has the same count and
  // checksum in the ERP and on the server.
  void ExpectServerEqualsErp();

  TempDir dir_;
  std::unique_ptr<Subprocess> server_;
  int port_ = 0;
  int agent_port_ = 0;
  int runs_ = 0;
};

}  // namespace erpsync::testing

#endif  // ERPSYNC_TESTS_INTEGRATION_BINARIES_FIXTURE_H_
