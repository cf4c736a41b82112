// Database: the server's SQLite file (WAL mode), its schema migrations and
// the connections the store classes share.
//
// Thread-safety: writes go through one connection serialized by an internal
// mutex (WithWriter); reads use connections of their own (WithReader), one
// per concurrently reading thread, so they never wait behind a write. Safe to
// use from any number of gRPC threads. A Database owns one background thread
// that checkpoints the WAL; destroy it only after every call has returned.
#ifndef ERPSYNC_SERVER_STORE_SQLITE_DATABASE_H_
#define ERPSYNC_SERVER_STORE_SQLITE_DATABASE_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <type_traits>
#include <utility>

#include "common/status.h"
#include "server/store/store_options.h"

namespace SQLite {
class Database;
}

namespace erpsync::server {

namespace database_internal {
// Whether T is a Result<...> (what Database::Read and Write's work returns).
template <typename T>
inline constexpr bool kIsResult = false;
template <typename T>
inline constexpr bool kIsResult<Result<T>> = true;
}  // namespace database_internal

class Database {
 public:
  // Opens (creating when missing) the database at `path` and applies pending
  // migrations (ordered, keyed by PRAGMA user_version, each in its own
  // transaction). ":memory:" is not supported (readers need a file); use a
  // temp dir in tests.
  // INVALID_ARGUMENT for bad options or path, FAILED_PRECONDITION when the
  // file was written by a newer version (the message names both versions),
  // UNAVAILABLE when another process holds the file locked, INTERNAL for
  // other SQLite errors (unreadable file, not a database, failed migration).
  static Result<std::unique_ptr<Database>> Open(const std::string& path,
                                                const DatabaseOptions& options = {});
  ~Database();
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;

  // The schema version this build migrates to (the number of migrations).
  static int LatestSchemaVersion();

  // Runs `work` with the write connection while holding the write lock and
  // returns its status. Work that throws SQLite::Exception is turned into
  // INTERNAL "<what>: <sqlite message>" (UNAVAILABLE when SQLite reports the
  // database busy or locked); other exceptions become INTERNAL too. An open
  // SQLite::Transaction in `work` rolls back on throw. Not reentrant: a
  // nested WithWriter on the same thread returns INTERNAL.
  Status WithWriter(const std::string& what, const std::function<Status(SQLite::Database&)>& work);
  // WithWriter inside one BEGIN IMMEDIATE transaction that commits when
  // `work` returns OK and rolls back otherwise (error status or exception).
  Status WithWriteTransaction(const std::string& what,
                              const std::function<Status(SQLite::Database&)>& work);
  // Runs `work` with a read connection of the calling thread, inside one
  // read transaction (so `work` sees a single consistent snapshot; it must
  // not begin a transaction of its own). Errors as for WithWriter.
  Status WithReader(const std::string& what, const std::function<Status(SQLite::Database&)>& work);

  // WithReader and WithWriteTransaction for work that produces a value:
  // `work` is called as work(SQLite::Database&) and returns a Result<T>,
  // which Read and Write return. On success that is its value (Write has
  // committed); a Result holding an error comes back unchanged (Write has
  // rolled back). When `work` throws, or the transaction cannot begin or
  // commit, the error is WithReader's or WithWriteTransaction's own:
  // INTERNAL "<what>: <sqlite message>", UNAVAILABLE when SQLite reports
  // the database busy or locked (Write rolls back here too). Write is not
  // reentrant, as WithWriter.
  template <typename Work>
  std::invoke_result_t<Work&, SQLite::Database&> Read(const std::string& what, Work&& work) {
    return RunForResult(&Database::WithReader, what, work);
  }
  template <typename Work>
  std::invoke_result_t<Work&, SQLite::Database&> Write(const std::string& what, Work&& work) {
    return RunForResult(&Database::WithWriteTransaction, what, work);
  }

  // Seconds since the Unix epoch, from DatabaseOptions::clock.
  int64_t NowUnix() const;

  const std::string& path() const { return path_; }
  // The user_version of the file after Open's migrations, and the one Open
  // found before applying them (0 for a new file).
  int schema_version() const;
  int schema_version_before() const;

 private:
  class Impl;
  using WithFunction = Status (Database::*)(const std::string&,
                                            const std::function<Status(SQLite::Database&)>&);

  // Runs `work` through `with` (WithReader or WithWriteTransaction), which
  // sees the Result's status, and returns the Result.
  template <typename Work>
  std::invoke_result_t<Work&, SQLite::Database&> RunForResult(WithFunction with,
                                                              const std::string& what, Work& work) {
    using WorkResult = std::invoke_result_t<Work&, SQLite::Database&>;
    static_assert(database_internal::kIsResult<WorkResult>, "work must return a Result<T>");
    std::optional<WorkResult> result;
    Status status = (this->*with)(what, [&](SQLite::Database& db) -> Status {
      result.emplace(work(db));
      return result->status();
    });
    if (!status.ok()) return status;
    return std::move(*result);
  }

  Database(std::string path, std::unique_ptr<Impl> impl);
  std::string path_;
  std::unique_ptr<Impl> impl_;
};

}  // namespace erpsync::server

#endif  // ERPSYNC_SERVER_STORE_SQLITE_DATABASE_H_
