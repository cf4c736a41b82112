// The store of the real erpsync-server as server.conf configures it:
// `store migrate` on each backend (creating the store, then finding it up to
// date, refusing a newer one), and the [store] keys of PostgreSQL: a
// database that cannot be reached stops `serve` at start with libpq's
// message (69, never the password), and a password where others may read
// it is refused as a configuration error (64).
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <memory>
#include <optional>
#include <regex>
#include <string>
#include <vector>

#include "tests/support/status_matchers.h"
#include "tests/support/store_backend.h"
#include "tests/support/subprocess.h"
#include "tests/support/temp_dir.h"
#include "tests/support/test_postgres.h"

namespace erpsync::testing {
namespace {

using ::testing::AllOf;
using ::testing::HasSubstr;
using ::testing::MatchesRegex;
using ::testing::Not;

class StoreMigrateTest : public ::testing::TestWithParam<server::StoreKind> {
 protected:
  void SetUp() override {
    ASSERT_OK_AND_ASSIGN(backend_, TestStoreBackend::Create(GetParam()));
    WriteTextFile(config_,
                  "[server]\ndata_dir = " + dir_.File("server") + "\n" + backend_->ConfigSection());
  }

  RunResult Server(std::vector<std::string> args) {
    args.insert(args.begin(), ERPSYNC_SERVER_BIN);
    args.insert(args.end(), {"--config", config_});
    return RunCommand(std::move(args), dir_.File("server-" + std::to_string(++runs_)));
  }

  // "SQLite <file>" or "PostgreSQL 127.0.0.1:<port>/<database>".
  std::string StoreName() const {
    if (backend_->postgres() == nullptr) return "SQLite " + dir_.File("server") + "/erpsync.db";
    return "PostgreSQL 127.0.0.1:" + std::to_string(backend_->postgres()->port()) + "/" +
           backend_->postgres()->name();
  }

  TempDir dir_;
  std::string config_ = dir_.File("server.conf");
  std::unique_ptr<TestStoreBackend> backend_;
  int runs_ = 0;
};

TEST_P(StoreMigrateTest, CreatesTheStoreThenFindsItUpToDate) {
  const RunResult created = Server({"store", "migrate"});
  ASSERT_EQ(created.exit_code, 0) << created.err;
  const std::regex migrated("store (.*): schema version ([1-9][0-9]*) \\(was 0\\)\n");
  std::smatch match;
  ASSERT_TRUE(std::regex_match(created.out, match, migrated)) << created.out;
  EXPECT_EQ(match[1], StoreName());
  const std::string latest = match[2];

  const RunResult again = Server({"store", "migrate"});
  EXPECT_EQ(again.exit_code, 0) << again.err;
  EXPECT_EQ(again.out, "store " + StoreName() + ": schema version " + latest + ", up to date\n");

  // A store that a newer erpsync-server migrated is refused, unchanged.
  backend_->ExecSql(dir_.File("server/erpsync.db"),
                    GetParam() == server::StoreKind::kSqlite
                        ? "PRAGMA user_version = 999"
                        : "INSERT INTO erpsync_schema_migrations VALUES (999, 0)");
  const RunResult newer = Server({"store", "migrate"});
  EXPECT_EQ(newer.exit_code, 1);
  EXPECT_THAT(newer.err, AllOf(HasSubstr("schema version 999, newer than"),
                               HasSubstr("upgrade erpsync-server")));
  EXPECT_EQ(newer.out, "");
}

TEST_P(StoreMigrateTest, UsageErrorsExit64) {
  const RunResult extra = Server({"store", "migrate", "--company", "Acme"});
  EXPECT_EQ(extra.exit_code, 64);
  EXPECT_THAT(extra.err, HasSubstr("--company"));
  const RunResult help = Server({"store", "migrate", "--help"});
  EXPECT_EQ(help.exit_code, 0);
  EXPECT_THAT(help.out, HasSubstr("erpsync-server store migrate [--config FILE]"));
}

INSTANTIATE_BACKEND_TEST_SUITE_P(StoreMigrateTest);

// A server.conf on the PostgreSQL backend, whose [store] section each test
// writes.
class PostgresStoreConfigTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_OK_AND_ASSIGN(TestPostgresDatabase database, TestPostgresDatabase::Create());
    postgres_.emplace(std::move(database));
    port_ = std::to_string(postgres_->port());
  }

  // server.conf with `store` as its [store] section; returns its path.
  std::string Config(const std::string& store) {
    const std::string path = dir_.File("server-" + std::to_string(++runs_) + ".conf");
    WriteTextFile(path, "[server]\nlisten = 127.0.0.1:0\ndata_dir = " + dir_.File("server") +
                            "\n[mail]\ndigest_at = off\n[store]\nkind = postgresql\n" + store);
    return path;
  }

  RunResult Server(const std::string& config, std::vector<std::string> args) {
    args.insert(args.begin(), ERPSYNC_SERVER_BIN);
    args.insert(args.end(), {"--config", config});
    return RunCommand(std::move(args), dir_.File("run-" + std::to_string(++runs_)),
                      std::chrono::seconds(60));
  }

