// PgDatabase and PostgresStore::Open against the tests' PostgreSQL cluster
// (tests/support/test_postgres.h), a fresh database per test: migrations
// (once, also when servers start together; a newer schema refused; nothing
// created when asked not to), connection errors as libpq says them without
// the password, the pool (waits when full, replaces a connection the server
// ended), and transactions (rolled back on error, retried when ABORTED).
#include "server/store/postgres/pg_database.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <latch>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "server/store/postgres/migrations.h"
#include "server/store/postgres/postgres_store.h"
#include "tests/support/status_matchers.h"
#include "tests/support/test_postgres.h"

namespace erpsync::server {
namespace {

using ::testing::AllOf;
using ::testing::Eq;
using ::testing::HasSubstr;
using ::testing::Not;

class PgDatabaseTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_OK_AND_ASSIGN(erpsync::testing::TestPostgresDatabase database,
                         erpsync::testing::TestPostgresDatabase::Create());
    postgres_.emplace(std::move(database));
    options_.dsn = postgres_->dsn();
    options_.clock = [] { return int64_t{1'700'000'000}; };
  }

  // A connection of the test's own to the database, beside the pool.
  std::unique_ptr<PgConnection> Connect() {
    Result<std::unique_ptr<PgConnection>> connection = PgConnection::Connect(postgres_->dsn());
    EXPECT_OK(connection);
    return connection.ok() ? std::move(*connection) : nullptr;
  }

  // The first column of the first row of `sql`, as text, on a connection
  // of the test's own.
  std::string Query(const std::string& sql) {
    std::unique_ptr<PgConnection> connection = Connect();
    if (connection == nullptr) return "";
    Result<PgResult> result = connection->Exec("querying", sql);
    EXPECT_OK(result) << sql;
    return result.ok() && result->rows() > 0 ? std::string(result->Text(0, 0)) : "";
  }

  // The migrations applied, as "version@applied_unix,...".
  std::string Migrations() {
    return Query(
        "SELECT string_agg(version || '@' || applied_unix, ',' ORDER BY version) "
        "FROM erpsync_schema_migrations");
  }

  // A table `t` for transaction tests, in a database with the schema.
  std::unique_ptr<PgDatabase> OpenWithTable(int max_connections = 4) {
    options_.max_connections = max_connections;
    Result<std::unique_ptr<PgDatabase>> database = PgDatabase::Open(options_, /*create=*/true);
    EXPECT_OK(database);
    if (!database.ok()) return nullptr;
    std::unique_ptr<PgConnection> connection = Connect();
    if (connection == nullptr) return nullptr;
    EXPECT_OK(connection->ExecScript("creating t",
                                     "CREATE TABLE t (id BIGINT PRIMARY KEY, v BIGINT NOT NULL); "
                                     "INSERT INTO t VALUES (1, 0), (2, 0)"));
    return std::move(*database);
  }

  std::optional<erpsync::testing::TestPostgresDatabase> postgres_;
  PostgresOptions options_;
};

std::string AllMigrations(int latest) {
  std::string text;
  for (int version = 1; version <= latest; ++version) {
    if (!text.empty()) text += ",";
    text += std::to_string(version) + "@1700000000";
  }
  return text;
}

TEST_F(PgDatabaseTest, AFreshDatabaseIsMigratedToTheLatestVersion) {
  ASSERT_GE(PgDatabase::LatestSchemaVersion(), 1);
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<PgDatabase> database,
                       PgDatabase::Open(options_, /*create=*/true));
  EXPECT_EQ(database->schema_version(), PgDatabase::LatestSchemaVersion());
  EXPECT_EQ(database->schema_version_before(), 0);
  EXPECT_EQ(database->description(),
            "127.0.0.1:" + std::to_string(postgres_->port()) + "/" + postgres_->name());
  EXPECT_EQ(Migrations(), AllMigrations(PgDatabase::LatestSchemaVersion()));
  EXPECT_EQ(Query("SELECT to_regclass('records') IS NOT NULL"), "t");
}

TEST_F(PgDatabaseTest, Version5KeepsDailyDigestOptInsAndTurnsTheOldDefaultIntoNoChoice) {
  const std::span<const std::string_view> all = pg::PostgresMigrations();
  ASSERT_GE(all.size(), 3u);
  {
    std::unique_ptr<PgConnection> connection = Connect();
    ASSERT_NE(connection, nullptr);
    for (const std::string_view migration : all.first(2)) {
      ASSERT_OK(connection->ExecScript("migrating", migration));
    }
    ASSERT_OK(connection->ExecScript(
        "filling",
        "CREATE TABLE erpsync_schema_migrations (version INTEGER PRIMARY KEY, "
        "applied_unix BIGINT NOT NULL);"
        "INSERT INTO erpsync_schema_migrations VALUES (1, 1), (2, 2);"
        "INSERT INTO companies (id, name, created_unix) VALUES (1, 'Acme', 0);"
        "INSERT INTO users (company_id, id, name, email, level, can_push, created_unix) "
        "VALUES (1, 1, 'ann', '', 2, true, 0), (1, 2, 'bob', '', 2, true, 0);"
        "INSERT INTO notification_preferences (company_id, user_id, on_send, on_reject, "
        "daily_digest) VALUES (1, 1, false, true, false), (1, 2, true, false, true);"));
  }
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<PgDatabase> database,
                       PgDatabase::Open(options_, /*create=*/false));
  EXPECT_EQ(database->schema_version_before(), 2);
  EXPECT_EQ(Query("SELECT string_agg(user_id || ' ' || on_send || ' ' || on_reject || ' ' || "
                  "COALESCE(daily_digest::text, 'default'), ',' ORDER BY user_id) "
                  "FROM notification_preferences"),
            "1 false true default,2 true false true");
}

