// Opening the server's store as server.conf says: store.kind = sqlite (the
// file server.db under server.data_dir) or postgresql
// (store.postgresql_dsn). The one place that knows both backends.
#ifndef ERPSYNC_SERVER_APP_OPEN_STORE_H_
#define ERPSYNC_SERVER_APP_OPEN_STORE_H_

#include <memory>

#include "common/status.h"
#include "server/config/server_config.h"
#include "server/store/store.h"

namespace erpsync::server {

// Opens (creating when missing) the store of `config` and applies pending
// migrations. SQLite: creates the data dir 0700 and the file 0600 (root may
// not use another user's directory). Errors as SqliteStore::Open and
// PostgresStore::Open return them.
Result<std::unique_ptr<Store>> OpenServerStore(const ServerConfig& config);

// The same for a command that only reads or changes what exists: NOT_FOUND
// naming the data dir or the store file when either is missing, and
// nothing is created (PostgreSQL: NOT_FOUND when the database has no
// erpsync schema yet).
Result<std::unique_ptr<Store>> OpenExistingServerStore(const ServerConfig& config);

}  // namespace erpsync::server

#endif  // ERPSYNC_SERVER_APP_OPEN_STORE_H_
