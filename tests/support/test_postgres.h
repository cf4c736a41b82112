// PostgreSQL for the tests: one throwaway cluster per ctest run, a fresh
// database per test.
//
// The cluster: ctest starts one before the first test that needs it and
// stops it after the last (the `postgres` ctest fixture, run by
// test_postgres_cluster start|stop DIR; see tests/CMakeLists.txt) and
// passes its directory in ERPSYNC_TEST_POSTGRES_DIR. A test binary run by
// hand, without that variable, starts a cluster of its own on first use
// and stops it when the process exits.
//
// PostgreSQL is not optional: when Debian's postgresql-15 is missing the
// calls fail with a message saying that packaging/setup.sh installs it.
// Thread-compatible (tests call it from their main thread).
#ifndef ERPSYNC_TESTS_SUPPORT_TEST_POSTGRES_H_
#define ERPSYNC_TESTS_SUPPORT_TEST_POSTGRES_H_

#include <string>

#include "common/status.h"

namespace erpsync::testing {

// A database created for one test, dropped (with FORCE: open connections
// are ended) when the object goes.
class TestPostgresDatabase {
 public:
  // Creates database "erpsync_<pid>_<n>". UNAVAILABLE when there is no
  // cluster (the message says why).
  static Result<TestPostgresDatabase> Create();
  TestPostgresDatabase(TestPostgresDatabase&& other) noexcept;
  TestPostgresDatabase& operator=(TestPostgresDatabase&&) = delete;
  ~TestPostgresDatabase();

  // libpq connection string of the database (trust authentication: no
  // password).
  const std::string& dsn() const { return dsn_; }
  const std::string& name() const { return name_; }
  // The cluster's port on 127.0.0.1.
  int port() const { return port_; }

 private:
  TestPostgresDatabase(std::string name, std::string dsn, int port)
      : name_(std::move(name)), dsn_(std::move(dsn)), port_(port) {}
  std::string name_;
  std::string dsn_;
  int port_ = 0;
};

}  // namespace erpsync::testing

#endif  // ERPSYNC_TESTS_SUPPORT_TEST_POSTGRES_H_
