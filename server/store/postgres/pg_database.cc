#include "server/store/postgres/pg_database.h"

#include <chrono>
#include <ctime>
#include <thread>
#include <utility>

#include "server/store/postgres/migrations.h"

namespace erpsync::server {
namespace {

// Attempts of a transaction that PostgreSQL aborts as a serialization
// failure or deadlock.
constexpr int kMaxAttempts = 5;

// Advisory lock key of the migrations ("erpsync" in ASCII).
constexpr int64_t kMigrationLock = 0x65727073796e63;

std::string VersionName(int version) {
  return std::to_string(version / 10000) + "." + std::to_string(version % 10000);
}

}  // namespace

PgDatabase::PgDatabase(PostgresOptions options, std::string description)
    : options_(std::move(options)), description_(std::move(description)) {}

PgDatabase::~PgDatabase() = default;

int PgDatabase::LatestSchemaVersion() { return static_cast<int>(pg::PostgresMigrations().size()); }

int64_t PgDatabase::NowUnix() const {
  if (options_.clock) return options_.clock();
  return static_cast<int64_t>(std::time(nullptr));
}

Result<std::unique_ptr<PgDatabase>> PgDatabase::Open(const PostgresOptions& options, bool create) {
  if (options.dsn.empty()) {
    return InvalidArgumentError("store.postgresql_dsn is empty (a libpq connection string, "
                                "e.g. \"host=db1 dbname=erpsync user=erpsync\")");
  }
  if (options.max_connections < 1) {
    return InvalidArgumentError("store.postgresql_max_connections must be at least 1");
  }
  ERPSYNC_ASSIGN_OR_RETURN(std::unique_ptr<PgConnection> connection,
                           PgConnection::Connect(options.dsn, options.password));
  if (connection->server_version() < kMinServerVersion) {
    return FailedPreconditionError("PostgreSQL " + connection->description() + " is version " +
                                   VersionName(connection->server_version()) +
                                   "; erpsync-server needs " + VersionName(kMinServerVersion) +
                                   " or later");
  }
  std::unique_ptr<PgDatabase> database(new PgDatabase(options, connection->description()));
  ERPSYNC_RETURN_IF_ERROR(database->Migrate(*connection, create));
  {
    MutexLock lock(database->mutex_);
    database->open_ = 1;
    database->idle_.push_back(std::move(connection));
  }
  return database;
}

Status PgDatabase::Migrate(PgConnection& connection, bool create) {
  const std::span<const std::string_view> migrations = pg::PostgresMigrations();
  const int latest = static_cast<int>(migrations.size());
  ERPSYNC_ASSIGN_OR_RETURN(
      const PgResult exists,
      connection.Exec("looking for the erpsync schema",
                      "SELECT to_regclass('erpsync_schema_migrations') IS NOT NULL"));
  if (!exists.Bool(0, 0) && !create) {
    return NotFoundError("PostgreSQL " + description_ +
                         " has no erpsync store (create it with `erpsync-server store migrate`)");
  }
  // Session-level: held across the migrations' own transactions.
  ERPSYNC_RETURN_IF_ERROR(connection
                              .Exec("waiting for other servers' migrations",
                                    "SELECT pg_advisory_lock($1)", {kMigrationLock})
                              .status());
  Status status = [&]() -> Status {
    ERPSYNC_RETURN_IF_ERROR(connection.ExecScript(
        "creating erpsync_schema_migrations",
        "CREATE TABLE IF NOT EXISTS erpsync_schema_migrations (version INTEGER PRIMARY KEY, "
        "applied_unix BIGINT NOT NULL)"));
    ERPSYNC_ASSIGN_OR_RETURN(
        const PgResult current,
        connection.Exec("reading the schema version",
                        "SELECT COALESCE(MAX(version), 0) FROM erpsync_schema_migrations"));
    int version = static_cast<int>(current.Int(0, 0));
    schema_version_before_ = version;
    if (version > latest) {
      return FailedPreconditionError(
          "PostgreSQL " + description_ + " has erpsync schema version " + std::to_string(version) +
          ", newer than this erpsync-server's " + std::to_string(latest) +
          "; upgrade erpsync-server");
    }
    for (; version < latest; ++version) {
      const std::string what = "applying migration " + std::to_string(version + 1);
      ERPSYNC_ASSIGN_OR_RETURN(PgTransaction transaction, PgTransaction::Begin(&connection));
      ERPSYNC_RETURN_IF_ERROR(connection.ExecScript(what, migrations[version]));
      ERPSYNC_RETURN_IF_ERROR(connection
                                  .Exec(what,
                                        "INSERT INTO erpsync_schema_migrations (version, "
                                        "applied_unix) VALUES ($1, $2)",
                                        {version + 1, NowUnix()})
                                  .status());
      ERPSYNC_RETURN_IF_ERROR(transaction.Commit());
    }
    schema_version_ = version;
    return Status::Ok();
  }();
  (void)connection.Exec("releasing the migration lock", "SELECT pg_advisory_unlock($1)",
                        {kMigrationLock});
  return status;
}

Result<int64_t> PgDatabase::CompanyOf(PgConnection& connection, PgCompanyTable table, int64_t id) {
  {
    MutexLock lock(mutex_);
    const auto known = companies_.find({table, id});
    if (known != companies_.end()) return known->second;
  }
  std::string_view name;
  std::string_view sql;
  switch (table) {
    case PgCompanyTable::kConnections:
      name = "connection";
      sql = "SELECT company_id FROM connections WHERE id = $1";
      break;
    case PgCompanyTable::kAgents:
      name = "agent";
      sql = "SELECT company_id FROM agents WHERE id = $1";
      break;
    case PgCompanyTable::kUsers:
      name = "user";
      sql = "SELECT company_id FROM users WHERE id = $1";
      break;
    case PgCompanyTable::kEntities:
      name = "entity";
      sql = "SELECT company_id FROM entities WHERE id = $1";
      break;
    case PgCompanyTable::kSchemas:
      name = "schema";
      sql = "SELECT company_id FROM schemas WHERE id = $1";
      break;
    case PgCompanyTable::kApprovalItems:
      name = "item";
      sql = "SELECT company_id FROM approval_items WHERE id = $1";
      break;
  }
  ERPSYNC_ASSIGN_OR_RETURN(const PgResult row,
                           connection.Exec("finding the company of " + std::string(name) + " " +
                                               std::to_string(id),
                                           sql, {id}));
  if (row.rows() == 0) {
    return NotFoundError(std::string(name) + " " + std::to_string(id) + " does not exist");
  }
  const int64_t company_id = row.Int(0, 0);
  MutexLock lock(mutex_);
  companies_.emplace(std::make_pair(table, id), company_id);
  return company_id;
}

Result<std::unique_ptr<PgConnection>> PgDatabase::Acquire() {
  {
    MutexLock lock(mutex_);
    released_.Wait(mutex_, [&]() ERPSYNC_REQUIRES(mutex_) {
      return !idle_.empty() || open_ < options_.max_connections;
    });
    if (!idle_.empty()) {
      std::unique_ptr<PgConnection> connection = std::move(idle_.back());
      idle_.pop_back();
      return connection;
    }
    ++open_;
  }
  Result<std::unique_ptr<PgConnection>> connection =
      PgConnection::Connect(options_.dsn, options_.password);
  if (!connection.ok()) {
    MutexLock lock(mutex_);
    --open_;
    released_.NotifyOne();
  }
  return connection;
}

void PgDatabase::Release(std::unique_ptr<PgConnection> connection) {
  MutexLock lock(mutex_);
  if (connection->healthy()) {
    idle_.push_back(std::move(connection));
  } else {
    --open_;
  }
  released_.NotifyOne();
}

Status PgDatabase::WithConnection(const std::string& what,
                                  const std::function<Status(PgConnection&)>& work) {
  ERPSYNC_ASSIGN_OR_RETURN(std::unique_ptr<PgConnection> connection, Acquire());
  Status status = work(*connection);
  Release(std::move(connection));
  if (!status.ok() && status.message().find(what) == std::string::npos) {
    return Status(status.code(), what + ": " + status.message());
  }
  return status;
}

Status PgDatabase::RunOnce(const std::string& what, Mode mode,
                           const std::function<Status(PgConnection&)>& work) {
  const std::string_view isolation =
      mode == Mode::kRead ? "REPEATABLE READ READ ONLY" : "READ COMMITTED";
  // A pooled connection may have broken while idle (PostgreSQL restarted):
  // replace it, as many times as the pool may hold broken ones. BEGIN goes
  // with the work's first statement (one round trip less per transaction),
  // so a broken connection shows there: when the transaction never began,
  // nothing of the work reached the database, and it runs again on
  // another connection.
  for (int attempt = 0;; ++attempt) {
    ERPSYNC_ASSIGN_OR_RETURN(std::unique_ptr<PgConnection> connection, Acquire());
    Result<PgTransaction> transaction = PgTransaction::Begin(
        connection.get(), isolation, PgTransaction::BeginMode::kWithFirstStatement);
    if (!transaction.ok()) {
      Release(std::move(connection));
      return Status(transaction.status().code(), what + ": " + transaction.status().message());
    }
    Status status = work(*connection);
    if (status.ok()) {
      status = transaction->Commit();
      if (!status.ok()) status = Status(status.code(), what + ": " + status.message());
    } else {
      const bool begun = transaction->begun();
      {
        // Rolls back now, before the connection goes back to the pool.
        PgTransaction rollback = std::move(*transaction);
      }
      const bool broken = !connection->healthy();
      if (!begun && broken && attempt <= options_.max_connections) {
        Release(std::move(connection));
        continue;
      }
    }
    Release(std::move(connection));
    return status;
  }
}

Status PgDatabase::RunWithRetries(const std::string& what, Mode mode,
                                  const std::function<Status(PgConnection&)>& work) {
  Status status = Status::Ok();
  for (int attempt = 1; attempt <= kMaxAttempts; ++attempt) {
    status = RunOnce(what, mode, work);
    if (status.code() != StatusCode::kAborted) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(5 * attempt));
  }
  return status;
}

}  // namespace erpsync::server
