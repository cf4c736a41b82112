#include "agent/erp/sample/sample_mutator.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <ctime>
#include <set>
#include <string>
#include <vector>

#include "agent/erp/sample/sample_company.h"
#include "agent/erp/sample/sample_schema.h"
#include "tests/agent/erp/erp_test_util.h"
#include "tests/support/status_matchers.h"
#include "tests/support/temp_dir.h"

namespace erpsync::agent {
namespace {

using ::erpsync::testing::TempDir;
using ::testing::Eq;
using ::testing::HasSubstr;
using testing::Query;
using testing::QueryInteger;
using testing::TextRow;

constexpr char kJct[] = "JCT_CURRENT__TRANSACTION";

// A fresh tiny company per test: mutations change it.
std::string NewCompany(const TempDir& dir, const std::string& name = "company.db") {
  const std::string path = dir.File(name);
  SampleCompanyOptions options;
  options.jobs = 2;
  options.transactions = 200;
  options.seed = 3;
  const auto created = CreateSampleCompany(path, options);
  EXPECT_OK(created);
  return path;
}

std::string Today() {
  const std::time_t now = std::time(nullptr);
  std::tm local{};
  localtime_r(&now, &local);
  char buffer[16];
  std::strftime(buffer, sizeof(buffer), "%Y-%m-%d", &local);
  return buffer;
}

SampleMutation JctMutation(int64_t insert, int64_t update, int64_t remove, uint64_t seed = 1) {
  SampleMutation mutation;
  mutation.table = kJct;
  mutation.insert = insert;
  mutation.update = update;
  mutation.remove = remove;
  mutation.seed = seed;
  return mutation;
}

TEST(SampleMutatorTest, InsertsUpdatesAndRemovesTransactions) {
  TempDir dir;
  const std::string path = NewCompany(dir);
  const std::string today = Today();
  const std::string stamped_today =
      "SELECT COUNT(*) FROM JCT_CURRENT__TRANSACTION WHERE Date_Stamp = '" + today + "'";
  const int64_t stamped_before = QueryInteger(path, stamped_today);
  const auto summary = MutateSampleCompany(path, JctMutation(5, 7, 3));
  ASSERT_OK(summary);
  EXPECT_EQ(summary->inserted, 5);
  EXPECT_EQ(summary->updated, 7);
  EXPECT_EQ(summary->removed, 3);
  ASSERT_EQ(summary->inserted_keys.size(), 5u);
  ASSERT_EQ(summary->updated_keys.size(), 7u);
  ASSERT_EQ(summary->removed_keys.size(), 3u);
  EXPECT_EQ(QueryInteger(path, "SELECT COUNT(*) FROM JCT_CURRENT__TRANSACTION"), 200 + 5 - 3);

  // New Row_IDs above the largest; removed rows gone; updated rows kept.
  std::set<std::string> inserted;
  for (const auto& key : summary->inserted_keys) {
    ASSERT_EQ(key.size(), 1u);
    EXPECT_GT(std::stoll(key[0]), 200);
    inserted.insert(key[0]);
  }
  EXPECT_EQ(inserted, (std::set<std::string>{"201", "202", "203", "204", "205"}));
  std::set<std::string> touched;
  for (const auto& key : summary->removed_keys) {
    EXPECT_EQ(QueryInteger(
                  path, "SELECT COUNT(*) FROM JCT_CURRENT__TRANSACTION WHERE Row_ID = " + key[0]),
              0);
    touched.insert(key[0]);
  }
  for (const auto& key : summary->updated_keys) touched.insert(key[0]);
  EXPECT_EQ(touched.size(), 10u) << "updated and removed rows are distinct";

  // Inserted and updated rows carry today's stamp and a new Row_Version.
  for (const auto* keys : {&summary->inserted_keys, &summary->updated_keys}) {
    for (const auto& key : *keys) {
      const std::vector<TextRow> rows =
          Query(path,
                "SELECT Date_Stamp, Time_Stamp, Row_Version, Amount, typeof(Amount) FROM "
                "JCT_CURRENT__TRANSACTION WHERE Row_ID = " +
                    key[0]);
      ASSERT_EQ(rows.size(), 1u);
      EXPECT_EQ(rows[0][0], today);
      EXPECT_THAT(*rows[0][1], ::testing::MatchesRegex("[0-2][0-9]:[0-5][0-9]:[0-5][0-9]"));
      EXPECT_GT(std::stoll(*rows[0][2]), 200);
      EXPECT_THAT(*rows[0][3], ::testing::MatchesRegex("-?[0-9]+\\.[0-9][0-9]"));
      EXPECT_EQ(rows[0][4], "text");
    }
  }
  EXPECT_EQ(QueryInteger(path,
                         "SELECT COUNT(DISTINCT Row_Version) FROM JCT_CURRENT__TRANSACTION "
                         "WHERE Row_Version > 200"),
            12);
  // Untouched rows keep their history stamps (a removed row may have had
  // today's).
  EXPECT_GE(QueryInteger(path, stamped_today), 12);
  EXPECT_LE(QueryInteger(path, stamped_today), stamped_before + 12);
}

TEST(SampleMutatorTest, InsertedTransactionsKeepValidReferences) {
  TempDir dir;
  const std::string path = NewCompany(dir);
  ASSERT_OK(MutateSampleCompany(path, JctMutation(20, 0, 0)));
  EXPECT_EQ(QueryInteger(path,
                         "SELECT COUNT(*) FROM JCT_CURRENT__TRANSACTION t WHERE Row_ID > 200 AND "
                         "NOT EXISTS (SELECT 1 FROM JCM_MASTER__CATEGORY c WHERE c.Job = t.Job AND "
                         "c.Extra = t.Extra AND c.Cost_Code = t.Cost_Code AND "
                         "c.Category = t.Category)"),
            0);
}

TEST(SampleMutatorTest, SameSeedGivesTheSameChangesApartFromStamps) {
  TempDir dir;
  const std::string a = NewCompany(dir, "a.db");
  const std::string b = NewCompany(dir, "b.db");
  const std::string c = NewCompany(dir, "c.db");
  ASSERT_OK(MutateSampleCompany(a, JctMutation(4, 6, 2, 9)));
  ASSERT_OK(MutateSampleCompany(b, JctMutation(4, 6, 2, 9)));
  ASSERT_OK(MutateSampleCompany(c, JctMutation(4, 6, 2, 10)));
  const std::string sql =
      "SELECT Row_ID, Job, Cost_Code, Amount, Description, Row_Version FROM "
      "JCT_CURRENT__TRANSACTION ORDER BY Row_ID";
  EXPECT_EQ(Query(a, sql), Query(b, sql));
  EXPECT_NE(Query(a, sql), Query(c, sql));
}

TEST(SampleMutatorTest, ChangesTablesWithoutStamps) {
  TempDir dir;
  const std::string path = NewCompany(dir);
  const std::string sql =
      "SELECT Job, Extra, Cost_Code, Description FROM JCM_MASTER__COST_CODE ORDER BY rowid";
  const std::vector<TextRow> before = Query(path, sql);
  SampleMutation mutation;
  mutation.table = "JCM_MASTER__COST_CODE";
  mutation.insert = 2;
  mutation.update = 3;
  mutation.remove = 1;
  const auto summary = MutateSampleCompany(path, mutation);
  ASSERT_OK(summary);
  EXPECT_EQ(summary->inserted, 2);
  EXPECT_EQ(summary->updated, 3);
  EXPECT_EQ(summary->removed, 1);
  EXPECT_EQ(Query(path, sql).size(), before.size() + 1);
  for (const auto& key : summary->inserted_keys) {
    ASSERT_EQ(key.size(), 3u);
    for (const TextRow& row : before) {
      EXPECT_FALSE(row[0] == key[0] && row[1] == key[1] && row[2] == key[2]) << key[2];
    }
  }
  for (const auto& key : summary->updated_keys) {
    const std::vector<TextRow> now =
        Query(path, "SELECT Description FROM JCM_MASTER__COST_CODE WHERE Job = '" + key[0] +
                        "' AND Extra = '" + key[1] + "' AND Cost_Code = '" + key[2] + "'");
    ASSERT_EQ(now.size(), 1u);
    for (const TextRow& row : before) {
      if (row[0] == key[0] && row[1] == key[1] && row[2] == key[2]) {
        EXPECT_NE(row[3], now[0][0]);
      }
    }
  }
}

TEST(SampleMutatorTest, EveryTableCanBeMutated) {
  TempDir dir;
  const std::string path = NewCompany(dir);
  for (const SampleTableDef& table : SampleTables()) {
    const std::string name(table.name);
    const int64_t before = QueryInteger(path, "SELECT COUNT(*) FROM " + name);
    SampleMutation mutation;
    mutation.table = name;
    mutation.insert = 2;
    auto summary = MutateSampleCompany(path, mutation);
    ASSERT_OK(summary) << name;
    mutation.insert = 0;
    mutation.update = 1;
    mutation.remove = 1;
    summary = MutateSampleCompany(path, mutation);
    ASSERT_OK(summary) << name;
    EXPECT_EQ(QueryInteger(path, "SELECT COUNT(*) FROM " + name), before + 1) << name;
  }
}

TEST(SampleMutatorTest, CapsTheReportedKeys) {
  TempDir dir;
  const std::string path = NewCompany(dir);
  SampleMutation mutation = JctMutation(5, 0, 0);
  mutation.max_reported_keys = 2;
  const auto summary = MutateSampleCompany(path, mutation);
  ASSERT_OK(summary);
  EXPECT_EQ(summary->inserted, 5);
  EXPECT_EQ(summary->inserted_keys.size(), 2u);
}

TEST(SampleMutatorTest, WritesWhileAnotherConnectionHoldsALongRead) {
  TempDir dir;
  const std::string path = NewCompany(dir);
  sqlite3* reader = nullptr;
  ASSERT_EQ(sqlite3_open_v2(path.c_str(), &reader, SQLITE_OPEN_READONLY, nullptr), SQLITE_OK);
  sqlite3_stmt* stmt = nullptr;
  ASSERT_EQ(
      sqlite3_prepare_v2(reader, "SELECT Row_ID FROM JCT_CURRENT__TRANSACTION", -1, &stmt, nullptr),
      SQLITE_OK);
  ASSERT_EQ(sqlite3_step(stmt), SQLITE_ROW);  // the read transaction is open
  const auto summary = MutateSampleCompany(path, JctMutation(3, 3, 3));
  EXPECT_OK(summary);
  int rows = 1;
  while (sqlite3_step(stmt) == SQLITE_ROW) ++rows;
  EXPECT_EQ(rows, 200);  // the reader's snapshot
  sqlite3_finalize(stmt);
  sqlite3_close(reader);
  EXPECT_EQ(QueryInteger(path, "SELECT COUNT(*) FROM JCT_CURRENT__TRANSACTION"), 200);
}

TEST(SampleMutatorTest, ReportsMissingFilesAndTables) {
  TempDir dir;
  auto summary = MutateSampleCompany(dir.File("nope.db"), JctMutation(1, 0, 0));
  ASSERT_THAT(summary, StatusIs(StatusCode::kNotFound,
                                Eq("sample company " + dir.File("nope.db") + " does not exist")));

  const std::string path = NewCompany(dir);
  SampleMutation mutation;
  mutation.table = "NO_SUCH_TABLE";
  summary = MutateSampleCompany(path, mutation);
  ASSERT_THAT(summary, StatusIs(StatusCode::kNotFound,
                                Eq("NO_SUCH_TABLE is not a table of the sample company")));

  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(db, "DROP TABLE TXM_MASTER__TAX_RATE", nullptr, nullptr, nullptr),
            SQLITE_OK);
  sqlite3_close(db);
  mutation.table = "TXM_MASTER__TAX_RATE";
  summary = MutateSampleCompany(path, mutation);
  ASSERT_THAT(summary, StatusIs(StatusCode::kNotFound,
                                HasSubstr("table TXM_MASTER__TAX_RATE does not exist in " + path)));
}

TEST(SampleMutatorTest, RejectsImpossibleCountsAndChangesNothing) {
  TempDir dir;
  const std::string path = NewCompany(dir);
  const std::string sql = "SELECT * FROM JCT_CURRENT__TRANSACTION ORDER BY Row_ID";
  const std::vector<TextRow> before = Query(path, sql);

  auto summary = MutateSampleCompany(path, JctMutation(5, 150, 51));
  ASSERT_THAT(summary, StatusIs(StatusCode::kInvalidArgument,
                                HasSubstr("cannot update 150 and remove 51 of the 200 rows of "
                                          "JCT_CURRENT__TRANSACTION")));

  summary = MutateSampleCompany(path, JctMutation(-1, 0, 0));
  ASSERT_THAT(summary, StatusIs(StatusCode::kInvalidArgument, HasSubstr("negative row count")));
  EXPECT_EQ(Query(path, sql), before);
}

TEST(SampleMutatorTest, RefusesToInsertIntoAnEmptyTable) {
  TempDir dir;
  const std::string path = NewCompany(dir);
  ASSERT_OK(MutateSampleCompany(path, JctMutation(0, 0, 200)));
  const auto summary = MutateSampleCompany(path, JctMutation(1, 0, 0));
  ASSERT_THAT(summary, StatusIs(StatusCode::kFailedPrecondition,
                                HasSubstr("JCT_CURRENT__TRANSACTION: it is empty")));
}

}  // namespace
}  // namespace erpsync::agent
