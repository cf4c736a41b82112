#include "agent/erp/odbc_erp_source.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <filesystem>
#include <string>
#include <vector>

#include "agent/erp/sqlite_erp_source.h"
#include "tests/agent/erp/erp_test_util.h"
#include "tests/support/status_matchers.h"
#include "tests/support/temp_dir.h"

namespace erpsync::agent {
namespace {

using ::erpsync::testing::TempDir;
using ::testing::AllOf;
using ::testing::Eq;
using ::testing::HasSubstr;
using ::testing::Not;
using testing::ReadAll;
using testing::SharedSampleCompany;
using testing::TextRow;

constexpr char kDriver[] = "/usr/lib/x86_64-linux-gnu/odbc/libsqlite3odbc.so";

std::string ConnectionString(const std::string& database) {
  return std::string("Driver=") + kDriver + ";Database=" + database +
         ";NoCreat=1;StepAPI=1;Timeout=5000";
}

class OdbcErpSourceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(std::filesystem::exists(kDriver))
        << "the SQLite ODBC driver " << kDriver
        << " is missing: install the Debian packages libsqliteodbc unixodbc-dev odbcinst";
    ASSERT_OK_AND_ASSIGN(odbc_, OdbcErpSource::Connect(ConnectionString(SharedSampleCompany()), TextEncoding::kUtf8));
    ASSERT_OK_AND_ASSIGN(sqlite_, SqliteErpSource::Open(SharedSampleCompany()));
  }

  // Reads `read` through both sources and expects the same rows and count.
  void ExpectSameRows(const TableRead& read) {
    const auto expected = ReadAll(*sqlite_, read);
    ASSERT_OK(expected);
    const auto actual = ReadAll(*odbc_, read);
    ASSERT_OK(actual);
    EXPECT_EQ(*actual, *expected);
    EXPECT_FALSE(expected->empty());
    const auto expected_count = sqlite_->Count(read);
    const auto actual_count = odbc_->Count(read);
    ASSERT_OK(actual_count);
    EXPECT_EQ(*actual_count, *expected_count);
  }

  std::unique_ptr<OdbcErpSource> odbc_;
  std::unique_ptr<SqliteErpSource> sqlite_;
};

TableRead TransactionRead() {
  TableRead read;
  read.table = "JCT_CURRENT__TRANSACTION";
  read.columns = {"Row_ID",      "Job",   "Extra",        "Cost_Code",     "Category",
                  "Amount",      "Units", "Change_Order", "AP_Payment_ID", "Description",
                  "Row_Version", "Run",   "Date_Stamp",   "Time_Stamp"};
  read.order_by = {"Row_ID"};
  return read;
}

TableRead CategoryRead() {
  TableRead read;
  read.table = "JCM_MASTER__CATEGORY";
  read.columns = {"Job", "Extra", "Cost_Code", "Category", "Description"};
  read.order_by = {"Job", "Extra", "Cost_Code", "Category"};
  return read;
}

TEST_F(OdbcErpSourceTest, ListsTheSameTables) {
  const auto odbc = odbc_->ListTables();
  ASSERT_OK(odbc);
  EXPECT_EQ(*odbc, *sqlite_->ListTables());
}

TEST_F(OdbcErpSourceTest, DescribesTheSameColumns) {
  for (const char* table : {"JCT_CURRENT__TRANSACTION", "JCM_MASTER__JOB", "APM_MASTER__VENDOR"}) {
    const auto odbc = odbc_->DescribeTable(table);
    ASSERT_OK(odbc);
    const auto sqlite = sqlite_->DescribeTable(table);
    ASSERT_EQ(odbc->columns.size(), sqlite->columns.size()) << table;
    for (size_t i = 0; i < odbc->columns.size(); ++i) {
      EXPECT_EQ(odbc->columns[i].name, sqlite->columns[i].name);
      EXPECT_FALSE(odbc->columns[i].declared_type.empty());
    }
  }
}

TEST_F(OdbcErpSourceTest, DescribeReportsUnknownTables) {
  const auto info = odbc_->DescribeTable("NO_SUCH_TABLE");
  ASSERT_THAT(info, StatusIs(StatusCode::kNotFound, Eq("unknown table NO_SUCH_TABLE")));
}

TEST_F(OdbcErpSourceTest, ReadsTheSameRowsAsSqlite) {
  ExpectSameRows(TransactionRead());
  ExpectSameRows(CategoryRead());
}

TEST_F(OdbcErpSourceTest, ReadsTheSameRowsWithBounds) {
  TableRead read = TransactionRead();
  read.after = {{"Row_ID"}, {int64_t{50}}};
  read.through = {{"Row_ID"}, {std::string("450")}};
  ExpectSameRows(read);

  const auto all = ReadAll(*sqlite_, CategoryRead());
  ASSERT_OK(all);
  const TextRow& low = (*all)[all->size() / 4];
  const TextRow& high = (*all)[all->size() * 3 / 4];
  read = CategoryRead();
  read.after = {{"Job", "Extra", "Cost_Code", "Category"}, {*low[0], *low[1], *low[2], *low[3]}};
  read.through = {{"Job", "Extra", "Cost_Code", "Category"},
                  {*high[0], *high[1], *high[2], *high[3]}};
  ExpectSameRows(read);
}

TEST_F(OdbcErpSourceTest, ReadsTheSameRowsWithSinceInAndLimit) {
  TableRead read = TransactionRead();
  read.since_column = "Date_Stamp";
  read.since_value = std::string("2022-06-01");
  ExpectSameRows(read);

  read = TransactionRead();
  read.in_column = "Transaction_Type";
  read.in_values = {"Commitment", "Approved est chg", "Scheduled value"};
  ExpectSameRows(read);

  read = TransactionRead();
  read.order_by = {"Job", "Row_ID"};
  read.limit = 25;
  ExpectSameRows(read);
  const auto limited = ReadAll(*odbc_, read);
  ASSERT_OK(limited);
  EXPECT_EQ(limited->size(), 25u);
}

