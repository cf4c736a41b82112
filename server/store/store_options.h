// StoreOptions: which backend the server's store is on and how it is
// opened, from the [store] section of server.conf (doc/configuration.md).
// Plain data.
#ifndef ERPSYNC_SERVER_STORE_STORE_OPTIONS_H_
#define ERPSYNC_SERVER_STORE_STORE_OPTIONS_H_

#include <cstdint>
#include <functional>
#include <string>

namespace erpsync::server {

enum class StoreKind {
  kSqlite,      // one file under server.data_dir (the embedded default)
  kPostgresql,  // a PostgreSQL 15+ database, shareable by several servers
};

// "sqlite", "postgresql".
inline const char* StoreKindName(StoreKind kind) {
  return kind == StoreKind::kSqlite ? "sqlite" : "postgresql";
}

// The SQLite backend's options (server/store/sqlite/database.h).
struct DatabaseOptions {
  // PRAGMA synchronous: "normal" (durable across process crashes; a power
  // loss may lose the last commits) or "full" (fsync on every commit).
  std::string synchronous = "normal";
  // How long a connection waits for a lock held by another process.
  int busy_timeout_ms = 5000;
  // WAL size in pages (16 KiB in new files) at which a background thread
  // copies the WAL into the database file (a checkpoint); a commit leaving
  // four times as many waits for one. Like PRAGMA wal_autocheckpoint, but
  // off the committing thread. 1..1048576.
  int wal_checkpoint_pages = 1000;
  // Wall clock in seconds since the Unix epoch, for the *_unix columns.
  // Empty: the system clock. Tests pin it.
  std::function<int64_t()> clock;
};

// The PostgreSQL backend's options (server/store/postgres/).
struct PostgresOptions {
  // A libpq connection string ("host=db1 port=5432 dbname=erpsync
  // user=erpsync") or URI ("postgresql://erpsync@db1/erpsync"). Never holds
  // the password: see password below.
  std::string dsn;
  // The password, read from store.postgresql_password_file (or empty: then
  // libpq takes PGPASSWORD or ~/.pgpass, as it always does).
  std::string password;
  // Most connections one server process opens (its pool); a call waits for
  // a free one.
  int max_connections = 16;
  // As DatabaseOptions::clock.
  std::function<int64_t()> clock;
};

struct StoreOptions {
  StoreKind kind = StoreKind::kSqlite;
  DatabaseOptions sqlite;
  PostgresOptions postgresql;
};

}  // namespace erpsync::server

#endif  // ERPSYNC_SERVER_STORE_STORE_OPTIONS_H_
