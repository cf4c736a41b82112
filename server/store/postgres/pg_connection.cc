#include "server/store/postgres/pg_connection.h"

#include <libpq-fe.h>

#include <algorithm>
#include <charconv>
#include <utility>

namespace erpsync::server {
namespace {

// Distinct statements a connection keeps prepared; more run unprepared (a
// bound on what statements built at run time could cost).
constexpr size_t kMaxPreparedStatements = 256;

// The first line of libpq's message, without the "ERROR:  " prefix.
std::string CleanMessage(const char* message) {
  std::string text = message != nullptr ? message : "";
  if (text.rfind("ERROR:  ", 0) == 0) text = text.substr(8);
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
  return text;
}

// The parameter arrays libpq takes, pointing into `params` (which must
// outlive them).
struct ParamArrays {
  explicit ParamArrays(const std::vector<PgParam>& params) {
    values.reserve(params.size());
    lengths.reserve(params.size());
    formats.reserve(params.size());
    for (const PgParam& param : params) {
      values.push_back(param.is_null() ? nullptr : param.value().data());
      lengths.push_back(param.is_null() ? 0 : static_cast<int>(param.value().size()));
      formats.push_back(param.binary() ? 1 : 0);
    }
  }
  int count() const { return static_cast<int>(values.size()); }

