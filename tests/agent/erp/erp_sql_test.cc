// How SQLite failures during an export are classified: retry later
// (UNAVAILABLE), a damaged file (DATA_LOSS), or a write that cannot succeed
// (INTERNAL).
#include "agent/erp/erp_sql.h"

#include <gtest/gtest.h>

#include "tests/support/status_matchers.h"

namespace erpsync::agent {
namespace {

using ::testing::Eq;

TEST(ExportSqliteErrorTest, BusyLockedFullAndIoErrorsAreWorthRetrying) {
  for (const int rc : {SQLITE_BUSY, SQLITE_BUSY_SNAPSHOT, SQLITE_LOCKED, SQLITE_LOCKED_SHAREDCACHE,
                       SQLITE_FULL, SQLITE_IOERR, SQLITE_IOERR_SHORT_READ, SQLITE_CANTOPEN,
                       SQLITE_NOMEM, SQLITE_PROTOCOL, SQLITE_INTERRUPT}) {
    const Status status = ExportSqliteError(nullptr, rc, "writing");
    EXPECT_THAT(status, StatusIs(StatusCode::kUnavailable,
                                 Eq(std::string("writing: ") + sqlite3_errstr(rc))))
        << sqlite3_errstr(rc);
  }
}

TEST(ExportSqliteErrorTest, ADamagedFileIsDataLoss) {
  for (const int rc : {SQLITE_CORRUPT, SQLITE_CORRUPT_INDEX, SQLITE_NOTADB}) {
    EXPECT_THAT(ExportSqliteError(nullptr, rc, "writing"), StatusIs(StatusCode::kDataLoss))
        << sqlite3_errstr(rc);
  }
}

TEST(ExportSqliteErrorTest, WritesThatCannotSucceedAreInternal) {
  for (const int rc : {SQLITE_READONLY, SQLITE_CONSTRAINT, SQLITE_CONSTRAINT_PRIMARYKEY,
                       SQLITE_ERROR, SQLITE_PERM, SQLITE_MISMATCH}) {
    EXPECT_THAT(ExportSqliteError(nullptr, rc, "writing"), StatusIs(StatusCode::kInternal))
        << sqlite3_errstr(rc);
  }
}

TEST(ErpSqlTest, ReadsRowsAsTextAndReusesStatements) {
  sqlite3* raw = nullptr;
  ASSERT_EQ(sqlite3_open(":memory:", &raw), SQLITE_OK);
  const SqliteDb db(raw);
  ErpSql sql(db.get());
  ASSERT_OK(sql.Exec("CREATE TABLE t (a TEXT, b INTEGER)"));
  for (int i = 0; i < 3; ++i) {
    ASSERT_OK(sql.Exec("INSERT INTO t VALUES (?1, ?2)", {std::to_string(i), i}));
  }
  ASSERT_OK(sql.Exec("INSERT INTO t VALUES (NULL, NULL)"));
  EXPECT_EQ(sql.Changes(), 1);
  const auto rows = sql.All("SELECT a, b FROM t ORDER BY rowid");
  ASSERT_OK(rows);
  ASSERT_EQ(rows->size(), 4u);
  EXPECT_EQ((*rows)[2], (SqlRow{"2", "2"}));
  EXPECT_EQ((*rows)[3], (SqlRow{std::nullopt, std::nullopt}));
  const auto first = sql.First("SELECT a FROM t WHERE b = ?1", {1});
  ASSERT_OK(first);
  EXPECT_EQ(*first, (SqlRow{"1"}));
  const auto none = sql.Exists("SELECT 1 FROM t WHERE b = ?1", {9});
  ASSERT_OK(none);
  EXPECT_FALSE(*none);
  const Status missing = sql.Exec("INSERT INTO nope VALUES (1)");
  EXPECT_THAT(missing, StatusIs(StatusCode::kInternal,
                                Eq("preparing INSERT INTO nope VALUES (1): no such table: nope")));
}

}  // namespace
}  // namespace erpsync::agent
