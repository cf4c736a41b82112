// PgDatabase: the server's PostgreSQL database: a pool of connections, the
// schema's migrations, and transactions for the PostgreSQL stores.
//
// Transactions: Write runs work in a READ COMMITTED transaction (the stores
// lock what they change with SELECT ... FOR UPDATE, or rely on unique
// constraints and versions), Read in a REPEATABLE READ READ ONLY one (one
// consistent snapshot). Work returns a Result<T>; an error (or a failed
// COMMIT) rolls the transaction back. Serialization failures and deadlocks
// (ABORTED) are retried a few times with the same work, so work must have
// no effects outside the connection. BEGIN goes with the work's first
// statement, in its round trip (PgTransaction::BeginMode::kWithFirstStatement).
// A pooled connection found broken there, before the transaction began (the
// server restarted), is replaced and the work run again; a break later is
// UNAVAILABLE to the caller (the transaction's fate is the
// server's: a commit may or may not have happened, which the stores' writes
// tolerate, as they are idempotent or versioned).
//
// Thread-safe: each call takes a connection of its own from the pool (at
// most PostgresOptions::max_connections; a call waits for a free one).
#ifndef ERPSYNC_SERVER_STORE_POSTGRES_PG_DATABASE_H_
#define ERPSYNC_SERVER_STORE_POSTGRES_PG_DATABASE_H_

#include <cstdint>
#include <functional>
#include <map>
#include <utility>
#include <memory>
#include <optional>
#include <string>
#include <type_traits>
#include <vector>

#include "common/mutex.h"
#include "common/status.h"
#include "common/thread_annotations.h"
#include "server/store/postgres/pg_connection.h"
#include "server/store/store_options.h"

namespace erpsync::server {

namespace pg_internal {
template <typename T>
inline constexpr bool kIsResult = false;
template <typename T>
inline constexpr bool kIsResult<Result<T>> = true;
}  // namespace pg_internal

// Tables whose rows are keyed (company_id, id) with ids unique across
// companies: CompanyOf finds the company of such an id.
enum class PgCompanyTable { kConnections, kAgents, kUsers, kEntities, kSchemas, kApprovalItems };

class PgDatabase {
 public:
  // The oldest PostgreSQL this build runs on (server_version_num).
  static constexpr int kMinServerVersion = 150000;

  // Connects with options.dsn (and options.password), checks the server's
  // version and applies pending migrations (each in its own transaction,
  // under an advisory lock so that servers starting together take turns).
  // With `create` false, a database without the erpsync schema is
  // NOT_FOUND and nothing is created. Errors: UNAVAILABLE with libpq's
  // message when it cannot connect (a wrong password or database name
  // included); FAILED_PRECONDITION when the server is older than
  // kMinServerVersion (naming both) or the schema is newer than this build
  // (naming both); INVALID_ARGUMENT for an empty DSN or a pool size below 1.
  static Result<std::unique_ptr<PgDatabase>> Open(const PostgresOptions& options, bool create);
  ~PgDatabase();
  PgDatabase(const PgDatabase&) = delete;
  PgDatabase& operator=(const PgDatabase&) = delete;

  // The schema version this build migrates to.
  static int LatestSchemaVersion();
  int schema_version() const { return schema_version_; }
  // The version Open found before migrating (0 for a database it set up;
  // under the migration lock, so a server that started together with
  // another and found the schema already migrated says so).
  int schema_version_before() const { return schema_version_before_; }
  // "host:port/dbname" (never a password).
  const std::string& description() const { return description_; }
  // Seconds since the Unix epoch, from PostgresOptions::clock.
  int64_t NowUnix() const;

  // Runs `work(PgConnection&)` -> Result<T> as the header says.
  template <typename Work>
  std::invoke_result_t<Work&, PgConnection&> Write(const std::string& what, Work&& work) {
    return Run(what, Mode::kWrite, work);
  }
  template <typename Work>
  std::invoke_result_t<Work&, PgConnection&> Read(const std::string& what, Work&& work) {
    return Run(what, Mode::kRead, work);
  }
  // The company of row `id` of `table`, read through `connection` (inside
  // the caller's transaction) and kept: a row never moves to another
  // company, so the answer stays true. Lets the stores put company_id first
  // in every statement (the distribution key; see migrations.cc) for calls
  // that name only an id. NOT_FOUND "<table> <id> does not exist" when
  // there is no such row (not kept: it may be created later).
  Result<int64_t> CompanyOf(PgConnection& connection, PgCompanyTable table, int64_t id);

  // Runs `work` on a pooled connection outside any transaction (it may
  // begin and end its own).
  Status WithConnection(const std::string& what, const std::function<Status(PgConnection&)>& work);

 private:
  enum class Mode { kRead, kWrite };

  PgDatabase(PostgresOptions options, std::string description);

  // One attempt of a transaction: BEGIN, `work`, COMMIT.
  Status RunOnce(const std::string& what, Mode mode,
                 const std::function<Status(PgConnection&)>& work);
  Status RunWithRetries(const std::string& what, Mode mode,
                        const std::function<Status(PgConnection&)>& work);

  template <typename Work>
  std::invoke_result_t<Work&, PgConnection&> Run(const std::string& what, Mode mode, Work& work) {
    using WorkResult = std::invoke_result_t<Work&, PgConnection&>;
    static_assert(pg_internal::kIsResult<WorkResult>, "work must return a Result<T>");
    std::optional<WorkResult> result;
    Status status = RunWithRetries(what, mode, [&](PgConnection& connection) -> Status {
      result.emplace(work(connection));
      return result->status();
    });
    if (!status.ok()) return status;
    return std::move(*result);
  }

  // A connection from the pool (a new one when none is idle and the pool
  // is not full; otherwise waits). UNAVAILABLE when connecting fails.
  Result<std::unique_ptr<PgConnection>> Acquire();
  // Back to the pool, or closed when broken.
  void Release(std::unique_ptr<PgConnection> connection);
  Status Migrate(PgConnection& connection, bool create);

  const PostgresOptions options_;
  const std::string description_;
  int schema_version_ = 0;
  int schema_version_before_ = 0;
  Mutex mutex_;
  CondVar released_;
  std::vector<std::unique_ptr<PgConnection>> idle_ ERPSYNC_GUARDED_BY(mutex_);
  // CompanyOf's answers by (table, id).
  std::map<std::pair<PgCompanyTable, int64_t>, int64_t> companies_ ERPSYNC_GUARDED_BY(mutex_);
  int open_ ERPSYNC_GUARDED_BY(mutex_) = 0;
};

}  // namespace erpsync::server

#endif  // ERPSYNC_SERVER_STORE_POSTGRES_PG_DATABASE_H_
