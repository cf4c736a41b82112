// Moving a server up from SQLite to PostgreSQL with the real binaries
// (doc/postgresql.md, Moving up from SQLite): a company deep-synced into a
// SQLite server, the server stopped, `erpsync-server store copy`, the server
// started on PostgreSQL; the agent's token still works, its next sync is
// incremental and the server's figures equal the ERP's. And the command's
// refusals, each with its exit code.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/stat.h>

#include <regex>
#include <string>
#include <vector>

#include "common/clock.h"
#include "tests/integration/binaries_fixture.h"
#include "tests/support/status_matchers.h"
#include "tests/support/store_backend.h"
#include "tests/support/test_postgres.h"

namespace erpsync::testing {
namespace {

using std::chrono::seconds;
using ::testing::HasSubstr;
using ::testing::Not;

using MoveToPostgresqlTest = BinariesFixture;

TEST_P(MoveToPostgresqlTest, TheAgentCarriesOnIncrementallyAfterTheStoreIsCopied) {
  SetUpCompany(20000);
  ASSERT_EQ(Agent({"sync", "--deep"}, "deep").exit_code, 0);
  const RunResult before = Ctl({"records", "checksum", "--json"});
  ASSERT_EQ(before.exit_code, 0) << before.err;
  ASSERT_OK_AND_ASSIGN(TestPostgresDatabase database, TestPostgresDatabase::Create());
  // Not while the server still writes the file.
  const RunResult serving = Server({"store", "copy", "--to", database.dsn()});
  EXPECT_EQ(serving.exit_code, 1);
  EXPECT_THAT(serving.err, HasSubstr("holds the store in " + dir_.File("server") +
                                     ": stop it first, or the copy would miss what it writes"));
  server_->Signal(SIGTERM);
  ASSERT_EQ(server_->Wait(seconds(30)), 0) << server_->Stderr();

  const RunResult copied = Server({"store", "copy", "--to", database.dsn(), "--json"});
  ASSERT_EQ(copied.exit_code, 0) << copied.err << copied.out;
  EXPECT_THAT(copied.out, HasSubstr("\"verified\":true"));
  EXPECT_THAT(copied.out, HasSubstr("\"differences\":[]"));
  EXPECT_THAT(copied.out, HasSubstr("{\"table\":\"erpsync_tokens\",\"rows\":2}"));
  EXPECT_TRUE(
      std::regex_search(copied.out, std::regex(R"re("entities_verified":([89]|[1-9][0-9]))re")))
      << copied.out;
  EXPECT_THAT(copied.err, HasSubstr("  records: "));
  // Once copied, the database is no longer empty.
  const RunResult again = Server({"store", "copy", "--to", database.dsn()});
  EXPECT_EQ(again.exit_code, 1) << again.err;
  EXPECT_THAT(again.err, HasSubstr("is not empty (its table companies has rows)"));

  StartServer({"--store.kind=postgresql", "--store.postgresql_dsn=" + database.dsn()});
  const RunResult after = Ctl({"records", "checksum", "--json"});
  ASSERT_EQ(after.exit_code, 0) << after.err;
  EXPECT_EQ(after.out, before.out);

  // Accounting work, then the agent's next sync, with the same token.
  ASSERT_EQ(RunCommand({ERPSYNC_AGENT_BIN, "sample-erp", "mutate", "--erp", dir_.File("company.db"),
                        "--update", "300", "--insert", "40", "--delete", "10", "--seed", "3"},
                       Out("mutate"))
                .exit_code,
            0);
  const int64_t written = RealClock().NowUnix();
  ASSERT_TRUE(WaitFor([&] { return RealClock().NowUnix() > written + 1; }, seconds(5)));
  const RunResult sync = Agent({"sync", "--json", "--sync.stamp_lag_seconds=1"}, "incremental");
  ASSERT_EQ(sync.exit_code, 0) << sync.err;
  EXPECT_THAT(sync.out, HasSubstr("\"kind\":\"incremental\""));
  EXPECT_THAT(sync.out, HasSubstr("\"ok\":true"));
  EXPECT_THAT(sync.out, Not(HasSubstr("\"mode\":\"deep")));
  // Only the changes went over, not the 20000 transactions again.
  int64_t sent = 0;
  const std::regex sent_pattern(R"re("records_sent":([0-9]+))re");
  for (auto it = std::sregex_iterator(sync.out.begin(), sync.out.end(), sent_pattern);
       it != std::sregex_iterator(); ++it) {
    sent += std::stoll((*it)[1]);
  }
  EXPECT_GT(sent, 0) << sync.out;
  EXPECT_LT(sent, 2000) << sync.out;
  ExpectServerEqualsErp();
  const RunResult mappings = Agent({"mappings", "list", "--json"}, "mappings");
  ASSERT_EQ(mappings.exit_code, 0) << mappings.err;
  EXPECT_THAT(mappings.out, Not(HasSubstr("\"needs_deep_sync\":true")));
}

TEST_P(MoveToPostgresqlTest, StoreCopyRefusalsSayWhyWithTheirExitCodes) {
  // No store yet: nothing to copy, and none is created.
  const RunResult missing = Server({"store", "copy", "--to", "host=127.0.0.1 port=1 dbname=x"});
  EXPECT_EQ(missing.exit_code, 66) << missing.err;
  EXPECT_THAT(missing.err, HasSubstr("does not exist"));
  ASSERT_EQ(Server({"company", "add", "Acme Builders"}).exit_code, 0);

  for (const char* dsn :
       {"host=127.0.0.1 dbname=x password=hunter2", "postgresql://erpsync:hunter2@127.0.0.1/x"}) {
    const RunResult refused = Server({"store", "copy", "--to", dsn});
    EXPECT_EQ(refused.exit_code, 64) << dsn << ": " << refused.err;
    EXPECT_THAT(refused.err, HasSubstr("--to must not hold the password"));
    EXPECT_THAT(refused.err, Not(HasSubstr("hunter2")));
  }
  const RunResult no_file = Server({"store", "copy", "--to", "host=127.0.0.1 port=1 dbname=x",
                                    "--password-file", Out("no-such-file")});
  EXPECT_EQ(no_file.exit_code, 66) << no_file.err;
  WriteTextFile(Out("pg-password"), "hunter2\n");
  ASSERT_EQ(::chmod(Out("pg-password").c_str(), 0644), 0);
  const RunResult readable = Server({"store", "copy", "--to", "host=127.0.0.1 port=1 dbname=x",
                                     "--password-file", Out("pg-password")});
  EXPECT_EQ(readable.exit_code, 64) << readable.err;
  EXPECT_THAT(readable.err, HasSubstr("--password-file: "));
  ASSERT_EQ(::chmod(Out("pg-password").c_str(), 0600), 0);
  const RunResult unreachable =
      Server({"store", "copy", "--to", "host=127.0.0.1 port=1 dbname=x connect_timeout=5",
              "--password-file", Out("pg-password")});
  EXPECT_EQ(unreachable.exit_code, 69) << unreachable.err;
  EXPECT_THAT(unreachable.err, HasSubstr("127.0.0.1"));
  EXPECT_THAT(unreachable.err, Not(HasSubstr("hunter2")));
  EXPECT_EQ(Server({"store", "copy"}).exit_code, 64);
}

// The move starts from a SQLite server: the fixture's backend is SQLite
// whatever the others run on.
INSTANTIATE_TEST_SUITE_P(, MoveToPostgresqlTest, ::testing::Values(server::StoreKind::kSqlite),
                         StoreBackendParamName);

}  // namespace
}  // namespace erpsync::testing
