// DatabaseOptions: how the server opens its SQLite store, from the [store]
// section of server.conf. Plain data.
#ifndef ERPSYNC_SERVER_STORE_DATABASE_OPTIONS_H_
#define ERPSYNC_SERVER_STORE_DATABASE_OPTIONS_H_

#include <cstdint>
#include <functional>
#include <string>

namespace erpsync::server {

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

}  // namespace erpsync::server

#endif  // ERPSYNC_SERVER_STORE_DATABASE_OPTIONS_H_
