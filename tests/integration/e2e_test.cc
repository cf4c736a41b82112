// End to end with the real binaries on loopback: generate a company, add it
// to a server, enroll an agent, deep sync, and prove with erpsync-ctl that
// the server holds exactly the ERP's rows, also across a server killed and
// restarted in the middle of the sync.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/stat.h>

#include <algorithm>
#include <filesystem>
#include <iterator>
#include <regex>
#include <string>
#include <vector>

#include "tests/integration/binaries_fixture.h"
#include "tests/support/notify_socket.h"
#include "tests/support/tcp_proxy.h"

namespace erpsync::testing {
namespace {

using std::chrono::seconds;

using EndToEndTest = BinariesFixture;

TEST_P(EndToEndTest, DeepSyncMakesTheServerHoldExactlyTheErpRows) {
  SetUpCompany(50000);
  const RunResult sync =
      RunCommand(AgentArgs({"sync", "--deep", "--since", "beginning", "--json"}), Out("sync"));
  ASSERT_EQ(sync.exit_code, 0) << sync.err;
  EXPECT_NE(sync.out.find("\"ok\":true"), std::string::npos) << sync.out;
  ExpectServerEqualsErp();
  const RunResult count = Ctl({"records", "count", "--entity", "jc_transaction"});
  EXPECT_EQ(count.out, "50000\n");
  const RunResult list =
      Ctl({"records", "list", "--entity", "jc_transaction", "--limit", "3", "--json"});
  ASSERT_EQ(list.exit_code, 0) << list.err;
  // Money arrives as exact decimal text.
  EXPECT_TRUE(std::regex_search(list.out, std::regex(R"re("amount":"-?[0-9]+\.[0-9]{2}")re")))
      << list.out;
  // --after KEY starts after a key; --limit beyond a page follows the
  // server's page tokens.
  std::smatch keys;
  const std::regex key_pattern(R"re("key":"([^"]+)")re");
  ASSERT_TRUE(std::regex_search(list.out, keys, key_pattern)) << list.out;
  const std::string first_key = keys[1];
  const RunResult after = Ctl({"records", "list", "--entity", "jc_transaction", "--limit", "1",
                               "--after", first_key, "--json"});
  ASSERT_EQ(after.exit_code, 0) << after.err;
  std::vector<std::string> after_keys;
  for (auto it = std::sregex_iterator(after.out.begin(), after.out.end(), key_pattern);
       it != std::sregex_iterator(); ++it) {
    after_keys.push_back((*it)[1]);
  }
  ASSERT_EQ(after_keys.size(), 1u) << after.out;
  EXPECT_NE(after_keys[0], first_key);
  EXPECT_NE(list.out.find("\"key\":\"" + after_keys[0] + "\""), std::string::npos)
      << "the record after " << first_key << " is the second listed: " << list.out;
  const RunResult long_list =
      Ctl({"records", "list", "--entity", "jc_transaction", "--limit", "1500", "--json"});
  ASSERT_EQ(long_list.exit_code, 0) << long_list.err;
  EXPECT_EQ(
      std::distance(std::sregex_iterator(long_list.out.begin(), long_list.out.end(), key_pattern),
                    std::sregex_iterator()),
      1500);

  // The readable summary names every entity.
  const RunResult again = RunCommand(AgentArgs({"sync", "--deep"}), Out("sync-again"));
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_NE(again.out.find("Transaction (JC)"), std::string::npos) << again.out;

  // SIGTERM stops the server gracefully.
  server_->Signal(SIGTERM);
  EXPECT_EQ(server_->Wait(seconds(30)), 0) << server_->Stderr();
}

TEST_P(EndToEndTest, ServerKilledAndRestartedMidSyncLosesNothing) {
  SetUpCompany(50000);
  TcpProxy proxy(port_);
  agent_port_ = proxy.port();
  // Small batches and a window of one make the sync long enough to kill;
  // the kill comes once 200 KB of the about 1.7 MB it sends went through.
  Subprocess agent(AgentArgs({"sync", "--deep", "--json", "--sync.batch_records=100",
                              "--sync.window=1", "--sync.retry_for_seconds=60"}),
                   Out("agent"));
  ASSERT_TRUE(WaitFor([&] { return proxy.bytes_up() >= 200'000; }, seconds(60))) << agent.Stderr();
  server_->Signal(SIGKILL);
  EXPECT_EQ(server_->Wait(seconds(10)), 128 + SIGKILL);
  ASSERT_TRUE(agent.Running()) << "the sync ended before the server was killed";
  StartServer();
  const std::optional<int> code = agent.Wait(std::chrono::minutes(3));
  ASSERT_TRUE(code.has_value());
  ASSERT_EQ(*code, 0) << agent.Stderr();
  EXPECT_TRUE(std::regex_search(agent.Stdout(), std::regex(R"re("reconnects":[1-9])re")))
      << agent.Stdout();
  ExpectServerEqualsErp();
}

TEST_P(EndToEndTest, ASecondServerOnAPortInUseFailsToStartSayingWhy) {
  SetUpCompany(100);
  const RunResult second = Server({"serve", "--server.listen=127.0.0.1:" + std::to_string(port_)});
  EXPECT_EQ(second.exit_code, 69) << second.err;
  EXPECT_THAT(second.err, ::testing::HasSubstr("cannot listen on 127.0.0.1:" +
                                               std::to_string(port_) + ": address already in use"));
  // The first one still serves its agents.
  EXPECT_EQ(Agent({"sync"}, "after").exit_code, 0);
}

TEST_P(EndToEndTest, PlaintextOffLoopbackIsRefusedUnlessAllowed) {
  const RunResult refused = Server({"serve", "--server.listen=0.0.0.0:0"});
  EXPECT_EQ(refused.exit_code, 64) << refused.err;
  EXPECT_THAT(refused.err, ::testing::HasSubstr("is not a loopback address and TLS is off"));
  WriteTextFile(dir_.File("user.token"), "esu_x\n");
  const RunResult ctl = RunCommand({ERPSYNC_CTL_BIN, "records", "count", "--server=192.0.2.1:7443",
                                    "--token-file=" + dir_.File("user.token")},
                                   Out("ctl-plaintext"));
  EXPECT_EQ(ctl.exit_code, 64) << ctl.err;
  EXPECT_THAT(ctl.err, ::testing::HasSubstr("--allow-plaintext"));
}

TEST_P(EndToEndTest, TheServersDataIsPrivateToItsAccount) {
  const mode_t previous = ::umask(022);
  SetUpCompany(100);
  ::umask(previous);
  ASSERT_EQ(Agent({"sync"}, "sync").exit_code, 0);
  struct stat info {};
  std::vector<std::string> files = {"agent-state/state.db"};
  // The SQLite store is files of the data dir; a PostgreSQL store's files
  // are the database server's (the data dir then holds no more than mail).
  const bool sqlite = GetParam() == server::StoreKind::kSqlite;
  if (sqlite) files.insert(files.end(), {"server/erpsync.db", "server/erpsync.db-wal"});
  if (sqlite || std::filesystem::exists(dir_.File("server"))) {
    ASSERT_EQ(::stat(dir_.File("server").c_str(), &info), 0);
    EXPECT_EQ(info.st_mode & 0777, 0700u);
  }
  for (const std::string& name : files) {
    ASSERT_EQ(::stat(dir_.File(name).c_str(), &info), 0) << name;
    EXPECT_EQ(info.st_mode & 0777, 0600u) << name;
  }
  ASSERT_EQ(::stat(dir_.File("agent-state").c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 0777, 0700u);
}

// The store when no command has created it yet: SQLite, a data dir that
// does not exist; PostgreSQL, a database without the erpsync schema. A
// PostgreSQL store is still to be created when `store migrate` finds
// version 0.
TEST_P(EndToEndTest, CommandsThatOnlyReadNeverCreateAStore) {
  const bool sqlite = GetParam() == server::StoreKind::kSqlite;
  const std::string missing = dir_.File("mistyped-data-dir");
  for (const std::vector<std::string>& command :
       std::vector<std::vector<std::string>>{{"company", "list"},
                                             {"agent", "list"},
                                             {"user", "list"},
                                             {"audit", "list"},
                                             {"store", "verify"}}) {
    std::vector<std::string> args = {ERPSYNC_SERVER_BIN};
    args.insert(args.end(), command.begin(), command.end());
    args.push_back("--server.data_dir=" + missing);
    for (std::string& flag : StoreFlags()) args.push_back(std::move(flag));
    const RunResult run = RunCommand(args, Out("read-only-" + command[0]));
    EXPECT_EQ(run.exit_code, 66) << command[0] << " " << command[1] << ": " << run.err;
    EXPECT_THAT(run.err, ::testing::HasSubstr(sqlite ? "data dir " + missing + " does not exist"
                                                     : "has no erpsync store"));
  }
  EXPECT_FALSE(std::filesystem::exists(missing));
  if (!sqlite) {
    EXPECT_THAT(Server({"store", "migrate"}).out, ::testing::HasSubstr("(was 0)"));
  }
}

TEST_P(EndToEndTest, SighupReadsTheConfigurationAgainInsteadOfKillingTheServer) {
  SetUpCompany(10);
  server_->Signal(SIGTERM);
  ASSERT_EQ(server_->Wait(seconds(30)), 0);
  const std::string conf = dir_.File("server.conf");
  WriteTextFile(conf, "[server]\nlog_level = info\n");
  // Started as by systemd with Type=notify: it hears of each step.
  NotifySocket systemd(dir_.File("notify"));
  ::setenv("NOTIFY_SOCKET", systemd.path().c_str(), 1);
  StartServer({"--config", conf});
  ::unsetenv("NOTIFY_SOCKET");
  EXPECT_EQ(systemd.Receive(seconds(10)),
            "READY=1\nSTATUS=listening on port " + std::to_string(port_));
  WriteTextFile(conf, "[server]\nlog_level = debug\n");
  server_->Signal(SIGHUP);
  ASSERT_TRUE(
      WaitFor([&] { return server_->Stderr().find("log level now debug") != std::string::npos; },
              seconds(10)))
      << server_->Stderr();
  EXPECT_THAT(systemd.Receive(seconds(10)).value_or(""), ::testing::StartsWith("RELOADING=1\n"));
  EXPECT_EQ(systemd.Receive(seconds(10)), "READY=1");
  // A broken file keeps the running settings.
  WriteTextFile(conf, "[server]\nlog_level = loud\n");
  server_->Signal(SIGHUP);
  ASSERT_TRUE(WaitFor(
      [&] {
        return server_->Stderr().find("the configuration no longer loads") != std::string::npos;
      },
      seconds(10)))
      << server_->Stderr();
  EXPECT_TRUE(server_->Running());
  EXPECT_EQ(Agent({"sync"}, "after-hup").exit_code, 0);
  server_->Signal(SIGTERM);
  EXPECT_EQ(server_->Wait(seconds(30)), 0);
  // The broken file's reload, then the stop.
  EXPECT_THAT(systemd.Receive(seconds(1)).value_or(""), ::testing::StartsWith("RELOADING=1\n"));
  EXPECT_EQ(systemd.Receive(seconds(1)), "READY=1");
  EXPECT_EQ(systemd.Receive(seconds(1)), "STOPPING=1");
}

TEST_P(EndToEndTest, ErpsyncCtlTakesItsConnectionOptionsBeforeOrAfterTheCommand) {
  SetUpCompany(100);
  ASSERT_EQ(Agent({"sync", "--deep"}, "deep").exit_code, 0);
  const RunResult after = Ctl({"records", "count", "--json"});
  ASSERT_EQ(after.exit_code, 0) << after.err;
  const std::string server = "127.0.0.1:" + std::to_string(port_);
  const std::string token = dir_.File("user.token");
  // --name=value and --name value, and a switch, before the command words.
  const RunResult before = RunCommand(
      {ERPSYNC_CTL_BIN, "--server", server, "--token-file=" + token, "--json", "records", "count"},
      Out("ctl-before"));
  EXPECT_EQ(before.exit_code, 0) << before.err;
  EXPECT_EQ(before.out, after.out);
  const RunResult mixed = RunCommand(
      {ERPSYNC_CTL_BIN, "--token-file", token, "records", "count", "--server=" + server, "--json"},
      Out("ctl-mixed"));
  EXPECT_EQ(mixed.exit_code, 0) << mixed.err;
  EXPECT_EQ(mixed.out, after.out);
  // Anything else before the command is still no command.
  const RunResult unknown =
      RunCommand({ERPSYNC_CTL_BIN, "--entity", "vendor", "records", "count"}, Out("ctl-unknown"));
  EXPECT_EQ(unknown.exit_code, 64);
  EXPECT_THAT(unknown.err, ::testing::HasSubstr("unknown command '--entity'"));
}

TEST_P(EndToEndTest, TheServerLogsEachSyncAndEachRefusedTokenWithoutTheToken) {
  SetUpCompany(100);
  ASSERT_EQ(Agent({"sync", "--deep"}, "deep").exit_code, 0);
  WriteTextFile(dir_.File("bad.token"), "esu_not-a-real-token\n");
  const RunResult refused = CtlAs("bad", {"records", "count"});
  EXPECT_EQ(refused.exit_code, 77) << refused.err;
  ASSERT_TRUE(WaitFor(
      [&] {
        return server_->Stderr().find("refused an unknown or revoked token (hash ") !=
               std::string::npos;
      },
      seconds(10)))
      << server_->Stderr();
  EXPECT_THAT(server_->Stderr(),
              ::testing::HasSubstr("sync of Acme Builders/sage300 (agent 1, run "));
  EXPECT_THAT(server_->Stderr(), ::testing::HasSubstr("8 record types"));
  EXPECT_THAT(server_->Stderr(), ::testing::HasSubstr(": complete"));
  EXPECT_THAT(server_->Stderr(), ::testing::Not(::testing::HasSubstr("not-a-real-token")));
}

TEST_P(EndToEndTest, ErrorsAreClearAndExitCodesFollowSysexits) {
  // A malformed config names the file, the line and the key, and exits 64.
  WriteTextFile(dir_.File("bad.conf"), "[server]\naddress = 127.0.0.1:1\n[sync]\nwindow = lots\n");
  const RunResult bad_config =
      RunCommand({ERPSYNC_AGENT_BIN, "sync", "--config", dir_.File("bad.conf")}, Out("bad-config"));
  EXPECT_EQ(bad_config.exit_code, 64);
  EXPECT_NE(
      bad_config.err.find(dir_.File("bad.conf") + ":4: key 'sync.window': invalid value 'lots'"),
      std::string::npos)
      << bad_config.err;
  const RunResult unknown_key = RunCommand(
      {ERPSYNC_SERVER_BIN, "serve", "--config", dir_.File("bad.conf")}, Out("unknown-key"));
  EXPECT_EQ(unknown_key.exit_code, 64);
  EXPECT_NE(unknown_key.err.find(":2: unknown key 'server.address'"), std::string::npos)
      << unknown_key.err;
  const RunResult usage = RunCommand({ERPSYNC_AGENT_BIN, "sync", "--since", "week"}, Out("usage"));
  EXPECT_EQ(usage.exit_code, 64);
  EXPECT_NE(usage.err.find("--since applies to deep syncs"), std::string::npos) << usage.err;

  // A missing ERP file is a clear error (66).
  WriteTextFile(dir_.File("agent.token"), "esa_x\n");
  const RunResult missing = RunCommand(AgentArgs({"sync", "--deep"}), Out("missing-erp"));
  EXPECT_EQ(missing.exit_code, 66);
  EXPECT_NE(missing.err.find("company.db"), std::string::npos) << missing.err;
  // An ERP the configuration does not name is a configuration error (64),
  // for every command that reads the ERP, as for the service.
  for (const std::vector<std::string>& command :
       std::vector<std::vector<std::string>>{{"sync"}, {"erp", "checksum"}}) {
    std::vector<std::string> args = AgentArgs(command);
    args.erase(
        std::remove_if(args.begin(), args.end(),
                       [](const std::string& arg) { return arg.rfind("--erp.path=", 0) == 0; }),
        args.end());
    const RunResult unnamed = RunCommand(args, Out("unnamed-erp"));
    EXPECT_EQ(unnamed.exit_code, 64) << command[0] << ": " << unnamed.err;
    EXPECT_NE(unnamed.err.find("erp.path is not set"), std::string::npos) << unnamed.err;
  }

  // A small company for the checks below.
  ASSERT_EQ(RunCommand({ERPSYNC_AGENT_BIN, "sample-erp", "create", "--out", dir_.File("company.db"),
                        "--jobs", "2", "--transactions", "100"},
                       Out("small"))
                .exit_code,
            0);
  // An id that names no mapping is a usage error, before the server is
  // asked for anything.
  const RunResult unknown_id =
      RunCommand(AgentArgs({"sync", "--only", "vendor,nosuch"}), Out("unknown-id"));
  EXPECT_EQ(unknown_id.exit_code, 64) << unknown_id.err;
  EXPECT_NE(unknown_id.err.find("sync --only: no mapping with id 'nosuch'"), std::string::npos)
      << unknown_id.err;
  // A TLS file that cannot be read is a missing input (66), on both sides.
  const RunResult no_ca = RunCommand(
      AgentArgs({"sync", "--server.tls_ca_file=" + dir_.File("no-ca.pem")}), Out("no-ca"));
  EXPECT_EQ(no_ca.exit_code, 66) << no_ca.err;
  EXPECT_THAT(no_ca.err, ::testing::HasSubstr("TLS CA file"));
  const RunResult no_cert = Server({"serve", "--server.listen=127.0.0.1:0",
                                    "--server.tls_cert_file=" + dir_.File("no-cert.pem"),
                                    "--server.tls_key_file=" + dir_.File("no-key.pem")});
  EXPECT_EQ(no_cert.exit_code, 66) << no_cert.err;
  EXPECT_THAT(no_cert.err, ::testing::HasSubstr("TLS certificate"));

  port_ = 1;
  // An unreachable server is retried, then reported (69).
  const RunResult unreachable =
      RunCommand(AgentArgs({"sync", "--deep", "--sync.retry_for_seconds=1"}), Out("unreachable"));
  EXPECT_EQ(unreachable.exit_code, 69);
  EXPECT_NE(unreachable.err.find("server 127.0.0.1:1 unreachable"), std::string::npos)
      << unreachable.err;
  EXPECT_NE(unreachable.err.find("gave up after retrying"), std::string::npos) << unreachable.err;
}

TEST_P(EndToEndTest, TokensAreCheckedAndCompaniesAreSeparate) {
  SetUpCompany(200);
  ASSERT_EQ(Server({"company", "add", "Other Co"}).exit_code, 0);
  ASSERT_EQ(Server({"user", "add", "--company", "Other Co", "--name", "eve", "--token-file",
                    dir_.File("eve.token")})
                .exit_code,
            0);
  ASSERT_EQ(RunCommand(AgentArgs({"sync", "--deep"}), Out("sync")).exit_code, 0);
  // Eve of Other Co sees nothing of Acme's data.
  const RunResult eve = RunCommand(
      {ERPSYNC_CTL_BIN, "records", "count", "--entity", "jc_transaction",
       "--server=127.0.0.1:" + std::to_string(port_), "--token-file=" + dir_.File("eve.token")},
      Out("eve"));
  EXPECT_NE(eve.exit_code, 0);
  EXPECT_NE(eve.err.find("has no ERP connection"), std::string::npos) << eve.err;
  // A wrong token is refused.
  const RunResult wrong =
      RunCommand({ERPSYNC_CTL_BIN, "records", "count",
                  "--server=127.0.0.1:" + std::to_string(port_), "--token=esu_wrong"},
                 Out("wrong"));
  EXPECT_EQ(wrong.exit_code, 77);
  EXPECT_NE(wrong.err.find("unknown or revoked token"), std::string::npos) << wrong.err;
  // The agent's token cannot read records as a user.
  const RunResult agent_as_user = RunCommand(
      {ERPSYNC_CTL_BIN, "records", "count", "--server=127.0.0.1:" + std::to_string(port_),
       "--token-file=" + dir_.File("agent.token")},
      Out("agent-as-user"));
  EXPECT_EQ(agent_as_user.exit_code, 77);
  EXPECT_NE(agent_as_user.err.find("an agent token cannot act as a user"), std::string::npos);
  // Adding the same company twice is refused.
  const RunResult twice = Server({"company", "add", "Acme Builders"});
  EXPECT_EQ(twice.exit_code, 1);
  EXPECT_NE(twice.err.find("already exists"), std::string::npos) << twice.err;
}

}  // namespace
}  // namespace erpsync::testing

namespace erpsync::testing {
namespace {

TEST_P(EndToEndTest, StoreVerifyReportsAStoreCorruptedBehindTheServersBack) {
  SetUpCompany(200);
  AddUser("ada", "admin", false);
  ASSERT_EQ(Agent({"sync"}, "sync").exit_code, 0);
  const RunResult clean = Server({"store", "verify"});
  EXPECT_EQ(clean.exit_code, 0) << clean.err;
  EXPECT_THAT(clean.out, ::testing::HasSubstr("0 drifted"));
  const RunResult clean_ctl = CtlAs("ada", {"records", "checksum", "--verify"});
  EXPECT_EQ(clean_ctl.exit_code, 0) << clean_ctl.err;

  ExecStoreSql(
      "UPDATE entities SET live_count = live_count + 1 WHERE entity_id = 'jc_transaction'");

  const RunResult drifted = Server({"store", "verify", "--company", "Acme Builders"});
  EXPECT_EQ(drifted.exit_code, 1) << drifted.err;
  EXPECT_THAT(drifted.err, ::testing::HasSubstr(
                               "drift in Acme Builders/sage300/jc_transaction: live count: stored "
                               "201, recomputed 200"));
  const RunResult json = Server({"store", "verify", "--json"});
  EXPECT_EQ(json.exit_code, 1);
  EXPECT_THAT(json.out, ::testing::HasSubstr("\"drifted\":1"));

  const RunResult refused = Ctl({"records", "checksum", "--verify"});
  EXPECT_EQ(refused.exit_code, 77);
  EXPECT_THAT(refused.err, ::testing::HasSubstr("this needs Admin or higher"));
  const RunResult verified =
      CtlAs("ada", {"records", "checksum", "--verify", "--entity", "jc_transaction"});
  EXPECT_EQ(verified.exit_code, 1);
  EXPECT_THAT(verified.out, ::testing::HasSubstr("DRIFT: live count: stored 201, recomputed 200"));

  const RunResult repaired = Server({"store", "verify", "--repair"});
  EXPECT_EQ(repaired.exit_code, 0) << repaired.err;
  EXPECT_EQ(Server({"store", "verify"}).exit_code, 0);
}

TEST_P(EndToEndTest, StoreVerifyNeverCreatesAStore) {
  const RunResult missing = Server({"store", "verify"});
  EXPECT_EQ(missing.exit_code, 66);
  if (GetParam() == server::StoreKind::kSqlite) {
    EXPECT_THAT(missing.err,
                ::testing::HasSubstr("data dir " + dir_.File("server") + " does not exist"));
    EXPECT_FALSE(std::filesystem::exists(dir_.File("server")));
  } else {
    EXPECT_THAT(missing.err, ::testing::HasSubstr(" has no erpsync store (create it with "
                                                  "`erpsync-server store migrate`)"));
    EXPECT_THAT(Server({"store", "migrate"}).out, ::testing::HasSubstr("(was 0)"));
  }
}

INSTANTIATE_BACKEND_TEST_SUITE_P(EndToEndTest);

}  // namespace
}  // namespace erpsync::testing