TEST_F(OdbcErpSourceTest, CellsAreTextOrNull) {
  TableRead read = TransactionRead();
  read.columns = {"Row_ID", "Change_Order"};
  read.in_column = "Transaction_Type";
  read.in_values = {"PR cost"};
  read.limit = 1;
  auto cursor = odbc_->Read(read);
  ASSERT_OK(cursor);
  ASSERT_TRUE(*(*cursor)->Next());
  EXPECT_EQ((*cursor)->Kind(0), CellKind::kText);
  const std::string row_id((*cursor)->Text(0));
  EXPECT_EQ(std::to_string(std::stoll(row_id)), row_id);
  EXPECT_EQ((*cursor)->Kind(1), CellKind::kNull);
  EXPECT_FALSE(*(*cursor)->Next());
}

TEST_F(OdbcErpSourceTest, RejectsUnknownTablesAndColumns) {
  TableRead read = CategoryRead();
  read.table = "NO_SUCH_TABLE";
  auto cursor = odbc_->Read(read);
  ASSERT_THAT(cursor, StatusIs(StatusCode::kInvalidArgument, Eq("unknown table NO_SUCH_TABLE")));

  read = CategoryRead();
  read.order_by = {"Jbo"};
  cursor = odbc_->Read(read);
  ASSERT_THAT(cursor, StatusIs(StatusCode::kInvalidArgument,
                               Eq("reading JCM_MASTER__CATEGORY: unknown column Jbo")));
  EXPECT_THAT(odbc_->Count(read), StatusIs(StatusCode::kInvalidArgument));
}

TEST_F(OdbcErpSourceTest, FetchesLongValuesCompletely) {
  TempDir dir;
  const std::string path = dir.File("long.db");
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(db,
                         "CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT);"
                         "INSERT INTO notes VALUES (1, 'short'), (2, printf('%.*c', 100000, 'x')),"
                         " (3, printf('%.*c', 300, 'y')), (4, 'short again');",
                         nullptr, nullptr, nullptr),
            SQLITE_OK);
  sqlite3_close(db);
  auto source = OdbcErpSource::Connect(ConnectionString(path), TextEncoding::kUtf8);
  ASSERT_OK(source);
  TableRead read;
  read.table = "notes";
  read.columns = {"body"};
  read.order_by = {"id"};
  const auto rows = ReadAll(**source, read);
  ASSERT_OK(rows);
  ASSERT_EQ(rows->size(), 4u);
  EXPECT_EQ((*rows)[0][0], "short");
  EXPECT_EQ((*rows)[1][0], std::string(100000, 'x'));
  EXPECT_EQ((*rows)[2][0], std::string(300, 'y'));
  EXPECT_EQ((*rows)[3][0], "short again");
}

TEST(OdbcConnectTest, RejectsAnEmptyConnectionString) {
  const auto source = OdbcErpSource::Connect("");
  ASSERT_THAT(source,
              StatusIs(StatusCode::kInvalidArgument, Eq("ODBC connection string is empty")));
}

TEST(OdbcConnectTest, ReportsAMissingDriverWithDiagnosticsButNoPassword) {
  const auto source =
      OdbcErpSource::Connect("Driver=/nonexistent/libnothing.so;UID=erpsync;PWD=s3cret");
  ASSERT_THAT(
      source,
      StatusIs(
          StatusCode::kUnavailable,
          AllOf(
              HasSubstr("connecting to ODBC Driver=/nonexistent/libnothing.so;UID=erpsync;PWD=***: "
                        "[01000] [unixODBC][Driver Manager]Can't open lib"),
              Not(HasSubstr("s3cret")))));
}

TEST(OdbcConnectTest, ReportsADatabaseTheDriverCannotOpen) {
  TempDir dir;
  const auto source = OdbcErpSource::Connect(ConnectionString(dir.File("missing.db")));
  ASSERT_THAT(source, StatusIs(StatusCode::kUnavailable, HasSubstr("connecting to ODBC Driver=")));
  EXPECT_FALSE(std::filesystem::exists(dir.File("missing.db")));
}

TEST(OdbcConnectTest, DescribeHidesThePassword) {
  const auto source =
      OdbcErpSource::Connect(ConnectionString(SharedSampleCompany()) + ";PWD=s3cret");
  ASSERT_OK(source);
  EXPECT_EQ((*source)->Describe(), "odbc:" + ConnectionString(SharedSampleCompany()) + ";PWD=***");
}

TEST(RedactOdbcConnectionStringTest, HidesPasswordsInAnyCase) {
  EXPECT_EQ(RedactOdbcConnectionString("DSN=Sage;UID=erp;PWD=secret"), "DSN=Sage;UID=erp;PWD=***");
  EXPECT_EQ(RedactOdbcConnectionString("dsn=Sage;pwd=secret;"), "dsn=Sage;pwd=***;");
  EXPECT_EQ(RedactOdbcConnectionString("Password={se;cr}et};DSN=x"), "Password=***;DSN=x");
  EXPECT_EQ(RedactOdbcConnectionString(" PWD =x"), " PWD =***");
  EXPECT_EQ(RedactOdbcConnectionString("DSN=Sage;UID=pwd"), "DSN=Sage;UID=pwd");
  EXPECT_EQ(RedactOdbcConnectionString("Driver={My Driver};Database=a.db"),
            "Driver={My Driver};Database=a.db");
}

}  // namespace
}  // namespace erpsync::agent