  std::vector<const char*> values;
  std::vector<int> lengths;
  std::vector<int> formats;
};

StatusCode CodeOf(std::string_view sqlstate) {
  if (sqlstate.starts_with("08") || sqlstate.starts_with("57P0")) return StatusCode::kUnavailable;
  if (sqlstate == "40001" || sqlstate == "40P01") return StatusCode::kAborted;
  if (sqlstate == "23505") return StatusCode::kAlreadyExists;
  if (sqlstate.starts_with("23")) return StatusCode::kFailedPrecondition;
  // Class 53, insufficient resources: disk full (53100), out of memory,
  // too many connections. The server's capacity, not a fault of the call.
  if (sqlstate.starts_with("53")) return StatusCode::kResourceExhausted;
  return StatusCode::kInternal;
}

}  // namespace

PgResult::PgResult(PgResult&& other) noexcept : result_(std::exchange(other.result_, nullptr)) {}

PgResult& PgResult::operator=(PgResult&& other) noexcept {
  if (this != &other) {
    if (result_ != nullptr) PQclear(result_);
    result_ = std::exchange(other.result_, nullptr);
  }
  return *this;
}

PgResult::~PgResult() {
  if (result_ != nullptr) PQclear(result_);
}

int PgResult::rows() const { return PQntuples(result_); }
int PgResult::columns() const { return PQnfields(result_); }
bool PgResult::IsNull(int row, int column) const { return PQgetisnull(result_, row, column) != 0; }

std::string_view PgResult::Text(int row, int column) const {
  return std::string_view(PQgetvalue(result_, row, column),
                          static_cast<size_t>(PQgetlength(result_, row, column)));
}

Result<int64_t> PgResult::Int64(int row, int column) const {
  const std::string_view text = Text(row, column);
  int64_t value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (IsNull(row, column) || error != std::errc() || end != text.data() + text.size()) {
    return InternalError("column " + std::string(PQfname(result_, column)) + " of row " +
                         std::to_string(row) + ": '" + std::string(text) +
                         "' is not a 64-bit integer");
  }
  return value;
}

int64_t PgResult::Int(int row, int column) const {
  Result<int64_t> value = Int64(row, column);
  return value.ok() ? *value : 0;
}

bool PgResult::Bool(int row, int column) const {
  const std::string_view text = Text(row, column);
  return !text.empty() && text.front() == 't';
}

std::string PgResult::Bytes(int row, int column) const {
  size_t size = 0;
  unsigned char* bytes =
      PQunescapeBytea(reinterpret_cast<const unsigned char*>(PQgetvalue(result_, row, column)),
                      &size);
  if (bytes == nullptr) return {};
  std::string value(reinterpret_cast<const char*>(bytes), size);
  PQfreemem(bytes);
  return value;
}

int64_t PgResult::affected() const {
  const char* count = PQcmdTuples(result_);
  return count == nullptr || *count == '\0' ? 0 : std::stoll(count);
}

Result<std::unique_ptr<PgConnection>> PgConnection::Connect(const std::string& dsn,
                                                           const std::string& password) {
  // The DSN is expanded (expand_dbname); a password given apart comes after
  // it and wins.
  const char* keywords[] = {"dbname", password.empty() ? nullptr : "password", nullptr};
  const char* values[] = {dsn.c_str(), password.empty() ? nullptr : password.c_str(), nullptr};
  pg_conn* connection = PQconnectdbParams(keywords, values, /*expand_dbname=*/1);
  if (connection == nullptr) return UnavailableError("connecting to PostgreSQL: out of memory");
  const std::string description = std::string(PQhost(connection) ? PQhost(connection) : "") +
                                  ":" + (PQport(connection) ? PQport(connection) : "") + "/" +
                                  (PQdb(connection) ? PQdb(connection) : "");
  if (PQstatus(connection) != CONNECTION_OK) {
    const std::string message = CleanMessage(PQerrorMessage(connection));
    PQfinish(connection);
    return UnavailableError("connecting to PostgreSQL " + description + ": " + message);
  }
  // Notices ("table does not exist, skipping") are not errors: not printed.
  PQsetNoticeProcessor(connection, [](void*, const char*) {}, nullptr);
  return std::unique_ptr<PgConnection>(new PgConnection(connection, description));
}

Result<bool> PgConnection::DsnHasPassword(const std::string& dsn) {
  if (dsn.find("password") != std::string::npos) return true;
  char* error = nullptr;
  PQconninfoOption* options = PQconninfoParse(dsn.c_str(), &error);
  if (options == nullptr) {
    const std::string message =
        error != nullptr ? CleanMessage(error) : "out of memory parsing the connection string";
    if (error != nullptr) PQfreemem(error);
    return InvalidArgumentError(message);
  }
  bool has_password = false;
  for (const PQconninfoOption* option = options; option->keyword != nullptr; ++option) {
    if (std::string_view(option->keyword) == "password" && option->val != nullptr &&
        *option->val != '\0') {
      has_password = true;
    }
  }
  PQconninfoFree(options);
  return has_password;
}

PgConnection::~PgConnection() { PQfinish(connection_); }

Status PgConnection::ErrorOf(std::string_view what, pg_result* result) const {
  const char* sqlstate = result != nullptr ? PQresultErrorField(result, PG_DIAG_SQLSTATE) : nullptr;
  const std::string message = CleanMessage(result != nullptr ? PQresultErrorMessage(result)
                                                             : PQerrorMessage(connection_));
  // No SQLSTATE: libpq itself failed (the connection broke).
  const StatusCode code =
      sqlstate != nullptr ? CodeOf(sqlstate)
                          : (PQstatus(connection_) == CONNECTION_OK ? StatusCode::kInternal
                                                                    : StatusCode::kUnavailable);
  return Status(code, std::string(what) + " (PostgreSQL " + description_ + "): " + message);
}

Result<PgResult> PgConnection::Exec(std::string_view what, std::string_view sql,
                                    const std::vector<PgParam>& params) {
  if (!pending_begin_.empty()) {
    ERPSYNC_ASSIGN_OR_RETURN(std::vector<PgResult> results,
                             ExecPipeline(what, {PgStatement{sql, params}}));
    return std::move(results.front());
  }
  const ParamArrays arrays(params);
  auto prepared = prepared_.find(sql);
  if (prepared == prepared_.end() && prepared_.size() < kMaxPreparedStatements) {
    const std::string name = "s" + std::to_string(prepared_.size());
    PgResult made(PQprepare(connection_, name.c_str(), std::string(sql).c_str(), 0, nullptr));
    if (made.result_ == nullptr || PQresultStatus(made.result_) != PGRES_COMMAND_OK) {
      return ErrorOf(what, made.result_);
    }
    prepared = prepared_.emplace(std::string(sql), name).first;
  }
  PgResult result(
      prepared != prepared_.end()
          ? PQexecPrepared(connection_, prepared->second.c_str(), arrays.count(),
                           arrays.values.data(), arrays.lengths.data(), arrays.formats.data(),
                           /*resultFormat=*/0)
          : PQexecParams(connection_, std::string(sql).c_str(), arrays.count(), nullptr,
                         arrays.values.data(), arrays.lengths.data(), arrays.formats.data(),
                         /*resultFormat=*/0));
  const ExecStatusType status =
      result.result_ != nullptr ? PQresultStatus(result.result_) : PGRES_FATAL_ERROR;
  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
    return ErrorOf(what, result.result_);
  }
  return result;
}

Result<std::vector<PgResult>> PgConnection::ExecPipeline(
    std::string_view what, const std::vector<PgStatement>& statements) {
  size_t failed_at = 0;
  if (pending_begin_.empty()) return RunPipeline(what, statements, &failed_at);
  // The transaction's BEGIN goes first, in the same round trip.
  const std::string begin = std::exchange(pending_begin_, "");
  std::vector<PgStatement> with_begin;
  with_begin.reserve(statements.size() + 1);
  with_begin.push_back(PgStatement{begin, {}, "beginning a transaction"});
  with_begin.insert(with_begin.end(), statements.begin(), statements.end());
  Result<std::vector<PgResult>> results = RunPipeline(what, with_begin, &failed_at);
  begun_ = failed_at != 0;
  if (!results.ok()) return results.status();
  results->erase(results->begin());
  return results;
}

