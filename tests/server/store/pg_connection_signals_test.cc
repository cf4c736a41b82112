// PgConnectionSignals between two stores on one PostgreSQL database (two
// servers): a signal sent through one reaches the other's listener at once,
// and a listener whose connection is cut reconnects and says that signals
// may have been missed.
#include "server/store/postgres/pg_connection_signals.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

#include "common/mutex.h"
#include "server/store/postgres/pg_connection.h"
#include "server/store/postgres/postgres_store.h"
#include "tests/support/status_matchers.h"
#include "tests/support/test_postgres.h"

namespace erpsync::server {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

// What a listener heard, for a test to wait on.
class Heard {
 public:
  void Add(int64_t connection_id) {
    MutexLock lock(mutex_);
    ids_.push_back(connection_id);
    added_.NotifyAll();
  }
  // Whether `connection_id` was heard within `timeout`.
  bool WaitFor(int64_t connection_id, milliseconds timeout) {
    MutexLock lock(mutex_);
    return added_.WaitFor(mutex_, timeout, [&]() ERPSYNC_REQUIRES(mutex_) {
      return std::find(ids_.begin(), ids_.end(), connection_id) != ids_.end();
    });
  }

 private:
  Mutex mutex_;
  CondVar added_;
  std::vector<int64_t> ids_ ERPSYNC_GUARDED_BY(mutex_);
};

class PgConnectionSignalsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    Result<testing::TestPostgresDatabase> database = testing::TestPostgresDatabase::Create();
    ASSERT_OK(database);
    database_.emplace(std::move(*database));
    options_.dsn = database_->dsn();
    ASSERT_OK_AND_ASSIGN(server_a_, PostgresStore::Open(options_, /*create=*/true));
    ASSERT_OK_AND_ASSIGN(server_b_, PostgresStore::Open(options_, /*create=*/true));
  }
  void TearDown() override {
    server_a_.reset();
    server_b_.reset();
  }

  // Starts server B's listener into `heard` and signals through server A
  // until B hears (its LISTEN runs on a thread of its own). Whether it did
  // within 5 s.
  bool StartListening(Heard* heard) {
    server_b_->signals().Start([heard](int64_t id) { heard->Add(id); });
    for (int attempt = 0; attempt < 50; ++attempt) {
      server_a_->signals().Signal(1);
      if (heard->WaitFor(1, milliseconds(100))) return true;
    }
    return false;
  }

  std::optional<testing::TestPostgresDatabase> database_;
  PostgresOptions options_;
  std::unique_ptr<PostgresStore> server_a_;
  std::unique_ptr<PostgresStore> server_b_;
};

TEST_F(PgConnectionSignalsTest, ASignalThroughOneServerReachesTheOtherWithinASecond) {
  Heard heard;
  ASSERT_TRUE(StartListening(&heard));
  const auto sent = std::chrono::steady_clock::now();
  server_a_->signals().Signal(42);
  EXPECT_TRUE(heard.WaitFor(42, seconds(1)));
  EXPECT_LT(std::chrono::steady_clock::now() - sent, seconds(1));
  server_b_->signals().Stop();
  // Stopped: nothing more is heard.
  server_a_->signals().Signal(43);
  EXPECT_FALSE(heard.WaitFor(43, milliseconds(300)));
}

TEST_F(PgConnectionSignalsTest, AListenerCutOffReconnectsAndAsksForEveryConnectionToBeLookedAt) {
  Heard heard;
  ASSERT_TRUE(StartListening(&heard));
  // An operator (or a PostgreSQL restart) ends the listening connection.
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<PgConnection> admin, PgConnection::Connect(options_.dsn));
  ASSERT_OK_AND_ASSIGN(const PgResult ended,
                       admin->Exec("ending listeners",
                                   "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                                   "WHERE datname = current_database() AND query LIKE 'LISTEN%'"));
  ASSERT_EQ(ended.rows(), 1);
  EXPECT_TRUE(heard.WaitFor(ConnectionSignals::kAllConnections, seconds(5)));
  server_a_->signals().Signal(7);
  EXPECT_TRUE(heard.WaitFor(7, seconds(1)));
}

}  // namespace
}  // namespace erpsync::server
