// `erpsync-server store backup|restore` with the real binaries on a SQLite
// store: a backup taken while the server serves; a restore refused while it
// runs and done once it is stopped, keeping the store as it was; after the
// restore the agent's queued deep sync brings back what it had synced
// after the backup. And the mistakes: an existing target, a file that is
// not a store, a backup from a newer server, a PostgreSQL store.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <signal.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <string>

#include "common/clock.h"
#include "tests/integration/binaries_fixture.h"
#include "tests/support/sqlite_exec.h"

namespace erpsync::testing {
namespace {

using ::testing::HasSubstr;
using std::chrono::seconds;

class StoreBackupTest : public BinariesFixture {
 protected:
  // The server's figures equal the ERP's.
  bool ServerEqualsErp() {
    const auto erp = FiguresFromJson(Agent({"erp", "checksum", "--json"}, "erp").out);
    const auto server = FiguresFromJson(Ctl({"records", "checksum", "--json"}).out);
    return !erp.empty() && erp == server;
  }
};

TEST_P(StoreBackupTest, ABackupTakenWhileServingIsRestoredAndTheAgentCatchesUp) {
  SetUpCompany(2000);
  ASSERT_EQ(Agent({"sync", "--deep"}, "deep").exit_code, 0);
  const std::string backup = dir_.File("erpsync-backup.db");
  const RunResult backed_up = Server({"store", "backup", backup});
  ASSERT_EQ(backed_up.exit_code, 0) << backed_up.err;
  EXPECT_THAT(backed_up.out, HasSubstr("backed up " + dir_.File("server/erpsync.db") +
                                       " (schema version "));
  EXPECT_EQ(std::filesystem::status(backup).permissions() & std::filesystem::perms::all,
            std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);

  // The ERP changes and the server gets it; then the store is lost.
  ASSERT_EQ(RunCommand({ERPSYNC_AGENT_BIN, "sample-erp", "mutate", "--erp", dir_.File("company.db"),
                        "--insert", "30", "--update", "40", "--seed", "3"},
                       Out("mutate"))
                .exit_code,
            0);
  const int64_t written = RealClock().NowUnix();
  ASSERT_TRUE(WaitFor([&] { return RealClock().NowUnix() > written + 1; }, seconds(5)));
  ASSERT_EQ(Agent({"sync", "--sync.stamp_lag_seconds=1"}, "incremental").exit_code, 0);
  ASSERT_TRUE(ServerEqualsErp());

  // Not while the server runs.
  const RunResult refused = Server({"store", "restore", backup});
  EXPECT_EQ(refused.exit_code, 1);
  EXPECT_THAT(refused.err, HasSubstr("holds the store in " + dir_.File("server") +
                                     ": stop it first"));
  server_->Signal(SIGTERM);
  ASSERT_EQ(server_->Wait(seconds(30)), 0);
  const RunResult restored = Server({"store", "restore", backup});
  ASSERT_EQ(restored.exit_code, 0) << restored.err;
  EXPECT_THAT(restored.out, HasSubstr("the store as it was is in " + dir_.File("server/backups/")));
  EXPECT_THAT(restored.out, HasSubstr("a deep sync is queued for 1 connection"));
  StartServer();
  // The restored store lacks the last changes; the agent's service takes
  // the queued deep sync and brings them back.
  EXPECT_FALSE(ServerEqualsErp());
  Subprocess agent(AgentArgs({"run", "--schedule.incremental_every_seconds=3600",
                              "--schedule.deep_at=never"}),
                   Out("agent"));
  EXPECT_TRUE(WaitFor([&] { return ServerEqualsErp(); }, seconds(60))) << agent.Stderr();
  EXPECT_THAT(agent.Stderr(), HasSubstr("sync requested by store restore"));
  agent.Signal(SIGTERM);
  EXPECT_EQ(agent.Wait(seconds(30)), 0) << agent.Stderr();
}

TEST_P(StoreBackupTest, MistakesAreRefusedSayingWhy) {
  SetUpCompany(10);
  const std::string backup = dir_.File("b.db");
  ASSERT_EQ(Server({"store", "backup", backup}).exit_code, 0);
  const RunResult again = Server({"store", "backup", backup});
  EXPECT_EQ(again.exit_code, 64);
  EXPECT_THAT(again.err, HasSubstr(backup + " already exists: name a new file"));
  const RunResult no_dir = Server({"store", "backup", dir_.File("nowhere/b.db")});
  EXPECT_EQ(no_dir.exit_code, 66);
  EXPECT_THAT(no_dir.err, HasSubstr("directory " + dir_.File("nowhere") + " does not exist"));
  const RunResult usage = Server({"store", "backup"});
  EXPECT_EQ(usage.exit_code, 64);

  server_->Signal(SIGTERM);
  ASSERT_EQ(server_->Wait(seconds(30)), 0);
  std::ofstream(dir_.File("notes.txt")) << "not a database\n";
  const RunResult not_a_store = Server({"store", "restore", dir_.File("notes.txt")});
  EXPECT_EQ(not_a_store.exit_code, 65);
  EXPECT_THAT(not_a_store.err, HasSubstr("is not an erpsync store backup"));
  const RunResult missing = Server({"store", "restore", dir_.File("none.db")});
  EXPECT_EQ(missing.exit_code, 66);
  EXPECT_THAT(missing.err, HasSubstr("backup " + dir_.File("none.db") + " does not exist"));
  ExecSql(backup, "PRAGMA user_version = 999");
  const RunResult newer = Server({"store", "restore", backup});
  EXPECT_EQ(newer.exit_code, 1);
  EXPECT_THAT(newer.err, HasSubstr("has schema version 999, newer than this erpsync-server's"));
  // Nothing was touched.
  EXPECT_FALSE(std::filesystem::exists(dir_.File("server/erpsync.db.restoring")));
  EXPECT_FALSE(std::filesystem::exists(dir_.File("server/backups")));

  const RunResult postgres =
      RunCommand({ERPSYNC_SERVER_BIN, "store", "backup", dir_.File("pg.db"),
                  "--server.data_dir=" + dir_.File("server"), "--store.kind=postgresql",
                  "--store.postgresql_dsn=host=127.0.0.1 dbname=erpsync"},
                 Out("pg"));
  EXPECT_EQ(postgres.exit_code, 64);
  EXPECT_THAT(postgres.err, HasSubstr("the store is on PostgreSQL: use pg_dump -Fc"));
}

TEST_P(StoreBackupTest, ASecondServerOnOneSqliteStoreIsRefused) {
  SetUpCompany(10);
  const RunResult second = Server({"serve", "--server.listen=127.0.0.1:0"});
  EXPECT_EQ(second.exit_code, 1);
  EXPECT_THAT(second.err, HasSubstr("holds the store in " + dir_.File("server") +
                                    ": one server per SQLite store"));
}

// Backups of a PostgreSQL store are PostgreSQL's business (pg_dump).
INSTANTIATE_TEST_SUITE_P(, StoreBackupTest, ::testing::Values(server::StoreKind::kSqlite),
                         StoreBackendParamName);

}  // namespace
}  // namespace erpsync::testing
