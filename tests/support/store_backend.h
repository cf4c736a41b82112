// The store backend of a test's whole server (ServerApp in process, or the
// real erpsync-server), for fixtures parameterized by StoreKind: SQLite
// (the file under the server's data dir: nothing to set up) or a fresh
// database of the tests' PostgreSQL cluster (tests/support/test_postgres.h).
// Lighter than tests/server/store/store_test_util.h, which opens stores
// itself. Thread-compatible.
//
// A fixture derives from ::testing::TestWithParam<server::StoreKind>, keeps
// a TestStoreBackend declared before its server (the database is dropped
// after the server has stopped), and its suites are instantiated with
// INSTANTIATE_BACKEND_TEST_SUITE_P (every backend).
#ifndef ERPSYNC_TESTS_SUPPORT_STORE_BACKEND_H_
#define ERPSYNC_TESTS_SUPPORT_STORE_BACKEND_H_

#include <gtest/gtest.h>

#include <memory>
#include <ostream>
#include <optional>
#include <string>
#include <vector>

#include "common/status.h"
#include "server/store/store_options.h"
#include "tests/support/test_postgres.h"

namespace erpsync::server {

// GoogleTest prints a StoreKind parameter by name (as the PrintTo of
// tests/server/store/store_test_util.h does, which wins where both are seen).
inline std::ostream& operator<<(std::ostream& out, StoreKind kind) {
  return out << StoreKindName(kind);
}

}  // namespace erpsync::server

namespace erpsync::testing {

// The backends a server test runs on.
inline constexpr server::StoreKind kServerStoreBackends[] = {server::StoreKind::kSqlite,
                                                             server::StoreKind::kPostgresql};

// "Sqlite", "Postgresql": the test name suffix of a backend.
std::string StoreBackendParamName(const ::testing::TestParamInfo<server::StoreKind>& info);

class TestStoreBackend {
 public:
  // Nothing for SQLite; for PostgreSQL a new database (UNAVAILABLE when
  // there is no cluster, saying why).
  static Result<std::unique_ptr<TestStoreBackend>> Create(server::StoreKind kind);
  // A PostgreSQL backend on a database the test made itself (on a cluster
  // of its own), at libpq connection string `dsn`.
  static std::unique_ptr<TestStoreBackend> OnPostgresDatabase(std::string dsn);

  server::StoreKind kind() const { return kind_; }
  // Sets store.kind (and store.postgresql_dsn) of a ServerConfig's store.
  void Configure(server::StoreOptions* options) const;
  // The same as erpsync-server flags ("--store.kind=postgresql",
  // "--store.postgresql_dsn=..."); none for SQLite, the default.
  std::vector<std::string> Flags() const;
  // The same as the [store] section of a server.conf.
  std::string ConfigSection() const;
  // Runs `sql` on the store behind its server's back (a corruption, a
  // schema version from the future): on the SQLite file `sqlite_path`, or
  // on the PostgreSQL database. A failure is a test failure.
  void ExecSql(const std::string& sqlite_path, const std::string& sql) const;
  // The database of the tests' cluster of a PostgreSQL backend (null for
  // SQLite or a database of the test's own).
  const TestPostgresDatabase* postgres() const {
    return postgres_.has_value() ? &*postgres_ : nullptr;
  }

 private:
  explicit TestStoreBackend(server::StoreKind kind) : kind_(kind) {}
  server::StoreKind kind_;
  // Dropped with the backend.
  std::optional<TestPostgresDatabase> postgres_;
  // The connection string of a PostgreSQL backend.
  std::string dsn_;
};

}  // namespace erpsync::testing

// Runs the StoreKind-parameterized suite `suite` on every backend.
#define INSTANTIATE_BACKEND_TEST_SUITE_P(suite)                                                    \
  INSTANTIATE_TEST_SUITE_P(, suite, ::testing::ValuesIn(::erpsync::testing::kServerStoreBackends), \
                           ::erpsync::testing::StoreBackendParamName)

#endif  // ERPSYNC_TESTS_SUPPORT_STORE_BACKEND_H_
