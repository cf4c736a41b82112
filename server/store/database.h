// Database: the server's SQLite file (WAL mode), its schema migrations and
// the connections the store classes share.
//
// Thread-safety: writes go through one connection serialized by an internal
// mutex (WithWriter); reads use per-thread connections (WithReader) so they
// never wait behind a write. Safe to use from any number of gRPC threads.
#ifndef ERPSYNC_SERVER_STORE_DATABASE_H_
#define ERPSYNC_SERVER_STORE_DATABASE_H_

#include <functional>
#include <memory>
#include <string>

#include "common/status.h"

namespace SQLite {
class Database;
}

namespace erpsync::server {

struct DatabaseOptions {
  // PRAGMA synchronous: "normal" (durable across process crashes; a power
  // loss may lose the last commits) or "full" (fsync on every commit).
  std::string synchronous = "normal";
  // How long a connection waits for a lock held by another process.
  int busy_timeout_ms = 5000;
};

class Database {
 public:
  // Opens (creating when missing) the database at `path` and applies pending
  // migrations (ordered, keyed by PRAGMA user_version). ":memory:" is not
  // supported (readers need a file); use a temp dir in tests.
  // INVALID_ARGUMENT for bad options, FAILED_PRECONDITION when the file was
  // written by a newer version, INTERNAL for SQLite errors.
  static Result<std::unique_ptr<Database>> Open(const std::string& path,
                                                const DatabaseOptions& options = {});
  ~Database();

  // Runs `work` with the write connection while holding the write lock. Work
  // that throws SQLite::Exception is turned into INTERNAL with `what` as
  // context; an open SQLite::Transaction in `work` rolls back on throw.
  Status WithWriter(const std::string& what, const std::function<Status(SQLite::Database&)>& work);
  // Runs `work` with a read connection of the calling thread.
  Status WithReader(const std::string& what, const std::function<Status(SQLite::Database&)>& work);

  const std::string& path() const { return path_; }
  int schema_version() const;

 private:
  class Impl;
  Database(std::string path, std::unique_ptr<Impl> impl);
  std::string path_;
  std::unique_ptr<Impl> impl_;
};

}  // namespace erpsync::server

#endif  // ERPSYNC_SERVER_STORE_DATABASE_H_
