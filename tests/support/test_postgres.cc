#include "tests/support/test_postgres.h"

#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <memory>
#include <utility>

#include "server/store/postgres/pg_connection.h"
#include "tests/support/postgres_cluster.h"
#include "tools/pg/local_cluster.h"

namespace erpsync::testing {
namespace {

// The cluster of this process when ctest gave none; stopped at exit.
PostgresCluster* OwnCluster() {
  static std::unique_ptr<PostgresCluster> cluster = [] {
    Result<std::unique_ptr<PostgresCluster>> started = PostgresCluster::Start();
    return started.ok() ? std::move(*started) : nullptr;
  }();
  return cluster.get();
}

// The cluster's port: ctest's (from ERPSYNC_TEST_POSTGRES_DIR/port) or this
// process's own.
Result<int> ClusterPort() {
  if (!PostgresCluster::Installed()) {
    return UnavailableError(
        "PostgreSQL 15 is not installed (packaging/setup.sh test installs postgresql-15)");
  }
  if (const char* dir = std::getenv("ERPSYNC_TEST_POSTGRES_DIR"); dir != nullptr && *dir != '\0') {
    std::ifstream in(std::string(dir) + "/port");
    int port = 0;
    if (!(in >> port) || port <= 0) {
      return UnavailableError(std::string("no cluster in ") + dir +
                              " (the postgres ctest fixture did not start one; see its output)");
    }
    return port;
  }
  PostgresCluster* cluster = OwnCluster();
  if (cluster == nullptr) return UnavailableError("could not start a PostgreSQL cluster");
  return cluster->port();
}

Status ExecOnMaintenanceDatabase(int port, const std::string& sql) {
  ERPSYNC_ASSIGN_OR_RETURN(std::unique_ptr<server::PgConnection> connection,
                           server::PgConnection::Connect(pgcluster::Dsn(port, "postgres")));
  return connection->Exec("running " + sql, sql).status();
}

}  // namespace

Result<TestPostgresDatabase> TestPostgresDatabase::Create() {
  static int counter = 0;
  ERPSYNC_ASSIGN_OR_RETURN(const int port, ClusterPort());
  const std::string name =
      "erpsync_" + std::to_string(::getpid()) + "_" + std::to_string(++counter);
  ERPSYNC_RETURN_IF_ERROR(ExecOnMaintenanceDatabase(port, "CREATE DATABASE " + name));
  return TestPostgresDatabase(name, pgcluster::Dsn(port, name), port);
}

TestPostgresDatabase::TestPostgresDatabase(TestPostgresDatabase&& other) noexcept
    : name_(std::move(other.name_)), dsn_(std::move(other.dsn_)), port_(other.port_) {
  other.name_.clear();
}

TestPostgresDatabase::~TestPostgresDatabase() {
  if (name_.empty()) return;
  (void)ExecOnMaintenanceDatabase(port_, "DROP DATABASE IF EXISTS " + name_ + " WITH (FORCE)");
}

}  // namespace erpsync::testing