  // A password file with `mode`.
  std::string PasswordFile(const std::string& password, mode_t mode) {
    const std::string path = dir_.File("pg-password-" + std::to_string(++runs_));
    WriteTextFile(path, password + "\n");
    ::chmod(path.c_str(), mode);
    return path;
  }

  TempDir dir_;
  std::optional<TestPostgresDatabase> postgres_;
  std::string port_;
  int runs_ = 0;
};

TEST_F(PostgresStoreConfigTest, ADatabaseThatCannotBeReachedStopsTheServerAtStart) {
  // Trust authentication takes any password: a wrong database and a port
  // nobody listens on stand for the failures a wrong password shares.
  const std::string password = "password_file = " + PasswordFile("s3cret-pw", 0600) + "\n";
  struct Case {
    std::string dsn;
    std::string message;
  };
  for (const Case& failing : std::vector<Case>{
           {"host=127.0.0.1 port=" + port_ + " dbname=no_such_db user=postgres",
            "erpsync-server: connecting to PostgreSQL 127.0.0.1:" + port_ +
                "/no_such_db: connection to server at \"127.0.0.1\", port " + port_ +
                " failed: FATAL:  database \"no_such_db\" does not exist"},
           {"host=127.0.0.1 port=1 dbname=erpsync user=postgres",
            "erpsync-server: connecting to PostgreSQL 127.0.0.1:1/erpsync: connection to "
            "server at \"127.0.0.1\", port 1 failed: Connection refused"}}) {
    const std::string config =
        Config("postgresql_dsn = " + failing.dsn + "\npostgresql_" + password);
    for (const char* command : {"serve", "migrate"}) {
      const RunResult run = command == std::string("serve") ? Server(config, {"serve"})
                                                            : Server(config, {"store", "migrate"});
      EXPECT_EQ(run.exit_code, 69) << command << ": " << run.err;
      EXPECT_THAT(run.err, AllOf(HasSubstr(failing.message), Not(HasSubstr("s3cret")))) << command;
    }
  }
}

TEST_F(PostgresStoreConfigTest, StoreConfigurationErrorsExit64NamingTheKeyAndCreateNothing) {
  const std::string dsn = "postgresql_dsn = host=127.0.0.1 port=" + port_ +
                          " dbname=" + postgres_->name() + " user=postgres\n";
  const std::string readable = PasswordFile("s3cret-pw", 0644);
  const std::string empty = PasswordFile("", 0600);
  struct Case {
    std::string store;
    std::string message;
  };
  for (const Case& refused : std::vector<Case>{
           {dsn + "postgresql_password_file = " + readable + "\n",
            "store.postgresql_password_file: " + readable +
                " is readable by every user; make it private (chmod 600, or 640 with the "
                "service's group)"},
           {dsn + "postgresql_password_file = " + empty + "\n",
            empty + " is empty (the password is its first line)"},
           {dsn + "postgresql_password_file = " + dir_.File("missing") + "\n",
            "cannot read " + dir_.File("missing")},
           {"postgresql_dsn = host=127.0.0.1 port=" + port_ + " user=postgres password=s3cret\n",
            "store.postgresql_dsn: must not hold the password (server.conf is not a "
            "secret): use store.postgresql_password_file, PGPASSWORD or ~/.pgpass"},
           {"postgresql_dsn = postgresql://postgres:s3cret@127.0.0.1:" + port_ + "/erpsync\n",
            "must not hold the password"},
           {"postgresql_dsn = host=127.0.0.1 bogus=1\n",
            "store.postgresql_dsn: invalid connection option \"bogus\""},
           {"", "store.postgresql_dsn: must be set with store.kind = postgresql"},
           {dsn + "postgresql_max_connections = 0\n",
            "store.postgresql_max_connections: must be 1..1000"}}) {
    const RunResult run = Server(Config(refused.store), {"serve"});
    EXPECT_EQ(run.exit_code, 64) << refused.store << run.err;
    EXPECT_THAT(run.err, AllOf(HasSubstr(refused.message), Not(HasSubstr("s3cret"))))
        << refused.store;
  }
  const RunResult kind = Server(Config(dsn), {"store", "migrate", "--store.kind=mysql"});
  EXPECT_EQ(kind.exit_code, 64);
  EXPECT_THAT(kind.err, HasSubstr("--store.kind: 'mysql' is not sqlite or postgresql"));
  // Nothing was created: the database is still empty.
  const std::string good =
      Config(dsn + "postgresql_password_file = " + PasswordFile("s3cret-pw", 0600) + "\n");
  const RunResult migrated = Server(good, {"store", "migrate"});
  EXPECT_EQ(migrated.exit_code, 0) << migrated.err;
  EXPECT_THAT(migrated.out,
              MatchesRegex("store PostgreSQL .*: schema version [0-9]+ \\(was 0\\)\n"));
}

}  // namespace
}  // namespace erpsync::testing
