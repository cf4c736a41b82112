// The libpq layer against the tests' PostgreSQL 15 cluster, a fresh
// database per test (tests/support/test_postgres.h): statements with
// parameters, NULLs, transactions, and errors classed by SQLSTATE.
#include "server/store/postgres/pg_connection.h"

#include <gtest/gtest.h>

#include <memory>
#include <optional>
#include <string>

#include "tests/support/status_matchers.h"
#include "tests/support/test_postgres.h"

namespace erpsync::server {
namespace {

using ::testing::AllOf;
using ::testing::HasSubstr;
using ::testing::Not;

class PgConnectionTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_OK_AND_ASSIGN(testing::TestPostgresDatabase database,
                         testing::TestPostgresDatabase::Create());
    postgres_.emplace(std::move(database));
    ASSERT_OK_AND_ASSIGN(connection_, PgConnection::Connect(postgres_->dsn()));
    ASSERT_OK(connection_->ExecScript("creating the table",
                                      "CREATE TABLE t (id BIGINT PRIMARY KEY, v TEXT)"));
  }

  // Before connection_: the database is dropped after the connection closes.
  std::optional<testing::TestPostgresDatabase> postgres_;
  std::unique_ptr<PgConnection> connection_;
};

TEST_F(PgConnectionTest, ParametersAndNullsRoundTrip) {
  ASSERT_OK_AND_ASSIGN(const PgResult inserted,
                       connection_->Exec("inserting", "INSERT INTO t VALUES ($1, $2), ($3, $4)",
                                         {"1", "it's \"quoted\"; DROP TABLE t", "2", std::nullopt}));
  EXPECT_EQ(inserted.affected(), 2);
  ASSERT_OK_AND_ASSIGN(const PgResult rows,
                       connection_->Exec("reading", "SELECT id, v FROM t ORDER BY id"));
  ASSERT_EQ(rows.rows(), 2);
  EXPECT_EQ(*rows.Int64(0, 0), 1);
  EXPECT_EQ(rows.Text(0, 1), "it's \"quoted\"; DROP TABLE t");
  EXPECT_TRUE(rows.IsNull(1, 1));
  EXPECT_THAT(rows.Int64(1, 1), StatusIs(StatusCode::kInternal, HasSubstr("column v of row 1")));
}

TEST_F(PgConnectionTest, ATransactionNotCommittedIsRolledBack) {
  {
    ASSERT_OK_AND_ASSIGN(PgTransaction transaction, PgTransaction::Begin(connection_.get()));
    ASSERT_OK(connection_->Exec("inserting", "INSERT INTO t VALUES (1, 'a')"));
  }
  EXPECT_EQ(connection_->Exec("counting", "SELECT count(*) FROM t")->Text(0, 0), "0");
  ASSERT_OK_AND_ASSIGN(PgTransaction transaction,
                       PgTransaction::Begin(connection_.get(), "SERIALIZABLE"));
  ASSERT_OK(connection_->Exec("inserting", "INSERT INTO t VALUES (1, 'a')"));
  ASSERT_OK(transaction.Commit());
  EXPECT_THAT(transaction.Commit(), StatusIs(StatusCode::kFailedPrecondition));
  EXPECT_EQ(connection_->Exec("counting", "SELECT count(*) FROM t")->Text(0, 0), "1");
}

TEST_F(PgConnectionTest, ErrorsAreClassedBySqlstateAndSayWhatWasDone) {
  ASSERT_OK(connection_->Exec("inserting", "INSERT INTO t VALUES (1, 'a')"));
  EXPECT_THAT(connection_->Exec("adding record 1", "INSERT INTO t VALUES (1, 'b')"),
              StatusIs(StatusCode::kAlreadyExists,
                       AllOf(HasSubstr("adding record 1 (PostgreSQL 127.0.0.1:"),
                             HasSubstr("duplicate key value violates unique constraint"))));
  EXPECT_THAT(connection_->Exec("adding a row", "INSERT INTO t VALUES (NULL, 'b')"),
              StatusIs(StatusCode::kFailedPrecondition, HasSubstr("null value")));
  EXPECT_THAT(connection_->Exec("reading", "SELEKT 1"),
              StatusIs(StatusCode::kInternal, HasSubstr("syntax error")));
}

TEST_F(PgConnectionTest, AServerThatCannotBeReachedIsUnavailableWithoutThePassword) {
  EXPECT_THAT(PgConnection::Connect("host=127.0.0.1 port=1 dbname=x user=u password=s3cret "
                                    "connect_timeout=5"),
              StatusIs(StatusCode::kUnavailable,
                       AllOf(HasSubstr("connecting to PostgreSQL 127.0.0.1:1/x"),
                             Not(HasSubstr("s3cret")))));
}

}  // namespace
}  // namespace erpsync::server
