#include "server/store/sqlite/sqlite_store.h"

#include <utility>

namespace erpsync::server {

Result<std::unique_ptr<SqliteStore>> SqliteStore::Open(const std::string& path,
                                                       const DatabaseOptions& options) {
  ERPSYNC_ASSIGN_OR_RETURN(std::unique_ptr<Database> database, Database::Open(path, options));
  return std::unique_ptr<SqliteStore>(new SqliteStore(std::move(database)));
}

}  // namespace erpsync::server
