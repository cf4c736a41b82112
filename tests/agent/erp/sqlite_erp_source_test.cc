#include "agent/erp/sqlite_erp_source.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <filesystem>
#include <string>
#include <vector>

#include "agent/erp/sample/sample_mutator.h"
#include "agent/erp/sample/sample_schema.h"
#include "agent/erp/sqlite_handle.h"
#include "tests/agent/erp/erp_test_util.h"
#include "tests/support/status_matchers.h"
#include "tests/support/temp_dir.h"

namespace erpsync::agent {
namespace {

using ::erpsync::testing::TempDir;
using ::testing::Eq;
using ::testing::HasSubstr;
using ::testing::Not;
using testing::Query;
using testing::QueryInteger;
using testing::ReadAll;
using testing::SharedSampleCompany;
using testing::TextRow;

std::unique_ptr<SqliteErpSource> OpenShared() {
  auto source = SqliteErpSource::Open(SharedSampleCompany());
  EXPECT_OK(source);
  return source.ok() ? std::move(source).value() : nullptr;
}

std::vector<TextRow> MustRead(ErpSource& source, const TableRead& read) {
  auto rows = ReadAll(source, read);
  EXPECT_OK(rows);
  return rows.ok() ? std::move(rows).value() : std::vector<TextRow>();
}

TableRead CategoryRead() {
  TableRead read;
  read.table = "JCM_MASTER__CATEGORY";
  read.columns = {"Job", "Extra", "Cost_Code", "Category", "Description"};
  read.order_by = {"Job", "Extra", "Cost_Code", "Category"};
  return read;
}

void CreateDatabase(const std::string& path, const char* sql) {
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  char* error = nullptr;
  EXPECT_EQ(sqlite3_exec(db, sql, nullptr, nullptr, &error), SQLITE_OK) << error;
  sqlite3_free(error);
  sqlite3_close(db);
}

TEST(SqliteErpSourceTest, OpenReportsAMissingFileAndCreatesNothing) {
  TempDir dir;
  const std::string path = dir.File("nope.db");
  const auto source = SqliteErpSource::Open(path);
  ASSERT_THAT(source,
              StatusIs(StatusCode::kNotFound, Eq("ERP database " + path + " does not exist")));
  EXPECT_FALSE(std::filesystem::exists(path));
}

TEST(SqliteErpSourceTest, OpenRejectsWhatIsNotAnSqliteDatabase) {
  TempDir dir;
  const std::string text = dir.File("notes.txt");
  erpsync::testing::WriteTextFile(text, std::string(4096, 'x'));
  auto source = SqliteErpSource::Open(text);
  ASSERT_THAT(source,
              StatusIs(StatusCode::kInvalidArgument, Eq(text + " is not an SQLite database")));

  source = SqliteErpSource::Open(dir.path());
  ASSERT_THAT(source, StatusIs(StatusCode::kInvalidArgument,
                               Eq(dir.path() + " is not an SQLite database")));
}

TEST(SqliteErpSourceTest, DescribesItselfWithThePath) {
  EXPECT_EQ(OpenShared()->Describe(), "sqlite:" + SharedSampleCompany());
}

TEST(SqliteErpSourceTest, ListsEveryTableSorted) {
  const auto tables = OpenShared()->ListTables();
  ASSERT_OK(tables);
  std::vector<std::string> expected;
  for (const SampleTableDef& table : SampleTables()) expected.emplace_back(table.name);
  std::sort(expected.begin(), expected.end());
  EXPECT_EQ(*tables, expected);
}

TEST(SqliteErpSourceTest, DescribesColumnsInTableOrderWithDeclaredTypes) {
  const auto info = OpenShared()->DescribeTable("JCT_CURRENT__TRANSACTION");
  ASSERT_OK(info);
  EXPECT_EQ(info->name, "JCT_CURRENT__TRANSACTION");
  ASSERT_EQ(info->columns.size(), 29u);
  EXPECT_EQ(info->columns[0].name, "Row_ID");
  EXPECT_EQ(info->columns[0].declared_type, "INTEGER");
  EXPECT_EQ(info->columns[info->ColumnIndex("Amount")].declared_type, "TEXT");
  EXPECT_EQ(info->columns.back().name, "Time_Stamp");
}

TEST(SqliteErpSourceTest, DescribeReportsUnknownTablesExactly) {
  auto source = OpenShared();
  for (const char* name : {"NO_SUCH_TABLE", "jcm_master__job"}) {
    const auto info = source->DescribeTable(name);
    ASSERT_THAT(info, StatusIs(StatusCode::kNotFound, Eq(std::string("unknown table ") + name)))
        << name;
  }
}

TEST(SqliteErpSourceTest, ReadsAWholeTableInKeyOrder) {
  const std::vector<TextRow> rows = MustRead(*OpenShared(), CategoryRead());
  EXPECT_EQ(rows, Query(SharedSampleCompany(),
                        "SELECT Job, Extra, Cost_Code, Category, Description FROM "
                        "JCM_MASTER__CATEGORY ORDER BY Job, Extra, Cost_Code, Category"));
  EXPECT_GT(rows.size(), 100u);
}

TEST(SqliteErpSourceTest, ChunksByCompositeKeyBoundsCoverTheTableOnce) {
  auto source = OpenShared();
  const std::vector<TextRow> all = MustRead(*source, CategoryRead());
  // Resume after the last key of each chunk of 37 rows, as a deep sync does.
  std::vector<TextRow> chunked;
  TableRead read = CategoryRead();
  read.limit = 37;
  for (;;) {
    const std::vector<TextRow> chunk = MustRead(*source, read);
    if (chunk.empty()) break;
    chunked.insert(chunked.end(), chunk.begin(), chunk.end());
    const TextRow& last = chunk.back();
    read.after = {{"Job", "Extra", "Cost_Code", "Category"},
                  {*last[0], *last[1], *last[2], *last[3]}};
  }
  EXPECT_EQ(chunked, all);
}

TEST(SqliteErpSourceTest, ThroughBoundIsInclusive) {
  auto source = OpenShared();
  const std::vector<TextRow> all = MustRead(*source, CategoryRead());
  const TextRow& pivot = all[all.size() / 2];
  TableRead read = CategoryRead();
  read.through = {{"Job", "Extra", "Cost_Code", "Category"},
                  {*pivot[0], *pivot[1], *pivot[2], *pivot[3]}};
  const std::vector<TextRow> head = MustRead(*source, read);
  ASSERT_EQ(head.size(), all.size() / 2 + 1);
  EXPECT_EQ(head.back(), pivot);
  const auto count = source->Count(read);
  ASSERT_OK(count);
  EXPECT_EQ(*count, static_cast<int64_t>(head.size()));
}

TEST(SqliteErpSourceTest, IntegerBoundsAndSinceFilterTransactions) {
  auto source = OpenShared();
  TableRead read;
  read.table = "JCT_CURRENT__TRANSACTION";
  read.columns = {"Row_ID", "Date_Stamp", "Amount"};
  read.order_by = {"Row_ID"};
  read.after = {{"Row_ID"}, {int64_t{100}}};
  read.through = {{"Row_ID"}, {int64_t{200}}};
  std::vector<TextRow> rows = MustRead(*source, read);
  ASSERT_EQ(rows.size(), 100u);
  EXPECT_EQ(rows.front()[0], "101");
  EXPECT_EQ(rows.back()[0], "200");

  read = TableRead{};
  read.table = "JCT_CURRENT__TRANSACTION";
  read.columns = {"Row_ID"};
  read.since_column = "Date_Stamp";
  read.since_value = std::string("2021-01-01");
  const int64_t expected = QueryInteger(
      SharedSampleCompany(),
      "SELECT COUNT(*) FROM JCT_CURRENT__TRANSACTION WHERE Date_Stamp >= '2021-01-01'");
  EXPECT_GT(expected, 0);
  EXPECT_EQ(MustRead(*source, read).size(), static_cast<size_t>(expected));
  EXPECT_EQ(*source->Count(read), expected);
}

TEST(SqliteErpSourceTest, InValuesSelectRows) {
  auto source = OpenShared();
  TableRead read;
  read.table = "JCT_CURRENT__TRANSACTION";
  read.columns = {"Transaction_Type"};
  read.in_column = "Transaction_Type";
  read.in_values = {"PR cost", "EQ cost"};
  const std::vector<TextRow> rows = MustRead(*source, read);
  EXPECT_FALSE(rows.empty());
  for (const TextRow& row : rows) EXPECT_THAT(*row[0], ::testing::AnyOf("PR cost", "EQ cost"));
  EXPECT_EQ(*source->Count(read), static_cast<int64_t>(rows.size()));
  read.in_values.clear();
  EXPECT_TRUE(MustRead(*source, read).empty());
}

TEST(SqliteErpSourceTest, CountIgnoresLimitAndOrder) {
  auto source = OpenShared();
  TableRead read = CategoryRead();
  read.limit = 5;
  EXPECT_EQ(MustRead(*source, read).size(), 5u);
  const auto count = source->Count(read);
  ASSERT_OK(count);
  EXPECT_EQ(*count,
            QueryInteger(SharedSampleCompany(), "SELECT COUNT(*) FROM JCM_MASTER__CATEGORY"));
}

TEST(SqliteErpSourceTest, RejectsUnknownTablesAndColumns) {
  auto source = OpenShared();
  TableRead read = CategoryRead();
  read.table = "NO_SUCH_TABLE";
  auto cursor = source->Read(read);
  ASSERT_THAT(cursor, StatusIs(StatusCode::kInvalidArgument, Eq("unknown table NO_SUCH_TABLE")));
  EXPECT_THAT(source->Count(read), StatusIs(StatusCode::kInvalidArgument));

  read = CategoryRead();
  read.columns.push_back("Jbo");
  cursor = source->Read(read);
  ASSERT_THAT(cursor, StatusIs(StatusCode::kInvalidArgument,
                               Eq("reading JCM_MASTER__CATEGORY: unknown column Jbo")));

  read = CategoryRead();
  read.columns.clear();
  cursor = source->Read(read);
  ASSERT_THAT(cursor, Not(IsOk()));
  EXPECT_EQ(cursor.status().message(), "reading JCM_MASTER__CATEGORY: no columns to read");
}

TEST(SqliteErpSourceTest, KindsFollowStorageClassesAndTextRendersNumbers) {
  TempDir dir;
  const std::string path = dir.File("kinds.db");
  CreateDatabase(
      path,
      "CREATE TABLE t (k INTEGER PRIMARY KEY, i INTEGER, r REAL, s TEXT, b BLOB, n TEXT);"
      "INSERT INTO t VALUES (1, -42, 0.1, 'h\xC3\xA9llo', x'00ff', NULL);"
      "INSERT INTO t VALUES (2, 9223372036854775807, 1e21, '', x'', NULL);");
  auto source = SqliteErpSource::Open(path);
  ASSERT_OK(source);
  TableRead read;
  read.table = "t";
  read.columns = {"i", "r", "s", "b", "n"};
  read.order_by = {"k"};
  auto cursor = (*source)->Read(read);
  ASSERT_OK(cursor);
  RowCursor& row = **cursor;
  ASSERT_TRUE(*row.Next());
  EXPECT_EQ(row.Kind(0), CellKind::kInteger);
  EXPECT_EQ(row.Integer(0), -42);
  EXPECT_EQ(row.Text(0), "-42");
  EXPECT_EQ(row.Kind(0), CellKind::kInteger);  // Text() did not convert the value
  EXPECT_EQ(row.Kind(1), CellKind::kReal);
  EXPECT_EQ(row.Real(1), 0.1);
  EXPECT_EQ(row.Text(1), "0.1");
  EXPECT_EQ(row.Kind(2), CellKind::kText);
  EXPECT_EQ(row.Text(2), "h\xC3\xA9llo");
  EXPECT_EQ(row.Kind(3), CellKind::kBlob);
  EXPECT_EQ(row.Text(3), std::string_view("\x00\xff", 2));
  EXPECT_EQ(row.Kind(4), CellKind::kNull);
  EXPECT_EQ(row.Text(4), "");
  ASSERT_TRUE(*row.Next());
  EXPECT_EQ(row.Text(0), "9223372036854775807");
  EXPECT_EQ(row.Text(1), "1e+21");
  EXPECT_EQ(row.Kind(2), CellKind::kText);
  EXPECT_EQ(row.Text(2), "");
  EXPECT_FALSE(*row.Next());
  EXPECT_FALSE(*row.Next());  // stays at the end
}

TEST(SqliteErpSourceTest, CursorOutlivesItsSource) {
  auto source = OpenShared();
  auto cursor = source->Read(CategoryRead());
  ASSERT_OK(cursor);
  source.reset();
  int64_t rows = 0;
  while (*(*cursor)->Next()) ++rows;
  EXPECT_EQ(rows, QueryInteger(SharedSampleCompany(), "SELECT COUNT(*) FROM JCM_MASTER__CATEGORY"));
}

TEST(SqliteErpSourceTest, AWriterSucceedsWhileACursorIsOpen) {
  TempDir dir;
  const std::string path = dir.File("company.db");
  ASSERT_OK(CreateSampleCompany(path, testing::SmallCompanyOptions()));
  auto source = SqliteErpSource::Open(path);
  ASSERT_OK(source);
  TableRead read;
  read.table = "JCT_CURRENT__TRANSACTION";
  read.columns = {"Row_ID", "Amount"};
  read.order_by = {"Row_ID"};
  auto cursor = (*source)->Read(read);
  ASSERT_OK(cursor);
  ASSERT_TRUE(*(*cursor)->Next());

  SampleMutation mutation;
  mutation.insert = 5;
  mutation.update = 5;
  mutation.remove = 5;
  const auto mutated = MutateSampleCompany(path, mutation);
  ASSERT_OK(mutated);

  // The open cursor keeps reading its snapshot; a new read sees the change.
  int64_t rows = 1;
  for (;;) {
    const Result<bool> more = (*cursor)->Next();
    ASSERT_OK(more);
    if (!*more) break;
    ++rows;
  }
  EXPECT_EQ(rows, 600);
  EXPECT_EQ(*(*source)->Count(read), 600);
}

TEST(SqliteErpSourceTest, SeesOnlyCommittedChangesOfAWriter) {
  // A read-only source opens next to a writer's WAL and shared memory.
  TempDir dir;
  const std::string path = dir.File("company.db");
  ASSERT_OK(CreateSampleCompany(path, testing::SmallCompanyOptions()));
  sqlite3* writer = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &writer), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(writer,
                         "BEGIN IMMEDIATE; DELETE FROM JCT_CURRENT__TRANSACTION "
                         "WHERE Row_ID <= 10",
                         nullptr, nullptr, nullptr),
            SQLITE_OK);
  auto source = SqliteErpSource::Open(path);
  ASSERT_OK(source);
  TableRead read;
  read.table = "JCT_CURRENT__TRANSACTION";
  EXPECT_EQ(*(*source)->Count(read), 600);  // the write is not committed yet
  ASSERT_EQ(sqlite3_exec(writer, "COMMIT", nullptr, nullptr, nullptr), SQLITE_OK);
  EXPECT_EQ(*(*source)->Count(read), 590);
  sqlite3_close(writer);
}

TEST(SqliteHandleTest, BusyAndLockedAreUnavailableOtherErrorsInternal) {
  Status status = SqliteError(nullptr, SQLITE_BUSY, "reading JCT_CURRENT__TRANSACTION");
  EXPECT_THAT(status, StatusIs(StatusCode::kUnavailable,
                               Eq("reading JCT_CURRENT__TRANSACTION: database is locked")));
  EXPECT_THAT(SqliteError(nullptr, SQLITE_LOCKED_SHAREDCACHE, "x"),
              StatusIs(StatusCode::kUnavailable));
  status = SqliteError(nullptr, SQLITE_CORRUPT, "reading T");
  EXPECT_THAT(status, StatusIs(StatusCode::kInternal, HasSubstr("reading T: ")));
}

}  // namespace
}  // namespace erpsync::agent
