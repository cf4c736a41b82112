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
  std::vector<const char*> values;
  std::vector<int> lengths;
  std::vector<int> formats;
  values.reserve(params.size());
  lengths.reserve(params.size());
  formats.reserve(params.size());
  for (const PgParam& param : params) {
    values.push_back(param.is_null() ? nullptr : param.value().data());
    lengths.push_back(param.is_null() ? 0 : static_cast<int>(param.value().size()));
    formats.push_back(param.binary() ? 1 : 0);
  }
  const int count = static_cast<int>(values.size());
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
          ? PQexecPrepared(connection_, prepared->second.c_str(), count, values.data(),
                           lengths.data(), formats.data(), /*resultFormat=*/0)
          : PQexecParams(connection_, std::string(sql).c_str(), count, nullptr, values.data(),
                         lengths.data(), formats.data(), /*resultFormat=*/0));
  const ExecStatusType status =
      result.result_ != nullptr ? PQresultStatus(result.result_) : PGRES_FATAL_ERROR;
  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
    return ErrorOf(what, result.result_);
  }
  return result;
}

Status PgConnection::ExecScript(std::string_view what, std::string_view sql) {
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

Result<PgTransaction> PgTransaction::Begin(PgConnection* connection, std::string_view isolation) {
  const std::string sql =
      isolation.empty() ? "BEGIN" : "BEGIN ISOLATION LEVEL " + std::string(isolation);
  ERPSYNC_RETURN_IF_ERROR(connection->Exec("beginning a transaction", sql).status());
  return PgTransaction(connection);
}

PgTransaction::~PgTransaction() {
  if (connection_ != nullptr) (void)connection_->Exec("rolling back", "ROLLBACK");
}

Status PgTransaction::Commit() {
  PgConnection* connection = std::exchange(connection_, nullptr);
  if (connection == nullptr) return FailedPreconditionError("the transaction is over");
  return connection->Exec("committing", "COMMIT").status();
}

}  // namespace erpsync::server
