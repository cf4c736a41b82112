#include "server/store/postgres/postgres_store.h"

#include <utility>

namespace erpsync::server {

Result<std::unique_ptr<PostgresStore>> PostgresStore::Open(const PostgresOptions& options,
                                                           bool create) {
  ERPSYNC_ASSIGN_OR_RETURN(std::unique_ptr<PgDatabase> database, PgDatabase::Open(options, create));
  return std::unique_ptr<PostgresStore>(new PostgresStore(std::move(database), options));
}

}  // namespace erpsync::server
