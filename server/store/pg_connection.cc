#include "server/store/pg_connection.h"

#include <libpq-fe.h>

#include <charconv>
#include <utility>

namespace erpsync::server {
namespace {

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

int64_t PgResult::affected() const {
  const char* count = PQcmdTuples(result_);
  return count == nullptr || *count == '\0' ? 0 : std::stoll(count);
}

Result<std::unique_ptr<PgConnection>> PgConnection::Connect(const std::string& dsn) {
  pg_conn* connection = PQconnectdb(dsn.c_str());
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
  values.reserve(params.size());
  for (const PgParam& param : params) values.push_back(param ? param->c_str() : nullptr);
  const std::string statement(sql);
  PgResult result(PQexecParams(connection_, statement.c_str(), static_cast<int>(values.size()),
                               nullptr, values.data(), nullptr, nullptr, /*resultFormat=*/0));
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