TEST_F(PgDatabaseTest, ReopeningAppliesNothing) {
  ASSERT_OK(PgDatabase::Open(options_, /*create=*/true));
  options_.clock = [] { return int64_t{1'800'000'000}; };
  for (const bool create : {true, false}) {
    ASSERT_OK_AND_ASSIGN(std::unique_ptr<PgDatabase> database, PgDatabase::Open(options_, create));
    EXPECT_EQ(database->schema_version(), PgDatabase::LatestSchemaVersion());
    EXPECT_EQ(database->schema_version_before(), PgDatabase::LatestSchemaVersion());
  }
  // Still the first opening's rows, applied at its time.
  EXPECT_EQ(Migrations(), AllMigrations(PgDatabase::LatestSchemaVersion()));
}

TEST_F(PgDatabaseTest, ServersOpeningAFreshDatabaseTogetherMigrateItOnce) {
  constexpr int kServers = 6;
  std::latch start(kServers);
  std::vector<Status> opened(kServers, Status::Ok());
  std::vector<int> versions(kServers, 0);
  std::vector<int> versions_before(kServers, -1);
  std::vector<std::thread> servers;
  for (int i = 0; i < kServers; ++i) {
    servers.emplace_back([&, i] {
      start.arrive_and_wait();
      Result<std::unique_ptr<PostgresStore>> store = PostgresStore::Open(options_, true);
      opened[i] = store.status();
      if (!store.ok()) return;
      versions[i] = (*store)->schema_version();
      versions_before[i] = (*store)->schema_version_before();
    });
  }
  for (std::thread& server : servers) server.join();
  for (int i = 0; i < kServers; ++i) {
    EXPECT_OK(opened[i]) << "server " << i;
    EXPECT_EQ(versions[i], PgDatabase::LatestSchemaVersion()) << "server " << i;
  }
  // One server migrated; the others found its work done.
  EXPECT_EQ(std::count(versions_before.begin(), versions_before.end(), 0), 1);
  EXPECT_EQ(
      std::count(versions_before.begin(), versions_before.end(), PgDatabase::LatestSchemaVersion()),
      kServers - 1);
  EXPECT_EQ(Migrations(), AllMigrations(PgDatabase::LatestSchemaVersion()));
}

// A database of version 2 (before the web tool's sessions and the approval
// queues' indexes, approval_items_by_company rebuilt) lists and counts its
// items as before once upgraded, and takes sessions.
TEST_F(PgDatabaseTest, AVersion2DatabaseKeepsItsQueuesAndTakesSessionsAfterTheUpgrade) {
  {
    std::unique_ptr<PgConnection> connection = Connect();
    ASSERT_NE(connection, nullptr);
    ASSERT_OK(connection->ExecScript(
        "creating version 2",
        "CREATE TABLE erpsync_schema_migrations (version INTEGER PRIMARY KEY, "
        "applied_unix BIGINT NOT NULL); INSERT INTO erpsync_schema_migrations VALUES (1, 0), "
        "(2, 0);"));
    for (int version = 0; version < 2; ++version) {
      ASSERT_OK(connection->ExecScript("migrating", pg::PostgresMigrations()[version]));
    }
    // Item 1 SENT, 2 SYNCED, 3 archived (types 6 COMMITMENT, 1 JOB).
    ASSERT_OK(connection->ExecScript(
        "filling",
        "INSERT INTO companies (id, name, created_unix) VALUES (1, 'Acme', 0);"
        "INSERT INTO connections (company_id, id, name, created_unix) VALUES (1, 1, 'sage300', 0);"
        "INSERT INTO users (company_id, id, name, level, created_unix) "
        "VALUES (1, 1, 'alice', 2, 0);"
        "INSERT INTO approval_items (company_id, id, connection_id, type, state, origin, "
        "archived, version, title, content, created_by, created_unix, updated_unix) VALUES "
        "(1, 1, 1, 6, 2, 1, FALSE, 1, 'a', '', 1, 0, 0), "
        "(1, 2, 1, 6, 7, 1, FALSE, 1, 'b', '', 1, 0, 0), "
        "(1, 3, 1, 1, 1, 1, TRUE, 1, 'c', '', 1, 0, 0);"));
  }
  ASSERT_OK_AND_ASSIGN(const std::unique_ptr<PostgresStore> store,
                       PostgresStore::Open(options_, /*create=*/false));
  EXPECT_EQ(store->schema_version_before(), 2);
  EXPECT_EQ(store->schema_version(), PgDatabase::LatestSchemaVersion());
  ItemFilter ready;
  ready.queue = v1::READY_TO_EXPORT;
  ASSERT_OK_AND_ASSIGN(const ItemPage page, store->approvals().ListItems(1, ready));
  ASSERT_EQ(page.items.size(), 1u);
  EXPECT_EQ(page.items[0].id, 1);
  ASSERT_OK_AND_ASSIGN(const auto counts,
                       store->approvals().CountQueues(1, v1::ITEM_TYPE_UNSPECIFIED));
  EXPECT_EQ(counts, (std::map<v1::Queue, int64_t>{{v1::QUEUE_UNSPECIFIED, 2},
                                                  {v1::READY_TO_EXPORT, 1},
                                                  {v1::READY_TO_UPDATE, 0},
                                                  {v1::FAILED_TO_EXPORT_QUEUE, 0},
                                                  {v1::SYNCED_QUEUE, 1},
                                                  {v1::ARCHIVED, 1}}));
  const std::string session = std::string(64, 'a');
  ASSERT_OK(store->sessions().CreateSession(session, 1));
  EXPECT_EQ(store->sessions().TouchSession(session, 60)->user.user_name, "alice");
}

TEST_F(PgDatabaseTest, ASchemaNewerThanThisBuildIsRefusedNamingBothVersions) {
  ASSERT_OK(PgDatabase::Open(options_, /*create=*/true));
  const int newer = PgDatabase::LatestSchemaVersion() + 1;
  ASSERT_OK(Connect()->Exec("pretending a newer server migrated",
                            "INSERT INTO erpsync_schema_migrations VALUES ($1, 0)", {newer}));
  for (const bool create : {true, false}) {
    EXPECT_THAT(PgDatabase::Open(options_, create),
                StatusIs(StatusCode::kFailedPrecondition,
                         AllOf(HasSubstr("PostgreSQL 127.0.0.1:"),
                               HasSubstr("has erpsync schema version " + std::to_string(newer) +
                                         ", newer than this erpsync-server's " +
                                         std::to_string(newer - 1) + "; upgrade erpsync-server"))));
  }
}

TEST_F(PgDatabaseTest, OpeningWithoutCreateFindsNoStoreAndCreatesNothing) {
  EXPECT_THAT(PgDatabase::Open(options_, /*create=*/false),
              StatusIs(StatusCode::kNotFound,
                       AllOf(HasSubstr("PostgreSQL 127.0.0.1:" + std::to_string(postgres_->port()) +
                                       "/" + postgres_->name() + " has no erpsync store"),
                             HasSubstr("erpsync-server store migrate"))));
  EXPECT_EQ(Query("SELECT count(*) FROM pg_class WHERE relnamespace = 'public'::regnamespace"),
            "0");
}

TEST_F(PgDatabaseTest, ConnectionFailuresAreUnavailableWithLibpqsMessageAndNoPassword) {
  options_.password = "s3cret-password";
  const std::string port = std::to_string(postgres_->port());
  struct Case {
    std::string dsn;
    std::string message;
  };
  for (const Case& failing : std::vector<Case>{
           {"host=127.0.0.1 port=" + port + " dbname=no_such_db user=postgres",
            "connecting to PostgreSQL 127.0.0.1:" + port +
                "/no_such_db: connection to server at \"127.0.0.1\", port " + port +
                " failed: FATAL:  database \"no_such_db\" does not exist"},
           {"host=127.0.0.1 port=" + port + " dbname=" + postgres_->name() + " user=nobody",
            "FATAL:  role \"nobody\" does not exist"},
           {"host=127.0.0.1 port=1 dbname=erpsync user=postgres connect_timeout=5",
            "connecting to PostgreSQL 127.0.0.1:1/erpsync: connection to server at "
            "\"127.0.0.1\", port 1 failed: Connection refused"}}) {
    options_.dsn = failing.dsn;
    EXPECT_THAT(PostgresStore::Open(options_, /*create=*/true),
                StatusIs(StatusCode::kUnavailable,
                         AllOf(HasSubstr(failing.message), Not(HasSubstr("s3cret")))))
        << failing.dsn;
  }
}

TEST_F(PgDatabaseTest, AnEmptyDsnOrAnEmptyPoolIsAnInvalidArgument) {
  PostgresOptions options;
  EXPECT_THAT(PgDatabase::Open(options, /*create=*/true),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("store.postgresql_dsn is empty")));
  options_.max_connections = 0;
  EXPECT_THAT(PgDatabase::Open(options_, /*create=*/true),
              StatusIs(StatusCode::kInvalidArgument,
                       Eq("store.postgresql_max_connections must be at least 1")));
}

TEST_F(PgDatabaseTest, CallsBeyondThePoolWaitForAFreeConnection) {
  constexpr int kPool = 2;
  constexpr int kCallers = 8;
  std::unique_ptr<PgDatabase> database = OpenWithTable(kPool);
  ASSERT_NE(database, nullptr);
  std::atomic<int> running{0};
  std::atomic<int> most_running{0};
  std::vector<Status> results(kCallers, Status::Ok());
  std::vector<std::thread> callers;
  for (int i = 0; i < kCallers; ++i) {
    callers.emplace_back([&, i] {
      results[i] =
          database
              ->Write("adding to t",
                      [&](PgConnection& connection) -> Result<bool> {
                        const int now = ++running;
                        int most = most_running.load();
                        while (now > most && !most_running.compare_exchange_weak(most, now)) {
                        }
                        Result<PgResult> slept =
                            connection.Exec("sleeping", "SELECT pg_sleep(0.05)");
                        Result<PgResult> added =
                            connection.Exec("adding", "UPDATE t SET v = v + 1 WHERE id = 1");
                        --running;
                        ERPSYNC_RETURN_IF_ERROR(slept.status());
                        ERPSYNC_RETURN_IF_ERROR(added.status());
                        return true;
                      })
              .status();
    });
  }
  for (std::thread& caller : callers) caller.join();
  for (int i = 0; i < kCallers; ++i) EXPECT_OK(results[i]) << "caller " << i;
  EXPECT_LE(most_running.load(), kPool);
  EXPECT_EQ(Query("SELECT v FROM t WHERE id = 1"), std::to_string(kCallers));
  EXPECT_LE(std::stoi(Query("SELECT count(*) FROM pg_stat_activity WHERE datname = "
                            "current_database() AND pid <> pg_backend_pid()")),
            kPool);
}

TEST_F(PgDatabaseTest, AConnectionTheServerEndedIsReplacedOnTheNextCall) {
  std::unique_ptr<PgDatabase> database = OpenWithTable(/*max_connections=*/1);
  ASSERT_NE(database, nullptr);
  auto backend = [&]() -> Result<int64_t> {
    return database->Read("finding the backend", [](PgConnection& connection) -> Result<int64_t> {
      ERPSYNC_ASSIGN_OR_RETURN(const PgResult pid,
                               connection.Exec("finding the backend", "SELECT pg_backend_pid()"));
      return pid.Int(0, 0);
    });
  };
  ASSERT_OK_AND_ASSIGN(const int64_t first, backend());
  std::unique_ptr<PgConnection> killer = Connect();
  ASSERT_OK_AND_ASSIGN(const PgResult killed,
                       killer->Exec("ending the pooled connection",
                                    "SELECT pg_terminate_backend($1, 10000)", {first}));
  ASSERT_TRUE(killed.Bool(0, 0));
  ASSERT_OK_AND_ASSIGN(const int64_t second, backend());
  EXPECT_NE(second, first);
  EXPECT_OK(database->Write("updating t", [](PgConnection& connection) -> Result<bool> {
    ERPSYNC_RETURN_IF_ERROR(
        connection.Exec("updating t", "UPDATE t SET v = 5 WHERE id = 1").status());
    return true;
  }));
  EXPECT_EQ(Query("SELECT v FROM t WHERE id = 1"), "5");
}

TEST_F(PgDatabaseTest, AWriteThatFailsIsRolledBackAndItsErrorReturned) {
  std::unique_ptr<PgDatabase> database = OpenWithTable();
  ASSERT_NE(database, nullptr);
  EXPECT_THAT(database->Write("updating t",
                              [](PgConnection& connection) -> Result<bool> {
                                ERPSYNC_RETURN_IF_ERROR(
                                    connection.Exec("updating", "UPDATE t SET v = 7").status());
                                return InvalidArgumentError("row 2 says no");
                              }),
              StatusIs(StatusCode::kInvalidArgument, Eq("row 2 says no")));
  EXPECT_EQ(Query("SELECT sum(v) FROM t"), "0");
  // A statement that fails aborts the transaction: nothing of it stays.
  EXPECT_THAT(
      database->Write("adding to t",
                      [](PgConnection& connection) -> Result<bool> {
                        ERPSYNC_RETURN_IF_ERROR(
                            connection.Exec("adding 3", "INSERT INTO t VALUES (3, 1)").status());
                        ERPSYNC_RETURN_IF_ERROR(
                            connection.Exec("adding 1", "INSERT INTO t VALUES (1, 1)").status());
                        return true;
                      }),
      StatusIs(StatusCode::kAlreadyExists, HasSubstr("adding 1 (PostgreSQL 127.0.0.1:")));
  EXPECT_EQ(Query("SELECT count(*) FROM t"), "2");
  // The pool's connection is usable again (not left in the failed
  // transaction).
  ASSERT_OK_AND_ASSIGN(const int64_t sum,
                       database->Read("summing t", [](PgConnection& connection) -> Result<int64_t> {
                         ERPSYNC_ASSIGN_OR_RETURN(
                             const PgResult sum,
                             connection.Exec("summing", "SELECT sum(v) FROM t"));
                         return sum.Int(0, 0);
                       }));
  EXPECT_EQ(sum, 0);
  // Read is read-only.
  EXPECT_THAT(database->Read("reading t",
                             [](PgConnection& connection) -> Result<bool> {
                               ERPSYNC_RETURN_IF_ERROR(
                                   connection.Exec("updating", "UPDATE t SET v = 1").status());
                               return true;
                             }),
              StatusIs(StatusCode::kInternal, HasSubstr("read-only transaction")));
}

TEST_F(PgDatabaseTest, AbortedWorkIsRunAgainAFewTimes) {
  std::unique_ptr<PgDatabase> database = OpenWithTable();
  ASSERT_NE(database, nullptr);
  int runs = 0;
  ASSERT_OK_AND_ASSIGN(
      const int64_t value,
      database->Write("updating t", [&](PgConnection& connection) -> Result<int64_t> {
        ++runs;
        ERPSYNC_RETURN_IF_ERROR(
            connection.Exec("updating", "UPDATE t SET v = v + 1 WHERE id = 1").status());
        if (runs == 1) return AbortedError("could not serialize access");
        return int64_t{42};
      }));
  EXPECT_EQ(value, 42);
  EXPECT_EQ(runs, 2);
  // The aborted attempt was rolled back.
  EXPECT_EQ(Query("SELECT v FROM t WHERE id = 1"), "1");

  runs = 0;
  EXPECT_THAT(database->Write("updating t",
                              [&](PgConnection&) -> Result<bool> {
                                ++runs;
                                return AbortedError("could not serialize access");
                              }),
              StatusIs(StatusCode::kAborted, Eq("could not serialize access")));
  EXPECT_EQ(runs, 5);
}

TEST_F(PgDatabaseTest, ADeadlockIsRetriedAndBothWritesCommit) {
  std::unique_ptr<PgDatabase> database = OpenWithTable();
  ASSERT_NE(database, nullptr);
  // Each writer locks one row, waits until the other has locked the other
  // row, then wants it: PostgreSQL aborts one (40P01), which runs again.
  std::latch both_locked(2);
  std::atomic<int> runs{0};
  auto writer = [&](int first, int second) {
    bool waited = false;
    return database
        ->Write(
            "crossing updates",
            [&](PgConnection& connection) -> Result<bool> {
              ++runs;
              ERPSYNC_RETURN_IF_ERROR(connection
                                          .Exec("locking the first row",
                                                "UPDATE t SET v = v + 1 WHERE id = $1", {first})
                                          .status());
              if (!waited) {
                waited = true;
                both_locked.arrive_and_wait();
              }
              ERPSYNC_RETURN_IF_ERROR(connection
                                          .Exec("locking the second row",
                                                "UPDATE t SET v = v + 1 WHERE id = $1", {second})
                                          .status());
              return true;
            })
        .status();
  };
  Status one = Status::Ok();
  Status two = Status::Ok();
  std::thread a([&] { one = writer(1, 2); });
  std::thread b([&] { two = writer(2, 1); });
  a.join();
  b.join();
  EXPECT_OK(one);
  EXPECT_OK(two);
  EXPECT_EQ(runs.load(), 3);
  EXPECT_EQ(Query("SELECT string_agg(v::text, ',' ORDER BY id) FROM t"), "2,2");
}

TEST_F(PgDatabaseTest, CompanyOfFindsTheCompanyOfAnIdAndNamesAMissingOne) {
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<PgDatabase> database,
                       PgDatabase::Open(options_, /*create=*/true));
  ASSERT_OK(Connect()->ExecScript(
      "adding a company",
      "INSERT INTO companies (id, name, created_unix) VALUES (7, 'Acme', 0); "
      "INSERT INTO connections (company_id, id, name, created_unix) VALUES (7, 70, 'sage300', 0)"));
  ASSERT_OK_AND_ASSIGN(
      const int64_t company,
      database->Read("finding companies", [&](PgConnection& connection) -> Result<int64_t> {
        return database->CompanyOf(connection, PgCompanyTable::kConnections, 70);
      }));
  EXPECT_EQ(company, 7);
  EXPECT_THAT(database->Read("finding companies",
                             [&](PgConnection& connection) -> Result<int64_t> {
                               return database->CompanyOf(connection, PgCompanyTable::kEntities,
                                                          70);
                             }),
              StatusIs(StatusCode::kNotFound, Eq("entity 70 does not exist")));
}

}  // namespace
}  // namespace erpsync::server
