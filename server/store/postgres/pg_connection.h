// PgConnection and PgResult: a small RAII layer over libpq (PostgreSQL's C
// client library; Debian 12's libpqxx is too old to build on), for the
// PostgreSQL backend of the server's store. What it adds to libpq:
// ownership (no PGconn or PGresult outlives its object), parameterized
// statements only (values never spliced into SQL), text values read as
// typed fields, and errors as Status classed by SQLSTATE:
//   08xxx, 57P0x (connection lost, server shutting down)  UNAVAILABLE
//   40001, 40P01 (serialization failure, deadlock)        ABORTED (retry)
//   23505 (unique violation)                              ALREADY_EXISTS
//   23xxx (other integrity violations)                    FAILED_PRECONDITION
//   anything else                                          INTERNAL
// Messages say what was being done and never carry a password.
// Thread-safety: a connection is used by one thread at a time; results are
// immutable and may be read from any thread.
#ifndef ERPSYNC_SERVER_STORE_POSTGRES_PG_CONNECTION_H_
#define ERPSYNC_SERVER_STORE_POSTGRES_PG_CONNECTION_H_

#include <concepts>
#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "common/status.h"

struct pg_conn;
struct pg_result;

namespace erpsync::server {

// A statement parameter: text in PostgreSQL's input format, bytes sent in
// binary (for BYTEA), or NULL.
class PgParam {
 public:
  PgParam(std::nullopt_t) {}  // NULL
  PgParam(const char* text) : value_(text) {}
  PgParam(std::string text) : value_(std::move(text)) {}
  PgParam(std::string_view text) : value_(std::string(text)) {}
  // An integer (bool as 1/0, which BOOLEAN columns accept too). Unsigned
  // 64-bit values are stored bit-cast: cast them to int64_t first.
  template <std::integral T>
  PgParam(T value) : value_(std::to_string(value)) {
    static_assert(!(std::is_unsigned_v<T> && sizeof(T) == 8),
                  "bit-cast unsigned 64-bit values to int64_t");
  }
  // BYTEA, sent as is.
  static PgParam Bytes(std::string_view bytes) {
    PgParam param{std::string(bytes)};
    param.binary_ = true;
    return param;
  }

  bool is_null() const { return !value_.has_value(); }
  bool binary() const { return binary_; }
  const std::string& value() const { return *value_; }

 private:
  std::optional<std::string> value_;
  bool binary_ = false;
};

// One statement of a pipeline (PgConnection::ExecPipeline). `what`, when
// set, names it in its error instead of the pipeline's.
struct PgStatement {
  std::string_view sql;
  std::vector<PgParam> params;
  std::string_view what = {};
};

class PgResult {
 public:
  PgResult(PgResult&& other) noexcept;
  PgResult& operator=(PgResult&& other) noexcept;
  ~PgResult();

  int rows() const;
  int columns() const;
  bool IsNull(int row, int column) const;
  // The value as text ("" for NULL).
  std::string_view Text(int row, int column) const;
  // The value as a 64-bit integer. INTERNAL when it is NULL or not one.
  Result<int64_t> Int64(int row, int column) const;
  // Int64 for columns the schema declares NOT NULL BIGINT (a value that
  // is not one is a broken invariant: 0 then).
  int64_t Int(int row, int column) const;
  // A BOOLEAN column ("t").
  bool Bool(int row, int column) const;
  // A BYTEA column, decoded from PostgreSQL's hex text form.
  std::string Bytes(int row, int column) const;
  // Rows changed by an INSERT, UPDATE or DELETE.
  int64_t affected() const;

 private:
  friend class PgConnection;
  explicit PgResult(pg_result* result) : result_(result) {}
  pg_result* result_ = nullptr;
};

class PgConnection {
 public:
  // Connects with a libpq connection string ("host=... port=... dbname=...
  // user=..."; a password comes from PGPASSWORD or a password file, never
  // from the command line). UNAVAILABLE naming the server (not the
  // password) when it cannot connect.
  // `password`, when not empty, is given to libpq apart from the DSN.
  static Result<std::unique_ptr<PgConnection>> Connect(const std::string& dsn,
                                                       const std::string& password = "");
  // Whether connection string or URI `dsn` sets a password: the word
  // "password" anywhere (checked first, so that a DSN libpq cannot parse is
  // never quoted with its password), or a password libpq reads from it
  // (postgresql://user:password@host). INVALID_ARGUMENT with libpq's
  // message when libpq cannot parse it (an unknown keyword, a missing "=").
  // Connects to nothing.
  static Result<bool> DsnHasPassword(const std::string& dsn);
  ~PgConnection();
  PgConnection(const PgConnection&) = delete;
  PgConnection& operator=(const PgConnection&) = delete;

