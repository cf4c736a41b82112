// A second store on the storage of a StoreTest's store, as another
// erpsync-server sharing it would open it: the same SQLite file, or the
// same PostgreSQL database. For tests of what one server sees of another's
// writes.
#ifndef ERPSYNC_TESTS_SERVER_STORE_SECOND_SERVER_STORE_H_
#define ERPSYNC_TESTS_SERVER_STORE_SECOND_SERVER_STORE_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>

#include "server/store/postgres/postgres_store.h"
#include "server/store/sqlite/sqlite_store.h"
#include "server/store/store.h"
#include "server/store/store_options.h"
#include "tests/support/test_postgres.h"

namespace erpsync::server::testing {

// Opens the existing store of `kind`: the SQLite file `sqlite_path`, or the
// PostgreSQL database `postgres` (which must outlive the store), with
// `clock`. Nothing is created.
inline Result<std::unique_ptr<Store>> OpenSecondServerStore(
    StoreKind kind, const std::string& sqlite_path,
    const std::optional<erpsync::testing::TestPostgresDatabase>& postgres,
    std::function<int64_t()> clock) {
  if (kind == StoreKind::kSqlite) {
    DatabaseOptions options;
    options.clock = std::move(clock);
    ERPSYNC_ASSIGN_OR_RETURN(std::unique_ptr<SqliteStore> store,
                             SqliteStore::Open(sqlite_path, options));
    return std::unique_ptr<Store>(std::move(store));
  }
  PostgresOptions options;
  options.dsn = postgres->dsn();
  options.clock = std::move(clock);
  ERPSYNC_ASSIGN_OR_RETURN(std::unique_ptr<PostgresStore> store,
                           PostgresStore::Open(options, /*create=*/false));
  return std::unique_ptr<Store>(std::move(store));
}

}  // namespace erpsync::server::testing

#endif  // ERPSYNC_TESTS_SERVER_STORE_SECOND_SERVER_STORE_H_
