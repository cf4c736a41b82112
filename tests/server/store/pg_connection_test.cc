// The libpq layer against the tests' PostgreSQL 15 cluster, a fresh
// database per test (tests/support/test_postgres.h): statements with
// parameters, NULLs, transactions, and errors classed by SQLSTATE.
#include "server/store/postgres/pg_connection.h"

#include <gtest/gtest.h>

#include <memory>
#include <optional>
#include <string>
#include <vector>

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

TEST_F(PgConnectionTest, APipelineRunsItsStatementsInOrderInOneRoundTrip) {
  ASSERT_OK_AND_ASSIGN(
      const std::vector<PgResult> results,
      connection_->ExecPipeline("filling t", {{"INSERT INTO t VALUES ($1, $2)", {"1", "a"}},
                                              {"INSERT INTO t VALUES ($1, $2)", {"2", "b"}},
                                              {"SELECT count(*) FROM t", {}}}));
  ASSERT_EQ(results.size(), 3u);
  EXPECT_EQ(results[1].affected(), 1);
  EXPECT_EQ(results[2].Text(0, 0), "2");
  // A statement that fails skips the ones after it; its error is the
  // pipeline's, named by its own `what` when it has one. Outside a
  // transaction the pipeline is one (implicit) transaction: nothing stays.
  EXPECT_THAT(connection_->ExecPipeline(
                  "filling t", {{"INSERT INTO t VALUES ($1, $2)", {"3", "c"}},
                                {"INSERT INTO t VALUES ($1, $2)", {"1", "again"}, "adding 1 again"},
                                {"UPDATE t SET v = 'z'", {}}}),
              StatusIs(StatusCode::kAlreadyExists, HasSubstr("adding 1 again (PostgreSQL")));
  EXPECT_EQ(connection_->Exec("reading", "SELECT string_agg(v, '' ORDER BY id) FROM t")->Text(0, 0),
            "ab");
  // Statements whose preparation the failure skipped are prepared again
  // when they next run.
  EXPECT_THAT(connection_->ExecPipeline("reading", {{"SELEKT 1", {}}, {"SELECT 41 + 1", {}}}),
              StatusIs(StatusCode::kInternal, HasSubstr("syntax error")));
  ASSERT_OK_AND_ASSIGN(const std::vector<PgResult> again,
                       connection_->ExecPipeline("reading", {{"SELECT 41 + 1", {}}}));
  EXPECT_EQ(again[0].Text(0, 0), "42");
  EXPECT_EQ(connection_->Exec("reading", "SELECT 41 + 1")->Text(0, 0), "42");
}

TEST_F(PgConnectionTest, ABeginSentWithTheFirstStatementBeginsTheTransactionThere) {
  {
    ASSERT_OK_AND_ASSIGN(PgTransaction transaction,
                         PgTransaction::Begin(connection_.get(), "REPEATABLE READ",
                                              PgTransaction::BeginMode::kWithFirstStatement));
    EXPECT_FALSE(transaction.begun());
    ASSERT_OK(connection_->Exec("inserting", "INSERT INTO t VALUES (1, 'a')"));
    EXPECT_TRUE(transaction.begun());
    EXPECT_EQ(connection_->Exec("isolation", "SELECT current_setting('transaction_isolation')")
                  ->Text(0, 0),
              "repeatable read");
  }  // rolled back
  EXPECT_EQ(connection_->Exec("counting", "SELECT count(*) FROM t")->Text(0, 0), "0");
  {
    // Never used: nothing was sent, nothing to roll back.
    ASSERT_OK_AND_ASSIGN(
        PgTransaction unused,
        PgTransaction::Begin(connection_.get(), "", PgTransaction::BeginMode::kWithFirstStatement));
  }
  ASSERT_OK_AND_ASSIGN(
      PgTransaction empty,
      PgTransaction::Begin(connection_.get(), "", PgTransaction::BeginMode::kWithFirstStatement));
  EXPECT_OK(empty.Commit());
  // A first statement that fails: the transaction began, and is rolled back.
  ASSERT_OK(connection_->Exec("inserting", "INSERT INTO t VALUES (1, 'a')"));
  {
    ASSERT_OK_AND_ASSIGN(
        PgTransaction transaction,
        PgTransaction::Begin(connection_.get(), "", PgTransaction::BeginMode::kWithFirstStatement));
    EXPECT_THAT(connection_->Exec("adding 1", "INSERT INTO t VALUES (1, 'b')"),
                StatusIs(StatusCode::kAlreadyExists));
    EXPECT_TRUE(transaction.begun());
  }
  // COPY goes after a BEGIN of its own.
  ASSERT_OK_AND_ASSIGN(
      PgTransaction copying,
      PgTransaction::Begin(connection_.get(), "", PgTransaction::BeginMode::kWithFirstStatement));
  ASSERT_OK(connection_->CopyIn("copying", "COPY t FROM STDIN", "2\tb\n"));
  ASSERT_OK(copying.Commit());
  EXPECT_EQ(connection_->Exec("counting", "SELECT count(*) FROM t")->Text(0, 0), "2");
}

TEST_F(PgConnectionTest, AStatementForTheCommitRunsWithItOrFailsIt) {
  {
    ASSERT_OK_AND_ASSIGN(
        PgTransaction transaction,
        PgTransaction::Begin(connection_.get(), "", PgTransaction::BeginMode::kWithFirstStatement));
    ASSERT_OK(connection_->Exec("inserting", "INSERT INTO t VALUES (1, 'a')"));
    connection_->ExecAtCommit("marking 1", "UPDATE t SET v = $1 WHERE id = 1", {"done"});
    // Not run yet.
    EXPECT_EQ(connection_->Exec("reading", "SELECT v FROM t")->Text(0, 0), "a");
    ASSERT_OK(transaction.Commit());
  }
  EXPECT_EQ(connection_->Exec("reading", "SELECT v FROM t")->Text(0, 0), "done");
  {
    // Its failure fails the commit: nothing of the transaction stays, and
    // the connection is usable.
    ASSERT_OK_AND_ASSIGN(PgTransaction transaction, PgTransaction::Begin(connection_.get()));
    ASSERT_OK(connection_->Exec("inserting", "INSERT INTO t VALUES (2, 'b')"));
    connection_->ExecAtCommit("adding 1 again", "INSERT INTO t VALUES (1, 'x')", {});
    EXPECT_THAT(transaction.Commit(),
                StatusIs(StatusCode::kAlreadyExists, HasSubstr("adding 1 again (PostgreSQL")));
  }
  EXPECT_EQ(connection_->Exec("counting", "SELECT count(*) FROM t")->Text(0, 0), "1");
  {
    // A transaction rolled back drops it.
    ASSERT_OK_AND_ASSIGN(PgTransaction transaction, PgTransaction::Begin(connection_.get()));
    connection_->ExecAtCommit("marking 1", "UPDATE t SET v = 'dropped' WHERE id = 1", {});
  }
  ASSERT_OK_AND_ASSIGN(PgTransaction next, PgTransaction::Begin(connection_.get()));
  ASSERT_OK(next.Commit());
  EXPECT_EQ(connection_->Exec("reading", "SELECT v FROM t")->Text(0, 0), "done");
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
