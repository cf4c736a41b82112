#include "server/app/open_store.h"

#include <filesystem>

#include "common/private_files.h"
#include "server/store/postgres/postgres_store.h"
#include "server/store/sqlite/sqlite_store.h"

namespace erpsync::server {
namespace {

Result<std::unique_ptr<Store>> OpenSqlite(const ServerConfig& config) {
  ERPSYNC_RETURN_IF_ERROR(
      CheckNotRootInOthersDirectory(config.data_dir, "the server's data directory"));
  ERPSYNC_RETURN_IF_ERROR(CreatePrivateDirectory(config.data_dir));
  // SQLite gives the WAL and shared-memory files the database file's mode.
  ERPSYNC_RETURN_IF_ERROR(CreatePrivateFile(config.database_path()));
  ERPSYNC_ASSIGN_OR_RETURN(std::unique_ptr<SqliteStore> store,
                           SqliteStore::Open(config.database_path(), config.store.sqlite));
  return std::unique_ptr<Store>(std::move(store));
}

Result<std::unique_ptr<Store>> OpenPostgres(const ServerConfig& config, bool create) {
  ERPSYNC_ASSIGN_OR_RETURN(std::unique_ptr<PostgresStore> store,
                           PostgresStore::Open(config.store.postgresql, create));
  return std::unique_ptr<Store>(std::move(store));
}

}  // namespace

Result<std::unique_ptr<Store>> OpenServerStore(const ServerConfig& config) {
  if (config.store.kind == StoreKind::kPostgresql) return OpenPostgres(config, /*create=*/true);
  return OpenSqlite(config);
}

Result<std::unique_ptr<Store>> OpenExistingServerStore(const ServerConfig& config) {
  if (config.store.kind == StoreKind::kPostgresql) return OpenPostgres(config, /*create=*/false);
  std::error_code error;
  if (!std::filesystem::is_directory(config.data_dir, error)) {
    return NotFoundError("data dir " + config.data_dir +
                         " does not exist (set server.data_dir in server.conf, or create the "
                         "store with `erpsync-server company add`)");
  }
  if (!std::filesystem::is_regular_file(config.database_path(), error)) {
    return NotFoundError("store " + config.database_path() + " does not exist");
  }
  return OpenSqlite(config);
}

}  // namespace erpsync::server