Result<std::vector<PgResult>> PgConnection::RunPipeline(std::string_view what,
                                                        const std::vector<PgStatement>& statements,
                                                        size_t* failed_at) {
  *failed_at = 0;
  if (PQenterPipelineMode(connection_) != 1) return ErrorOf(what, nullptr);
  // What was sent, in order: a statement's preparation, or the statement.
  struct Sent {
    size_t statement;
    bool prepare;
  };
  std::vector<Sent> sent;
  sent.reserve(2 * statements.size());
  bool sending = true;
  for (size_t i = 0; sending && i < statements.size(); ++i) {
    const PgStatement& statement = statements[i];
    const std::string sql(statement.sql);
    const ParamArrays arrays(statement.params);
    auto prepared = prepared_.find(statement.sql);
    if (prepared == prepared_.end() && prepared_.size() < kMaxPreparedStatements) {
      const std::string name = "s" + std::to_string(prepared_.size());
      sending = PQsendPrepare(connection_, name.c_str(), sql.c_str(), 0, nullptr) == 1;
      if (!sending) break;
      sent.push_back({i, true});
      // Forgotten again below unless the preparation succeeds.
      prepared = prepared_.emplace(sql, name).first;
    }
    sending = (prepared != prepared_.end()
                   ? PQsendQueryPrepared(connection_, prepared->second.c_str(), arrays.count(),
                                         arrays.values.data(), arrays.lengths.data(),
                                         arrays.formats.data(), /*resultFormat=*/0)
                   : PQsendQueryParams(connection_, sql.c_str(), arrays.count(), nullptr,
                                       arrays.values.data(), arrays.lengths.data(),
                                       arrays.formats.data(), /*resultFormat=*/0)) == 1;
    if (sending) sent.push_back({i, false});
  }
  Status failure = Status::Ok();
  if (!sending) {
    failure = ErrorOf(what, nullptr);
    *failed_at = sent.empty() ? 0 : sent.back().statement + (sent.back().prepare ? 0 : 1);
  }
  // The sync ends the pipeline (and, after an error, the skipping).
  const bool synced = PQpipelineSync(connection_) == 1 && PQflush(connection_) == 0;
  if (!synced && failure.ok()) failure = ErrorOf(what, nullptr);
  std::vector<PgResult> results;
  results.reserve(statements.size());
  for (const Sent& item : sent) {
    if (!synced) break;
    pg_result* raw = PQgetResult(connection_);
    if (raw == nullptr) {  // the connection broke
      if (failure.ok()) {
        failure = ErrorOf(what, nullptr);
        *failed_at = item.statement;
      }
      break;
    }
    PgResult result(raw);
    const ExecStatusType status = PQresultStatus(raw);
    const bool good = status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK;
    if (!good && failure.ok()) {
      const PgStatement& statement = statements[item.statement];
      failure = ErrorOf(statement.what.empty() ? what : statement.what, raw);
      *failed_at = item.statement;
    }
    if (item.prepare && !good) prepared_.erase(prepared_.find(statements[item.statement].sql));
    if (!item.prepare) results.push_back(std::move(result));
    // The null that ends the item's results.
    while (pg_result* extra = PQgetResult(connection_)) PQclear(extra);
  }
  if (synced && healthy()) {
    // The sync's own result.
    while (pg_result* raw = PQgetResult(connection_)) {
      const bool sync = PQresultStatus(raw) == PGRES_PIPELINE_SYNC;
      PQclear(raw);
      if (sync) break;
    }
  }
  PQexitPipelineMode(connection_);
  if (!failure.ok()) return failure;
  *failed_at = statements.size();
  return results;
}

void PgConnection::ExecAtCommit(std::string_view what, std::string_view sql,
                                std::vector<PgParam> params) {
  at_commit_.push_back(AtCommit{std::string(what), std::string(sql), std::move(params)});
}

Status PgConnection::SendPendingBegin() {
  if (pending_begin_.empty()) return Status::Ok();
  const std::string begin = std::exchange(pending_begin_, "");
  ERPSYNC_RETURN_IF_ERROR(Exec("beginning a transaction", begin).status());
  begun_ = true;
  return Status::Ok();
}

