#include "server/store/sqlite/database.h"

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>
#include <SQLiteCpp/Transaction.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <filesystem>
#include <fstream>
#include <future>
#include <map>
#include <memory>
#include <span>
#include <stdexcept>
#include <string_view>
#include <thread>
#include <tuple>
#include <vector>

#include "server/store/sqlite/directory_store.h"
#include "server/store/sqlite/migrations.h"
#include "server/store/sqlite/sqlite_store.h"
#include "server/store/sqlite/sqlite_util.h"
#include "tests/server/store/store_test_util.h"
#include "tests/support/status_matchers.h"
#include "tests/support/temp_dir.h"

namespace erpsync::server {
namespace {

using ::testing::Eq;
using ::testing::HasSubstr;
using ::testing::StartsWith;

int UserVersionOf(const std::string& path) {
  SQLite::Database db(path, SQLite::OPEN_READONLY);
  return db.execAndGet("PRAGMA user_version").getInt();
}

int64_t CountCompanies(Database& database) {
  int64_t count = -1;
  EXPECT_OK(database.WithReader("counting", [&](SQLite::Database& db) {
    count = db.execAndGet("SELECT count(*) FROM companies").getInt64();
    return Status::Ok();
  }));
  return count;
}

TEST(DatabaseOpenTest, CreatesFileInWalModeAtLatestVersion) {
  erpsync::testing::TempDir dir;
  Result<std::unique_ptr<Database>> database = Database::Open(dir.File("new.db"));
  ASSERT_OK(database);
  EXPECT_GE(Database::LatestSchemaVersion(), 1);
  EXPECT_EQ((*database)->schema_version(), Database::LatestSchemaVersion());
  EXPECT_EQ((*database)->schema_version_before(), 0);
  EXPECT_EQ((*database)->path(), dir.File("new.db"));
  std::string journal_mode;
  int foreign_keys = -1;
  int synchronous = -1;
  int busy_timeout = -1;
  ASSERT_OK((*database)->WithWriter("reading pragmas", [&](SQLite::Database& db) {
    journal_mode = db.execAndGet("PRAGMA journal_mode").getString();
    foreign_keys = db.execAndGet("PRAGMA foreign_keys").getInt();
    synchronous = db.execAndGet("PRAGMA synchronous").getInt();
    busy_timeout = db.execAndGet("PRAGMA busy_timeout").getInt();
    return Status::Ok();
  }));
  EXPECT_EQ(journal_mode, "wal");
  EXPECT_EQ(foreign_keys, 1);
  EXPECT_EQ(synchronous, 1);  // NORMAL
  EXPECT_EQ(busy_timeout, 5000);
  database->reset();
  EXPECT_EQ(UserVersionOf(dir.File("new.db")), Database::LatestSchemaVersion());
}

TEST(DatabaseOpenTest, AppliesSynchronousFull) {
  erpsync::testing::TempDir dir;
  DatabaseOptions options;
  options.synchronous = "full";
  options.busy_timeout_ms = 250;
  Result<std::unique_ptr<Database>> database = Database::Open(dir.File("full.db"), options);
  ASSERT_OK(database);
  int synchronous = -1;
  int busy_timeout = -1;
  ASSERT_OK((*database)->WithWriter("reading pragmas", [&](SQLite::Database& db) {
    synchronous = db.execAndGet("PRAGMA synchronous").getInt();
    busy_timeout = db.execAndGet("PRAGMA busy_timeout").getInt();
    return Status::Ok();
  }));
  EXPECT_EQ(synchronous, 2);  // FULL
  EXPECT_EQ(busy_timeout, 250);
}

TEST(DatabaseOpenTest, ReopenKeepsDataAndVersion) {
  erpsync::testing::TempDir dir;
  {
    Result<std::unique_ptr<Database>> database = Database::Open(dir.File("server.db"));
    ASSERT_OK(database);
    SqliteDirectoryStore directory(database->get());
    ASSERT_OK(directory.AddCompany("Acme Builders"));
  }
  Result<std::unique_ptr<Database>> database = Database::Open(dir.File("server.db"));
  ASSERT_OK(database);
  EXPECT_EQ((*database)->schema_version(), Database::LatestSchemaVersion());
  EXPECT_EQ((*database)->schema_version_before(), Database::LatestSchemaVersion());
  SqliteDirectoryStore directory(database->get());
  EXPECT_OK(directory.FindCompany("Acme Builders"));
}

TEST(DatabaseOpenTest, AnOlderFileIsMigratedAndSaysFromWhichVersion) {
  erpsync::testing::TempDir dir;
  const std::string path = dir.File("old.db");
  const int older = Database::LatestSchemaVersion() - 1;
  {
    SQLite::Database db(path, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
    ASSERT_OK(store_internal::ApplyMigrations(db, ServerMigrations().first(older), path));
  }
  ASSERT_EQ(UserVersionOf(path), older);
  DatabaseOptions options;
  options.clock = [] { return int64_t{1796648400}; };  // 2026-12-07 13:00:00 UTC
  ASSERT_OK_AND_ASSIGN(const std::unique_ptr<Database> database, Database::Open(path, options));
  EXPECT_EQ(database->schema_version_before(), older);
  EXPECT_EQ(database->schema_version(), Database::LatestSchemaVersion());
  // The file as it was is kept, before the upgrade, private.
  const std::string backup = dir.File("backups/old-before-v" +
                                      std::to_string(Database::LatestSchemaVersion()) +
                                      "-20261207T130000Z.db");
  ASSERT_TRUE(std::filesystem::exists(backup));
  EXPECT_EQ(UserVersionOf(backup), older);
  EXPECT_EQ(std::filesystem::status(backup).permissions() & std::filesystem::perms::all,
            std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
}

TEST(DatabaseOpenTest, AStoreThatCannotBeBackedUpIsNotUpgraded) {
  erpsync::testing::TempDir dir;
  const std::string path = dir.File("old.db");
  const int older = Database::LatestSchemaVersion() - 1;
  {
    SQLite::Database db(path, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
    ASSERT_OK(store_internal::ApplyMigrations(db, ServerMigrations().first(older), path));
  }
  // Where the backups go is taken by a file.
  std::ofstream(dir.File("backups")) << "in the way\n";
  EXPECT_THAT(Database::Open(path).status(),
              StatusIs(StatusCode::kFailedPrecondition,
                       HasSubstr("not upgrading " + path + " from schema version " +
                                 std::to_string(older) + " to " +
                                 std::to_string(Database::LatestSchemaVersion()) +
                                 " without a backup first")));
  EXPECT_EQ(UserVersionOf(path), older);
}

TEST(DatabaseOpenTest, RefusesFileWithNewerSchemaVersion) {
  erpsync::testing::TempDir dir;
  const std::string path = dir.File("future.db");
  const int future_version = Database::LatestSchemaVersion() + 5;
  {
    SQLite::Database db(path, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
    db.exec("PRAGMA user_version = " + std::to_string(future_version));
  }
  Result<std::unique_ptr<Database>> database = Database::Open(path);
  ASSERT_THAT(database, StatusIs(StatusCode::kFailedPrecondition,
                                 Eq("database " + path + " has schema version " +
                                    std::to_string(future_version) + ", newer than version " +
                                    std::to_string(Database::LatestSchemaVersion()) +
                                    " that this build knows; upgrade erpsync-server")));
  EXPECT_EQ(UserVersionOf(path), future_version);
  SQLite::Database db(path, SQLite::OPEN_READONLY);
  EXPECT_EQ(db.execAndGet("PRAGMA journal_mode").getString(), "delete");
}

TEST(DatabaseOpenTest, NewFilesUseSixteenKibPages) {
  erpsync::testing::TempDir dir;
  ASSERT_OK(Database::Open(dir.File("pages.db")));
  SQLite::Database db(dir.File("pages.db"), SQLite::OPEN_READONLY);
  EXPECT_EQ(db.execAndGet("PRAGMA page_size").getInt(), 16384);
}

TEST(DatabaseOpenTest, RejectsUnknownSynchronousMode) {
  erpsync::testing::TempDir dir;
  DatabaseOptions options;
  options.synchronous = "off";
  Result<std::unique_ptr<Database>> database = Database::Open(dir.File("x.db"), options);
  ASSERT_THAT(
      database,
      StatusIs(StatusCode::kInvalidArgument,
               Eq("database option synchronous must be \"normal\" or \"full\", not \"off\"")));
}

TEST(DatabaseOpenTest, RejectsNegativeBusyTimeout) {
  erpsync::testing::TempDir dir;
  DatabaseOptions options;
  options.busy_timeout_ms = -1;
  Result<std::unique_ptr<Database>> database = Database::Open(dir.File("x.db"), options);
  ASSERT_THAT(database,
              StatusIs(StatusCode::kInvalidArgument,
                       Eq("database option busy_timeout_ms must not be negative, not -1")));
}

TEST(DatabaseOpenTest, RejectsCheckpointPagesOutOfRange) {
  erpsync::testing::TempDir dir;
  DatabaseOptions options;
  options.wal_checkpoint_pages = 0;
  Result<std::unique_ptr<Database>> database = Database::Open(dir.File("x.db"), options);
  ASSERT_THAT(database,
              StatusIs(StatusCode::kInvalidArgument,
                       Eq("database option wal_checkpoint_pages must be 1..1048576, not 0")));
}

TEST(DatabaseOpenTest, RejectsInMemoryDatabase) {
  Result<std::unique_ptr<Database>> database = Database::Open(":memory:");
  ASSERT_THAT(database, StatusIs(StatusCode::kInvalidArgument,
                                 Eq("database path must name a file, not \":memory:\"")));
}

TEST(DatabaseOpenTest, ReportsFileThatIsNotADatabase) {
  erpsync::testing::TempDir dir;
  const std::string path = dir.File("garbage.db");
  erpsync::testing::WriteTextFile(path, std::string(4096, 'x'));
  Result<std::unique_ptr<Database>> database = Database::Open(path);
  ASSERT_THAT(database, StatusIs(StatusCode::kInternal,
                                 Eq("opening database " + path + ": file is not a database")));
}

TEST(DatabaseOpenTest, ReportsMissingDirectory) {
  erpsync::testing::TempDir dir;
  const std::string path = dir.File("missing/server.db");
  Result<std::unique_ptr<Database>> database = Database::Open(path);
  ASSERT_THAT(database, StatusIs(StatusCode::kInternal, Eq("opening database " + path +
                                                           ": unable to open database file")));
}

TEST(MigrationTest, AppliesEachMigrationOnceInOrder) {
  erpsync::testing::TempDir dir;
  SQLite::Database db(dir.File("m.db"), SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
  const std::array<std::string_view, 2> migrations = {
      "CREATE TABLE a (x INTEGER);",
      "CREATE TABLE b (y INTEGER); INSERT INTO a VALUES (1);",
  };
  ASSERT_OK(store_internal::ApplyMigrations(db, migrations, "m.db"));
  EXPECT_EQ(store_internal::ReadUserVersion(db), 2);
  // Reapplying is a no-op: the second script would otherwise insert again.
  ASSERT_OK(store_internal::ApplyMigrations(db, migrations, "m.db"));
  EXPECT_EQ(db.execAndGet("SELECT count(*) FROM a").getInt(), 1);
  EXPECT_TRUE(db.tableExists("b"));
}

TEST(MigrationTest, FailedMigrationRollsBackAndIsNamed) {
  erpsync::testing::TempDir dir;
  SQLite::Database db(dir.File("m.db"), SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
  const std::array<std::string_view, 2> migrations = {
      "CREATE TABLE a (x INTEGER);",
      "CREATE TABLE b (y INTEGER); INSERT INTO nowhere VALUES (1);",
  };
  const Status status = store_internal::ApplyMigrations(db, migrations, "m.db");
  EXPECT_THAT(
      status,
      StatusIs(StatusCode::kInternal,
               Eq("migrating database m.db from schema version 1 to 2: no such table: nowhere")));
  EXPECT_EQ(store_internal::ReadUserVersion(db), 1);
  EXPECT_TRUE(db.tableExists("a"));
  EXPECT_FALSE(db.tableExists("b"));
}

// A store file of the server's migrations taken to an older version, with
// rows written as that version had them, then migrated to the latest.
class ServerMigrationTest : public ::testing::Test {
 protected:
  // Applies the first `version` migrations.
  void MigrateTo(size_t version) {
    const std::span<const std::string_view> all = ServerMigrations();
    ASSERT_GT(all.size(), version);
    ASSERT_OK(store_internal::ApplyMigrations(db_, all.first(version), "m.db"));
  }
  void MigrateAll() { ASSERT_OK(store_internal::ApplyMigrations(db_, ServerMigrations(), "m.db")); }

  erpsync::testing::TempDir dir_;
  SQLite::Database db_{dir_.File("m.db"), SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE};
};

TEST_F(ServerMigrationTest, Version4StoresCanonicalIntegerKeysAsIntegers) {
  ASSERT_NO_FATAL_FAILURE(MigrateTo(3));
  SQLite::Database& db = db_;
  for (const char* key : {"12", "012", "-5", "abc", "1e3", "1000000000000000000"}) {
    SQLite::Statement insert(db, "INSERT INTO records VALUES (1, ?1, 1, 2, 3, 0, 4, x'00')");
    insert.bind(1, key);
    insert.exec();
  }
  ASSERT_NO_FATAL_FAILURE(MigrateAll());
  std::vector<std::string> rows;
  SQLite::Statement query(db, "SELECT typeof(key) || ' ' || key FROM records ORDER BY key");
  while (query.executeStep()) rows.push_back(query.getColumn(0).getString());
  EXPECT_EQ(rows, (std::vector<std::string>{"integer -5", "integer 12", "text 012",
                                            "text 1000000000000000000", "text 1e3", "text abc"}));
  EXPECT_EQ(db.execAndGet("SELECT hash + generation FROM records WHERE key = 12").getInt(), 5)
      << "the other columns come along";
}

TEST_F(ServerMigrationTest, Version5RecordsTheDeliveredVersionOfExportsAwaitingTheirResult) {
  ASSERT_NO_FATAL_FAILURE(MigrateTo(4));
  SQLite::Database& db = db_;
  db.exec(
      "INSERT INTO companies (id, name, created_unix) VALUES (1, 'Acme', 0);"
      "INSERT INTO connections (id, company_id, name, created_unix) VALUES (1, 1, 'sage300', 0);"
      "INSERT INTO users (id, company_id, name, email, level, can_push, token_hash, "
      "created_unix) VALUES (1, 1, 'alice', '', 2, 0, 'h', 0);");
  // state 5 queued, 6 delivered (at version 3, now 4), 7 synced.
  for (const auto& [id, state, version] :
       std::vector<std::tuple<int, int, int>>{{1, 5, 3}, {2, 6, 4}, {3, 7, 5}}) {
    SQLite::Statement insert(db,
                             "INSERT INTO approval_items (id, company_id, connection_id, type, "
                             "state, origin, version, title, content, created_by, created_unix, "
                             "updated_unix) VALUES (?1, 1, 1, 6, ?2, 1, ?3, 't', x'', 1, 0, 0)");
    insert.bind(1, id);
    insert.bind(2, state);
    insert.bind(3, version);
    insert.exec();
  }
  ASSERT_NO_FATAL_FAILURE(MigrateAll());
  std::vector<int> delivered;
  SQLite::Statement query(db, "SELECT delivered_version FROM approval_items ORDER BY id");
  while (query.executeStep()) delivered.push_back(query.getColumn(0).getInt());
  EXPECT_EQ(delivered, (std::vector<int>{0, 3, 0}));
}

// A store of version 8 (before the web tool's sessions and the approval
// queues' indexes) lists and counts its items as before once upgraded, and
// takes sessions.
TEST(MigrationTest, AVersion8StoreKeepsItsQueuesAndTakesSessionsAfterTheUpgrade) {
  erpsync::testing::TempDir dir;
  const std::string path = dir.File("server.db");
  {
    SQLite::Database db(path, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
    ASSERT_OK(store_internal::ApplyMigrations(db, ServerMigrations().first(8), path));
    // Item 1 SENT, 2 SYNCED, 3 archived (types 6 COMMITMENT, 1 JOB).
    db.exec(
        "INSERT INTO companies (id, name, created_unix) VALUES (1, 'Acme', 0);"
        "INSERT INTO connections (id, company_id, name, created_unix) VALUES (1, 1, 'sage300', 0);"
        "INSERT INTO users (id, company_id, name, email, level, can_push, token_hash, "
        "created_unix) VALUES (1, 1, 'alice', '', 2, 0, 'h', 0);"
        "INSERT INTO approval_items (id, company_id, connection_id, type, state, origin, "
        "archived, version, title, content, created_by, created_unix, updated_unix) VALUES "
        "(1, 1, 1, 6, 2, 1, 0, 1, 'a', x'', 1, 0, 0), (2, 1, 1, 6, 7, 1, 0, 1, 'b', x'', 1, 0, 0), "
        "(3, 1, 1, 1, 1, 1, 1, 1, 'c', x'', 1, 0, 0);");
  }
  ASSERT_OK_AND_ASSIGN(const std::unique_ptr<SqliteStore> store, SqliteStore::Open(path));
  EXPECT_EQ(store->schema_version_before(), 8);
  EXPECT_EQ(store->schema_version(), Database::LatestSchemaVersion());
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

TEST_F(ServerMigrationTest, Version11KeepsDailyDigestOptInsAndTurnsTheOldDefaultIntoNoChoice) {
  ASSERT_NO_FATAL_FAILURE(MigrateTo(10));
  SQLite::Database& db = db_;
  db.exec(
      "INSERT INTO companies (id, name, created_unix) VALUES (1, 'Acme', 0);"
      "INSERT INTO users (id, company_id, name, email, level, can_push, token_hash, "
      "created_unix) VALUES (1, 1, 'ann', '', 2, 1, 'a', 0), (2, 1, 'bob', '', 2, 1, 'b', 0);"
      "INSERT INTO notification_preferences (user_id, on_send, on_reject, daily_digest) "
      "VALUES (1, 0, 1, 0), (2, 1, 0, 1);");
  ASSERT_NO_FATAL_FAILURE(MigrateAll());
  std::vector<std::string> rows;
  SQLite::Statement query(db,
                          "SELECT user_id || ' ' || on_send || ' ' || on_reject || ' ' || "
                          "IFNULL(daily_digest, 'default') FROM notification_preferences "
                          "ORDER BY user_id");
  while (query.executeStep()) rows.push_back(query.getColumn(0).getString());
  EXPECT_EQ(rows, (std::vector<std::string>{"1 0 1 default", "2 1 0 1"}));
  // An explicit opt-out can be stored now, and nothing else.
  db.exec("UPDATE notification_preferences SET daily_digest = 0 WHERE user_id = 1");
  EXPECT_THROW(db.exec("UPDATE notification_preferences SET daily_digest = 2"), SQLite::Exception);
}

TEST(MigrationTest, NewerVersionIsRefusedWithBothVersions) {
  erpsync::testing::TempDir dir;
  SQLite::Database db(dir.File("m.db"), SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
  db.exec("PRAGMA user_version = 3");
  const std::array<std::string_view, 1> migrations = {"CREATE TABLE a (x INTEGER);"};
  const Status status = store_internal::ApplyMigrations(db, migrations, "m.db");
  EXPECT_THAT(
      status,
      StatusIs(StatusCode::kFailedPrecondition,
               Eq("database m.db has schema version 3, newer than version 1 that this build knows; "
                  "upgrade erpsync-server")));
  EXPECT_FALSE(db.tableExists("a"));
}

// A Database on a fresh file with a pinned clock (SQLite only: what this
// file tests is the SQLite backend's own machinery).
class DatabaseTest : public ::testing::Test {
 protected:
  void SetUp() override {
    DatabaseOptions options;
    options.clock = [this] { return now_; };
    ASSERT_OK_AND_ASSIGN(database_, Database::Open(path(), options));
  }
  std::string path() const { return dir_.File("server.db"); }

  erpsync::testing::TempDir dir_;
  int64_t now_ = testing::kStartUnix;
  std::unique_ptr<Database> database_;
};

TEST_F(DatabaseTest, SqliteErrorInWorkBecomesInternalWithContext) {
  const Status status = database_->WithWriter("frobbing the store", [](SQLite::Database& db) {
    db.exec("SELECT * FROM no_such_table");
    return Status::Ok();
  });
  EXPECT_THAT(status, StatusIs(StatusCode::kInternal,
                               Eq("frobbing the store: no such table: no_such_table")));
}

TEST_F(DatabaseTest, ReaderErrorBecomesInternalWithContext) {
  const Status status = database_->WithReader("peeking", [](SQLite::Database& db) {
    db.exec("SELECT * FROM no_such_table");
    return Status::Ok();
  });
  EXPECT_THAT(status, StatusIs(StatusCode::kInternal, Eq("peeking: no such table: no_such_table")));
}

TEST_F(DatabaseTest, ReaderCannotWrite) {
  const Status status = database_->WithReader("sneaking a write", [](SQLite::Database& db) {
    db.exec("INSERT INTO companies (name, created_unix) VALUES ('x', 0)");
    return Status::Ok();
  });
  EXPECT_THAT(status, StatusIs(StatusCode::kInternal,
                               StartsWith("sneaking a write: attempt to write a readonly")));
  EXPECT_EQ(CountCompanies(*database_), 0);
}

TEST_F(DatabaseTest, ExceptionInsideWithWriterRollsBack) {
  const Status status = database_->WithWriter("adding then failing", [](SQLite::Database& db) {
    SQLite::Transaction transaction(db);
    db.exec("INSERT INTO companies (name, created_unix) VALUES ('Doomed', 0)");
    db.exec("INSERT INTO companies (name, created_unix) VALUES ('Doomed', 0)");  // UNIQUE
    transaction.commit();
    return Status::Ok();
  });
  EXPECT_THAT(status,
              StatusIs(StatusCode::kInternal,
                       Eq("adding then failing: UNIQUE constraint failed: companies.name")));
  EXPECT_EQ(CountCompanies(*database_), 0);
  // The write connection is usable afterwards.
  SqliteDirectoryStore directory(database_.get());
  EXPECT_OK(directory.AddCompany("Survivor"));
  EXPECT_EQ(CountCompanies(*database_), 1);
}

TEST_F(DatabaseTest, NonSqliteExceptionInsideWriteTransactionRollsBack) {
  const Status status =
      database_->WithWriteTransaction("adding then throwing", [](SQLite::Database& db) -> Status {
        db.exec("INSERT INTO companies (name, created_unix) VALUES ('Doomed', 0)");
        throw std::runtime_error("boom");
      });
  EXPECT_THAT(status, StatusIs(StatusCode::kInternal, Eq("adding then throwing: boom")));
  EXPECT_EQ(CountCompanies(*database_), 0);
}

TEST_F(DatabaseTest, ErrorStatusInsideWriteTransactionRollsBack) {
  const Status status =
      database_->WithWriteTransaction("adding then refusing", [](SQLite::Database& db) {
        db.exec("INSERT INTO companies (name, created_unix) VALUES ('Doomed', 0)");
        return AbortedError("changed my mind");
      });
  EXPECT_EQ(status, AbortedError("changed my mind"));
  EXPECT_EQ(CountCompanies(*database_), 0);
}

TEST_F(DatabaseTest, TransactionLeftOpenByWorkIsRolledBack) {
  ASSERT_OK(database_->WithWriter("leaving a transaction open", [](SQLite::Database& db) {
    db.exec("BEGIN");
    db.exec(
        "INSERT INTO companies (name, created_unix) "
        "VALUES ('Dangling', 0)");
    return Status::Ok();
  }));
  EXPECT_EQ(CountCompanies(*database_), 0);
}

TEST_F(DatabaseTest, NestedWriterIsRefused) {
  Status inner;
  const Status outer = database_->WithWriter("outer", [&](SQLite::Database&) {
    inner = database_->WithWriter("inner", [](SQLite::Database&) { return Status::Ok(); });
    return Status::Ok();
  });
  EXPECT_OK(outer);
  EXPECT_THAT(inner, StatusIs(StatusCode::kInternal,
                              Eq("inner: nested write on the thread that holds the write lock")));
}

TEST_F(DatabaseTest, LockHeldByAnotherProcessIsUnavailable) {
  DatabaseOptions options;
  options.busy_timeout_ms = 0;
  database_.reset();
  Result<std::unique_ptr<Database>> impatient = Database::Open(path(), options);
  ASSERT_OK(impatient);
  SQLite::Database other(path(), SQLite::OPEN_READWRITE);
  SQLite::Transaction holding(other, SQLite::TransactionBehavior::IMMEDIATE);
  SqliteDirectoryStore directory(impatient->get());
  Result<Company> company = directory.AddCompany("Blocked");
  ASSERT_THAT(company, StatusIs(StatusCode::kUnavailable,
                                Eq("adding company 'Blocked': database is locked")));
  // Readers are not blocked by the other writer.
  EXPECT_EQ(CountCompanies(**impatient), 0);
}

TEST_F(DatabaseTest, ReadersProceedWhileAWriteIsInProgress) {
  std::promise<void> written;
  std::promise<void> readers_done;
  std::thread writer([&] {
    const Status status = database_->WithWriteTransaction("slow write", [&](SQLite::Database& db) {
      db.exec("INSERT INTO companies (name, created_unix) VALUES ('Pending', 0)");
      written.set_value();
      readers_done.get_future().wait();
      return Status::Ok();
    });
    EXPECT_OK(status);
  });
  written.get_future().wait();
  // The write transaction is open and holds the write lock: readers on other
  // threads still run, and see the last committed state.
  std::vector<std::thread> readers;
  std::atomic<int> saw_zero{0};
  for (int i = 0; i < 4; ++i) {
    readers.emplace_back([&] {
      if (CountCompanies(*database_) == 0) ++saw_zero;
    });
  }
  for (std::thread& reader : readers) reader.join();
  readers_done.set_value();
  writer.join();
  EXPECT_EQ(saw_zero.load(), 4);
  EXPECT_EQ(CountCompanies(*database_), 1);
}

TEST_F(DatabaseTest, ConcurrentReadersSeeConsistentSnapshotsWhileWriterCommits) {
  constexpr int kCommits = 200;
  std::atomic<bool> done{false};
  std::atomic<int> inconsistent{0};
  std::atomic<int> reads{0};
  std::vector<std::thread> readers;
  for (int i = 0; i < 3; ++i) {
    readers.emplace_back([&] {
      while (!done.load()) {
        const Status status = database_->WithReader("checking", [&](SQLite::Database& db) {
          // Each commit adds one company and one connection: within one
          // snapshot the counts are equal.
          const int64_t companies = db.execAndGet("SELECT count(*) FROM companies").getInt64();
          const int64_t connections = db.execAndGet("SELECT count(*) FROM connections").getInt64();
          if (companies != connections) ++inconsistent;
          return Status::Ok();
        });
        EXPECT_OK(status);
        ++reads;
      }
    });
  }
  for (int i = 0; i < kCommits; ++i) {
    const Status status = database_->WithWriteTransaction("pairing", [&](SQLite::Database& db) {
      db.exec("INSERT INTO companies (name, created_unix) VALUES ('C" + std::to_string(i) +
              "', 0)");
      db.exec("INSERT INTO connections (company_id, name, created_unix) VALUES (" +
              std::to_string(db.getLastInsertRowid()) + ", 'sage300', 0)");
      return Status::Ok();
    });
    ASSERT_OK(status);
  }
  done = true;
  for (std::thread& reader : readers) reader.join();
  EXPECT_EQ(inconsistent.load(), 0);
  EXPECT_GT(reads.load(), 0);
  EXPECT_EQ(CountCompanies(*database_), kCommits);
}

TEST_F(DatabaseTest, ReadReturnsTheWorkValue) {
  SqliteDirectoryStore directory(database_.get());
  ASSERT_TRUE(directory.AddCompany("Acme Builders").ok());
  const Result<std::string> name =
      database_->Read("reading a name", [](SQLite::Database& db) -> Result<std::string> {
        return db.execAndGet("SELECT name FROM companies").getString();
      });
  ASSERT_TRUE(name.ok()) << name.status().ToString();
  EXPECT_EQ(*name, "Acme Builders");
}

TEST_F(DatabaseTest, ReadReturnsTheWorkErrorUnchanged) {
  const Result<int64_t> result =
      database_->Read("looking", [](SQLite::Database& db) -> Result<int64_t> {
        if (db.execAndGet("SELECT count(*) FROM companies").getInt64() == 0) {
          return NotFoundError("no company yet");
        }
        return 1;
      });
  EXPECT_EQ(result.status(), NotFoundError("no company yet"));
}

TEST_F(DatabaseTest, ReadReportsAnExceptionAsWithReaderDoes) {
  const auto work = [](SQLite::Database& db) -> Result<int64_t> {
    return db.execAndGet("SELECT count(*) FROM no_such_table").getInt64();
  };
  const Result<int64_t> result = database_->Read("peeking", work);
  EXPECT_EQ(result.status(), InternalError("peeking: no such table: no_such_table"));
  EXPECT_EQ(result.status(), database_->WithReader("peeking", [&](SQLite::Database& db) {
    return work(db).status();
  }));
}

TEST_F(DatabaseTest, WriteCommitsAndReturnsTheWorkValue) {
  const Result<int64_t> id =
      database_->Write("adding a company", [](SQLite::Database& db) -> Result<int64_t> {
        db.exec("INSERT INTO companies (name, created_unix) VALUES ('Kept', 0)");
        return db.getLastInsertRowid();
      });
  ASSERT_TRUE(id.ok()) << id.status().ToString();
  EXPECT_GT(*id, 0);
  EXPECT_EQ(CountCompanies(*database_), 1);
}

TEST_F(DatabaseTest, WriteReturnsTheWorkErrorUnchangedAndRollsBack) {
  const Result<int64_t> result =
      database_->Write("adding then refusing", [](SQLite::Database& db) -> Result<int64_t> {
        db.exec("INSERT INTO companies (name, created_unix) VALUES ('Doomed', 0)");
        return AbortedError("changed my mind");
      });
  EXPECT_EQ(result.status(), AbortedError("changed my mind"));
  EXPECT_EQ(CountCompanies(*database_), 0);
  // The write connection is usable afterwards.
  EXPECT_TRUE(SqliteDirectoryStore(database_.get()).AddCompany("Survivor").ok());
  EXPECT_EQ(CountCompanies(*database_), 1);
}

TEST_F(DatabaseTest, WriteReportsAnExceptionAsWithWriteTransactionDoesAndRollsBack) {
  const auto work = [](SQLite::Database& db) -> Result<int64_t> {
    db.exec("INSERT INTO companies (name, created_unix) VALUES ('Doomed', 0)");
    db.exec("INSERT INTO companies (name, created_unix) VALUES ('Doomed', 0)");  // UNIQUE
    return db.getLastInsertRowid();
  };
  const Result<int64_t> result = database_->Write("adding twice", work);
  EXPECT_EQ(result.status(),
            InternalError("adding twice: UNIQUE constraint failed: companies.name"));
  EXPECT_EQ(CountCompanies(*database_), 0);
  EXPECT_EQ(result.status(),
            database_->WithWriteTransaction(
                "adding twice", [&](SQLite::Database& db) { return work(db).status(); }));
  EXPECT_EQ(CountCompanies(*database_), 0);

  const Result<int64_t> thrown =
      database_->Write("adding then throwing", [](SQLite::Database& db) -> Result<int64_t> {
        db.exec("INSERT INTO companies (name, created_unix) VALUES ('Doomed', 0)");
        throw std::runtime_error("boom");
      });
  EXPECT_EQ(thrown.status(), InternalError("adding then throwing: boom"));
  EXPECT_EQ(CountCompanies(*database_), 0);
}

TEST_F(DatabaseTest, WriteIsUnavailableWhileAnotherProcessHoldsTheLock) {
  DatabaseOptions options;
  options.busy_timeout_ms = 0;
  database_.reset();
  Result<std::unique_ptr<Database>> impatient = Database::Open(path(), options);
  ASSERT_TRUE(impatient.ok()) << impatient.status().ToString();
  SQLite::Database other(path(), SQLite::OPEN_READWRITE);
  SQLite::Transaction holding(other, SQLite::TransactionBehavior::IMMEDIATE);
  bool ran = false;
  const Result<int64_t> result =
      (*impatient)->Write("adding a company", [&](SQLite::Database&) -> Result<int64_t> {
        ran = true;
        return 1;
      });
  EXPECT_EQ(result.status(), UnavailableError("adding a company: database is locked"));
  EXPECT_FALSE(ran);
}

TEST(DatabaseCheckpointTest, WalStaysBoundedAndDataSurvivesReopen) {
  erpsync::testing::TempDir dir;
  const std::string path = dir.File("wal.db");
  DatabaseOptions options;
  options.wal_checkpoint_pages = 8;
  constexpr int kCommits = 300;
  const std::string filler(20000, 'f');  // > one 16 KiB page per commit
  {
    Result<std::unique_ptr<Database>> database = Database::Open(path, options);
    ASSERT_OK(database);
    ASSERT_OK((*database)->WithWriter("making a table", [](SQLite::Database& db) {
      db.exec("CREATE TABLE filler (n INTEGER, data BLOB)");
      return Status::Ok();
    }));
    std::uintmax_t largest_wal = 0;
    for (int i = 0; i < kCommits; ++i) {
      const Status status = (*database)->WithWriteTransaction("filling", [&](SQLite::Database& db) {
        SQLite::Statement insert(db, "INSERT INTO filler VALUES (?1, ?2)");
        insert.bind(1, i);
        insert.bindNoCopy(2, filler.data(), static_cast<int>(filler.size()));
        insert.exec();
        return Status::Ok();
      });
      ASSERT_OK(status);
      largest_wal = std::max(largest_wal, std::filesystem::file_size(path + "-wal"));
    }
    // Without checkpoints the WAL would hold every commit (> 6 MB); the
    // limit is 4 x 8 pages of 16 KiB plus the commit that crossed it.
    EXPECT_LT(largest_wal, std::uintmax_t{1} << 20);
  }
  Result<std::unique_ptr<Database>> reopened = Database::Open(path, options);
  ASSERT_OK(reopened);
  int64_t rows = 0;
  ASSERT_OK((*reopened)->WithReader("counting", [&](SQLite::Database& db) {
    rows = db.execAndGet("SELECT count(*) FROM filler").getInt64();
    return Status::Ok();
  }));
  EXPECT_EQ(rows, kCommits);
}

TEST_F(DatabaseTest, ClockComesFromOptions) {
  EXPECT_EQ(database_->NowUnix(), testing::kStartUnix);
  now_ += 10;
  EXPECT_EQ(database_->NowUnix(), testing::kStartUnix + 10);
}

}  // namespace
}  // namespace erpsync::server
