#include "agent/erp/table_read_sql.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "tests/support/status_matchers.h"

namespace erpsync::agent {
namespace {

using ::testing::ElementsAre;
using ::testing::Eq;

TableInfo Table() {
  return {"T", {{"a", "TEXT"}, {"b", "TEXT"}, {"c", "INTEGER"}, {"Date_Stamp", "TEXT"}}};
}

TableRead FullRead() {
  TableRead read;
  read.table = "T";
  read.columns = {"a", "b", "c"};
  read.order_by = {"a", "b"};
  read.after = {{"a", "b"}, {std::string("a1"), std::string("b1")}};
  read.through = {{"a", "b"}, {std::string("a9"), std::string("b9")}};
  read.since_column = "Date_Stamp";
  read.since_value = std::string("2025-01-01");
  read.in_column = "c";
  read.in_values = {"1", "2"};
  read.limit = 100;
  return read;
}

TEST(TableReadSqlTest, RendersRowValuesAndLimitForSqlite) {
  const RenderedSql rendered = RenderSelect(FullRead(), kSqliteDialect);
  EXPECT_EQ(rendered.sql,
            "SELECT \"a\",\"b\",\"c\" FROM \"T\" WHERE (\"a\",\"b\") > (?,?) AND (\"a\",\"b\") <= "
            "(?,?) AND \"Date_Stamp\" >= ? AND \"c\" IN (?,?) ORDER BY \"a\",\"b\" LIMIT ?");
  EXPECT_THAT(rendered.params,
              ElementsAre(SqlValue(std::string("a1")), SqlValue(std::string("b1")),
                          SqlValue(std::string("a9")), SqlValue(std::string("b9")),
                          SqlValue(std::string("2025-01-01")), SqlValue(std::string("1")),
                          SqlValue(std::string("2")), SqlValue(int64_t{100})));
}

TEST(TableReadSqlTest, ExpandsTupleBoundsAndLeavesOutLimitForOdbc) {
  const RenderedSql rendered = RenderSelect(FullRead(), kOdbcDialect);
  EXPECT_EQ(rendered.sql,
            "SELECT \"a\",\"b\",\"c\" FROM \"T\" WHERE ((\"a\" > ?) OR (\"a\" = ? AND \"b\" > ?)) "
            "AND ((\"a\" < ?) OR (\"a\" = ? AND \"b\" <= ?)) AND \"Date_Stamp\" >= ? AND \"c\" IN "
            "(?,?) ORDER BY \"a\",\"b\"");
  EXPECT_THAT(rendered.params, ElementsAre(SqlValue(std::string("a1")), SqlValue(std::string("a1")),
                                           SqlValue(std::string("b1")), SqlValue(std::string("a9")),
                                           SqlValue(std::string("a9")), SqlValue(std::string("b9")),
                                           SqlValue(std::string("2025-01-01")),
                                           SqlValue(std::string("1")), SqlValue(std::string("2"))));
}

TEST(TableReadSqlTest, SingleColumnBoundIsAPlainComparisonInOdbc) {
  TableRead read;
  read.table = "T";
  read.columns = {"c"};
  read.after = {{"c"}, {int64_t{5}}};
  const RenderedSql rendered = RenderSelect(read, kOdbcDialect);
  EXPECT_EQ(rendered.sql, "SELECT \"c\" FROM \"T\" WHERE ((\"c\" > ?))");
  EXPECT_THAT(rendered.params, ElementsAre(SqlValue(int64_t{5})));
}

TEST(TableReadSqlTest, LeavesOutEmptyParts) {
  TableRead read;
  read.table = "T";
  read.columns = {"a"};
  EXPECT_EQ(RenderSelect(read, kSqliteDialect).sql, "SELECT \"a\" FROM \"T\"");
  EXPECT_TRUE(RenderSelect(read, kSqliteDialect).params.empty());
}

TEST(TableReadSqlTest, InColumnWithoutValuesMatchesNothing) {
  TableRead read;
  read.table = "T";
  read.columns = {"a"};
  read.in_column = "c";
  EXPECT_EQ(RenderSelect(read, kOdbcDialect).sql, "SELECT \"a\" FROM \"T\" WHERE 1 = 0");
}

TEST(TableReadSqlTest, CountKeepsTheWhereAndDropsOrderAndLimit) {
  const RenderedSql rendered = RenderCount(FullRead(), kSqliteDialect);
  EXPECT_EQ(rendered.sql,
            "SELECT COUNT(*) FROM \"T\" WHERE (\"a\",\"b\") > (?,?) AND (\"a\",\"b\") <= (?,?) AND "
            "\"Date_Stamp\" >= ? AND \"c\" IN (?,?)");
  EXPECT_EQ(rendered.params.size(), 7u);
}

TEST(TableReadSqlTest, QuotesIdentifiers) {
  EXPECT_EQ(QuoteIdentifier("Job"), "\"Job\"");
  EXPECT_EQ(QuoteIdentifier("we\"ird"), "\"we\"\"ird\"");
}

TEST(TableReadSqlTest, AcceptsAReadOfKnownColumns) {
  EXPECT_OK(ValidateTableRead(FullRead(), Table()));
}

TEST(TableReadSqlTest, RejectsUnknownColumnsWherever) {
  const auto expect_unknown = [](TableRead read) {
    const Status status = ValidateTableRead(read, Table());
    EXPECT_THAT(status, StatusIs(StatusCode::kInvalidArgument, Eq("reading T: unknown column x")));
  };
  TableRead read = FullRead();
  read.columns.push_back("x");
  expect_unknown(read);
  read = FullRead();
  read.order_by = {"x"};
  expect_unknown(read);
  read = FullRead();
  read.after.columns[1] = "x";
  expect_unknown(read);
  read = FullRead();
  read.through.columns[0] = "x";
  expect_unknown(read);
  read = FullRead();
  read.since_column = "x";
  expect_unknown(read);
  read = FullRead();
  read.in_column = "x";
  expect_unknown(read);
  read = FullRead();
  read.columns = {"A"};  // names are case-sensitive
  EXPECT_EQ(ValidateTableRead(read, Table()).message(), "reading T: unknown column A");
}

TEST(TableReadSqlTest, RejectsMalformedBoundsAndLimits) {
  TableRead read = FullRead();
  read.after.values.pop_back();
  Status status = ValidateTableRead(read, Table());
  EXPECT_THAT(status, StatusIs(StatusCode::kInvalidArgument,
                               Eq("reading T: after bound has 2 columns but 1 values")));

  read = FullRead();
  read.through.values[1] = std::monostate();
  status = ValidateTableRead(read, Table());
  EXPECT_THAT(status,
              StatusIs(StatusCode::kInvalidArgument, Eq("reading T: through bound on b is NULL")));

  read = FullRead();
  read.since_value = std::monostate();
  status = ValidateTableRead(read, Table());
  EXPECT_THAT(status, StatusIs(StatusCode::kInvalidArgument,
                               Eq("reading T: since Date_Stamp has no value")));

  read = FullRead();
  read.limit = -1;
  status = ValidateTableRead(read, Table());
  EXPECT_THAT(status, StatusIs(StatusCode::kInvalidArgument, Eq("reading T: negative limit -1")));
}

}  // namespace
}  // namespace erpsync::agent