Status PgConnection::ExecScript(std::string_view what, std::string_view sql) {
  ERPSYNC_RETURN_IF_ERROR(SendPendingBegin());
  const std::string script(sql);
  PgResult result(PQexec(connection_, script.c_str()));
  const ExecStatusType status =
      result.result_ != nullptr ? PQresultStatus(result.result_) : PGRES_FATAL_ERROR;
  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
    return ErrorOf(what, result.result_);
  }
  return Status::Ok();
}

Status PgConnection::CopyIn(std::string_view what, std::string_view sql, std::string_view data) {
  // COPY cannot be pipelined.
  ERPSYNC_RETURN_IF_ERROR(SendPendingBegin());
  PgResult started(PQexec(connection_, std::string(sql).c_str()));
  if (started.result_ == nullptr || PQresultStatus(started.result_) != PGRES_COPY_IN) {
    return ErrorOf(what, started.result_);
  }
  constexpr size_t kChunk = 1 << 20;
  bool sent = true;
  for (size_t offset = 0; sent && offset < data.size(); offset += kChunk) {
    const size_t size = std::min(kChunk, data.size() - offset);
    sent = PQputCopyData(connection_, data.data() + offset, static_cast<int>(size)) == 1;
  }
  if (PQputCopyEnd(connection_, sent ? nullptr : "client failed to send") != 1) {
    return ErrorOf(what, nullptr);
  }
  Status status = Status::Ok();
  // The COPY's own result, then the null that ends the command.
  while (pg_result* raw = PQgetResult(connection_)) {
    PgResult result(raw);
    if (status.ok() && PQresultStatus(raw) != PGRES_COMMAND_OK) status = ErrorOf(what, raw);
  }
  return status;
}

bool PgConnection::healthy() const { return PQstatus(connection_) == CONNECTION_OK; }

int PgConnection::socket() const { return PQsocket(connection_); }

Status PgConnection::ConsumeInput() {
  if (PQconsumeInput(connection_) == 1) return Status::Ok();
  return UnavailableError("reading notifications (PostgreSQL " + description_ +
                          "): " + CleanMessage(PQerrorMessage(connection_)));
}

std::optional<std::string> PgConnection::NextNotification() {
  PGnotify* notification = PQnotifies(connection_);
  if (notification == nullptr) return std::nullopt;
  std::string payload = notification->extra != nullptr ? notification->extra : "";
  PQfreemem(notification);
  return payload;
}

int PgConnection::server_version() const { return PQserverVersion(connection_); }

Result<PgTransaction> PgTransaction::Begin(PgConnection* connection, std::string_view isolation,
                                           BeginMode mode) {
  std::string sql = isolation.empty() ? "BEGIN" : "BEGIN ISOLATION LEVEL " + std::string(isolation);
  connection->at_commit_.clear();
  connection->begun_ = false;
  if (mode == BeginMode::kWithFirstStatement) {
    connection->pending_begin_ = std::move(sql);
    return PgTransaction(connection);
  }
  connection->pending_begin_.clear();
  ERPSYNC_RETURN_IF_ERROR(connection->Exec("beginning a transaction", sql).status());
  connection->begun_ = true;
  return PgTransaction(connection);
}

PgTransaction::~PgTransaction() {
  if (connection_ == nullptr) return;
  connection_->at_commit_.clear();
  // A BEGIN never sent began nothing.
  if (connection_->pending_begin_.empty()) (void)connection_->Exec("rolling back", "ROLLBACK");
  connection_->pending_begin_.clear();
  connection_->begun_ = false;
}

Status PgTransaction::Commit() {
  PgConnection* connection = std::exchange(connection_, nullptr);
  if (connection == nullptr) return FailedPreconditionError("the transaction is over");
  std::vector<PgConnection::AtCommit> at_commit = std::exchange(connection->at_commit_, {});
  if (!connection->pending_begin_.empty() && at_commit.empty()) {
    // Nothing was sent: an empty transaction, nothing to commit.
    connection->pending_begin_.clear();
    return Status::Ok();
  }
  std::vector<PgStatement> statements;
  statements.reserve(at_commit.size() + 1);
  for (const PgConnection::AtCommit& statement : at_commit) {
    statements.push_back(PgStatement{statement.sql, statement.params, statement.what});
  }
  statements.push_back(PgStatement{"COMMIT", {}, "committing"});
  Result<std::vector<PgResult>> committed = connection->ExecPipeline("committing", statements);
  connection->begun_ = false;
  if (!committed.ok() && connection->healthy()) {
    // A statement before COMMIT failed, so COMMIT was skipped and the
    // transaction is still open (aborted): end it. (A failed COMMIT has
    // ended it already; the ROLLBACK then only warns.)
    (void)connection->Exec("rolling back", "ROLLBACK");
  }
  return committed.status();
}

}  // namespace erpsync::server