  // Runs one statement with $1, $2, ... bound to `params`. `what` says what
  // is being done, for the error. Errors as the header says. The statement
  // is prepared on its first run on this connection and kept (up to a few
  // hundred distinct statements; beyond, they run unprepared).
  Result<PgResult> Exec(std::string_view what, std::string_view sql,
                        const std::vector<PgParam>& params = {});
  // Runs `statements` in order in one round trip (libpq's pipeline mode):
  // all are sent, then their results read. A statement that fails skips
  // the ones after it. Their results, or the first error (as Exec). Each
  // statement is prepared as Exec prepares it, in the same round trip.
  Result<std::vector<PgResult>> ExecPipeline(std::string_view what,
                                             const std::vector<PgStatement>& statements);
  // Inside a PgTransaction: runs the statement when the transaction
  // commits, in the COMMIT's round trip, just before it (a last write
  // whose result the caller does not need). Its failure fails the commit:
  // the transaction rolls back. Dropped when the transaction rolls back.
  void ExecAtCommit(std::string_view what, std::string_view sql, std::vector<PgParam> params);
  // COPY ... FROM STDIN with `data` as its input (in the format the
  // statement names). Errors as Exec.
  Status CopyIn(std::string_view what, std::string_view sql, std::string_view data);
  // Whether the connection is still usable (not broken).
  bool healthy() const;

  // Notifications (after LISTEN): the socket to wait on for input, reading
  // what arrived (UNAVAILABLE when the connection broke), and the payload
  // of the next notification received, if any.
  int socket() const;
  Status ConsumeInput();
  std::optional<std::string> NextNotification();
  // The server's version as PostgreSQL numbers it (150004 for 15.4).
  int server_version() const;
  // Runs a script of several statements without parameters (schema
  // migrations).
  Status ExecScript(std::string_view what, std::string_view sql);

  // "host:port/dbname", for messages.
  const std::string& description() const { return description_; }

 private:
  friend class PgTransaction;
  // A statement ExecAtCommit keeps until the commit.
  struct AtCommit {
    std::string what;
    std::string sql;
    std::vector<PgParam> params;
  };

  PgConnection(pg_conn* connection, std::string description)
      : connection_(connection), description_(std::move(description)) {}
  // The error of `result` (or of the connection when null), classed.
  Status ErrorOf(std::string_view what, pg_result* result) const;
  // ExecPipeline without the pending BEGIN. *failed_at: the index of the
  // statement that failed (statements.size() when none did).
  Result<std::vector<PgResult>> RunPipeline(std::string_view what,
                                            const std::vector<PgStatement>& statements,
                                            size_t* failed_at);
  // Sends the pending BEGIN (PgTransaction::Begin with kWithFirstStatement)
  // on its own, for statements that cannot be pipelined.
  Status SendPendingBegin();

  pg_conn* connection_;
  std::string description_;
  // Prepared statements by SQL text.
  std::map<std::string, std::string, std::less<>> prepared_;
  // The BEGIN of a transaction begun with kWithFirstStatement, not sent
  // yet: it goes ahead of the transaction's first statement.
  std::string pending_begin_;
  // Whether the current transaction's BEGIN has succeeded.
  bool begun_ = false;
  std::vector<AtCommit> at_commit_;
};

// A transaction: BEGIN on creation, ROLLBACK on destruction unless
// committed. Not thread-safe (its connection's thread).
class PgTransaction {
 public:
  enum class BeginMode {
    // BEGIN now, in a round trip of its own.
    kNow,
    // BEGIN with the transaction's first statement, in its round trip:
    // a broken connection shows at that statement instead (then
    // begun() is false).
    kWithFirstStatement,
  };
  // BEGIN, at the given isolation ("SERIALIZABLE", "REPEATABLE READ"; empty:
  // the server's default).
  static Result<PgTransaction> Begin(PgConnection* connection, std::string_view isolation = "",
                                     BeginMode mode = BeginMode::kNow);
  PgTransaction(PgTransaction&& other) noexcept : connection_(other.connection_) {
    other.connection_ = nullptr;
  }
  PgTransaction& operator=(PgTransaction&&) = delete;
  ~PgTransaction();
  // COMMIT, after the statements of ExecAtCommit, in one round trip. The
  // transaction is over whatever it returns.
  Status Commit();
  // Whether the transaction's BEGIN has succeeded (with kWithFirstStatement,
  // false until a statement was sent).
  bool begun() const { return connection_ != nullptr && connection_->begun_; }

 private:
  explicit PgTransaction(PgConnection* connection) : connection_(connection) {}
  PgConnection* connection_;
};

}  // namespace erpsync::server

#endif  // ERPSYNC_SERVER_STORE_POSTGRES_PG_CONNECTION_H_
