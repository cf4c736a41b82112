#include "agent/erp/odbc_erp_source.h"

#include <sql.h>
#include <sqlext.h>

#include <algorithm>
#include <charconv>
#include <cstdint>
#include <cstring>
#include <utility>
#include <variant>

#include "agent/erp/table_read_sql.h"
#include "common/log.h"

namespace erpsync::agent {

// The environment and connection handles, shared by a source and its cursors.
struct OdbcConnection {
  SQLHENV env = SQL_NULL_HENV;
  SQLHDBC dbc = SQL_NULL_HDBC;
  bool connected = false;

  OdbcConnection() = default;
  OdbcConnection(const OdbcConnection&) = delete;
  OdbcConnection& operator=(const OdbcConnection&) = delete;
  ~OdbcConnection() {
    if (connected) SQLDisconnect(dbc);
    if (dbc != SQL_NULL_HDBC) SQLFreeHandle(SQL_HANDLE_DBC, dbc);
    if (env != SQL_NULL_HENV) SQLFreeHandle(SQL_HANDLE_ENV, env);
  }
};

namespace {

constexpr SQLULEN kLoginTimeoutSeconds = 15;

struct StmtFreer {
  void operator()(void* stmt) const { SQLFreeHandle(SQL_HANDLE_STMT, stmt); }
};
using StmtHandle = std::unique_ptr<void, StmtFreer>;

bool Succeeded(SQLRETURN rc) { return rc == SQL_SUCCESS || rc == SQL_SUCCESS_WITH_INFO; }

SQLCHAR* SqlText(const std::string& text) {
  return reinterpret_cast<SQLCHAR*>(const_cast<char*>(text.c_str()));
}

SQLPOINTER IntegerAttribute(SQLULEN value) {
  return reinterpret_cast<SQLPOINTER>(static_cast<uintptr_t>(value));
}

// "[SQLSTATE] message; ..." of every diagnostic record of `handle`; the
// first SQLSTATE goes to `state`.
std::string Diagnostics(SQLSMALLINT type, SQLHANDLE handle, std::string* state) {
  std::string text;
  for (SQLSMALLINT record = 1;; ++record) {
    SQLCHAR sql_state[6] = {};
    SQLINTEGER native = 0;
    SQLCHAR message[1024] = {};
    SQLSMALLINT length = 0;
    const SQLRETURN rc =
        SQLGetDiagRec(type, handle, record, sql_state, &native, message, sizeof(message), &length);
    if (!Succeeded(rc)) break;
    if (record == 1 && state != nullptr) *state = reinterpret_cast<const char*>(sql_state);
    if (!text.empty()) text += "; ";
    text += '[';
    text += reinterpret_cast<const char*>(sql_state);
    text += "] ";
    text += reinterpret_cast<const char*>(message);
  }
  if (text.empty()) text = "no ODBC diagnostics";
  return text;
}

// UNAVAILABLE for connection loss, timeouts and serialization failures
// (worth retrying), INTERNAL otherwise.
Status OdbcErrorOf(SQLSMALLINT type, SQLHANDLE handle, std::string_view doing);

// An ODBC failure, marked as the ERP's.
Status OdbcError(SQLSMALLINT type, SQLHANDLE handle, std::string_view doing) {
  return OdbcErrorOf(type, handle, doing).WithOrigin(ErrorOrigin::kErp);
}

Status OdbcErrorOf(SQLSMALLINT type, SQLHANDLE handle, std::string_view doing) {
  std::string state;
  std::string message(doing);
  message += ": ";
  message += Diagnostics(type, handle, &state);
  if (state.starts_with("08") || state == "HYT00" || state == "HYT01" || state == "40001") {
    return UnavailableError(std::move(message));
  }
  return InternalError(std::move(message));
}

Status StmtError(SQLHSTMT stmt, std::string_view doing) {
  return OdbcError(SQL_HANDLE_STMT, stmt, doing);
}

Result<StmtHandle> AllocStmt(const OdbcConnection& connection, std::string_view doing) {
  SQLHSTMT stmt = SQL_NULL_HSTMT;
  const SQLRETURN rc = SQLAllocHandle(SQL_HANDLE_STMT, connection.dbc, &stmt);
  if (!Succeeded(rc)) return OdbcError(SQL_HANDLE_DBC, connection.dbc, doing);
  return StmtHandle(stmt);
}

// One fetched cell as text, in a buffer that grows to the longest value seen
// and is reused from row to row (no allocation per row).
class CellBuffer {
 public:
  // Reads column `column` (1-based) of the current row with SQLGetData.
  SQLRETURN Fetch(SQLHSTMT stmt, SQLUSMALLINT column) {
    size_ = 0;
    null_ = false;
    for (;;) {
      if (capacity_ - size_ < 2) Grow(capacity_ * 2);
      const size_t room = capacity_ - size_;
      SQLLEN indicator = 0;
      const SQLRETURN rc = SQLGetData(stmt, column, SQL_C_CHAR, data_.get() + size_,
                                      static_cast<SQLLEN>(room), &indicator);
      if (rc == SQL_NO_DATA) return SQL_SUCCESS;  // the previous call read the rest
      if (!Succeeded(rc)) return rc;
      if (indicator == SQL_NULL_DATA) {
        null_ = true;
        return SQL_SUCCESS;
      }
      if (indicator != SQL_NO_TOTAL && static_cast<size_t>(indicator) < room) {
        size_ += static_cast<size_t>(indicator);
        return SQL_SUCCESS;
      }
      // Truncated: room - 1 bytes and a terminator were written; `indicator`
      // is what was left before this call (or unknown).
      size_ += room - 1;
      const size_t wanted = indicator == SQL_NO_TOTAL
                                ? capacity_ * 2
                                : size_ + (static_cast<size_t>(indicator) - (room - 1)) + 1;
      Grow(std::max(wanted, capacity_ * 2));
    }
  }

  bool null() const { return null_; }
  std::string_view text() const { return {data_.get(), size_}; }

 private:
  void Grow(size_t capacity) {
    auto data = std::make_unique_for_overwrite<char[]>(capacity);
    if (size_ > 0) std::memcpy(data.get(), data_.get(), size_);
    data_ = std::move(data);
    capacity_ = capacity;
  }

  std::unique_ptr<char[]> data_ = std::make_unique_for_overwrite<char[]>(256);
  size_t capacity_ = 256;
  size_t size_ = 0;
  bool null_ = true;
};

// Binds params 1..n to `stmt`; `params` and `lengths` must stay in place until
// the statement has been executed.
Status BindParams(SQLHSTMT stmt, std::vector<SqlValue>* params, std::vector<SQLLEN>* lengths,
                  std::string_view doing) {
  lengths->assign(params->size(), 0);
  for (size_t i = 0; i < params->size(); ++i) {
    const auto number = static_cast<SQLUSMALLINT>(i + 1);
    SQLRETURN rc;
    if (auto* integer = std::get_if<int64_t>(&(*params)[i])) {
      rc = SQLBindParameter(stmt, number, SQL_PARAM_INPUT, SQL_C_SBIGINT, SQL_BIGINT, 0, 0, integer,
                            0, nullptr);
    } else if (auto* text = std::get_if<std::string>(&(*params)[i])) {
      (*lengths)[i] = static_cast<SQLLEN>(text->size());
      rc = SQLBindParameter(stmt, number, SQL_PARAM_INPUT, SQL_C_CHAR, SQL_VARCHAR,
                            std::max<SQLULEN>(text->size(), 1), 0, text->data(), (*lengths)[i],
                            &(*lengths)[i]);
    } else {
      (*lengths)[i] = SQL_NULL_DATA;
      rc = SQLBindParameter(stmt, number, SQL_PARAM_INPUT, SQL_C_CHAR, SQL_VARCHAR, 1, 0, nullptr,
                            0, &(*lengths)[i]);
    }
    if (!Succeeded(rc)) return StmtError(stmt, doing);
  }
  return Status::Ok();
}

class OdbcRowCursor : public RowCursor {
 public:
  OdbcRowCursor(std::shared_ptr<OdbcConnection> connection, std::string table, int64_t limit,
                size_t columns, TextEncoding encoding, const std::vector<bool>& text_columns = {})
      : RowCursor(columns, encoding, text_columns),
        connection_(std::move(connection)),
        table_(std::move(table)),
        limit_(limit),
        buffers_(columns) {}

  // Prepares, binds and executes `rendered`; `doing` prefixes error messages.
  Status Execute(RenderedSql rendered, const std::string& doing) {
    ERPSYNC_ASSIGN_OR_RETURN(stmt_, AllocStmt(*connection_, doing));
    params_ = std::move(rendered.params);
    if (limit_ > 0) {
      // A hint only: drivers may ignore it; Next() stops at the limit anyway.
      SQLSetStmtAttr(stmt_.get(), SQL_ATTR_MAX_ROWS, IntegerAttribute(static_cast<SQLULEN>(limit_)),
                     0);
    }
    if (!Succeeded(SQLPrepare(stmt_.get(), SqlText(rendered.sql), SQL_NTS))) {
      return StmtError(stmt_.get(), doing);
    }
    ERPSYNC_RETURN_IF_ERROR(BindParams(stmt_.get(), &params_, &lengths_, doing));
    const SQLRETURN rc = SQLExecute(stmt_.get());
    if (!Succeeded(rc) && rc != SQL_NO_DATA) return StmtError(stmt_.get(), doing);
    return Status::Ok();
  }

  Result<bool> Next() override {
    if (done_) return false;
    if (limit_ > 0 && rows_ >= limit_) return Finish();
    const SQLRETURN rc = SQLFetch(stmt_.get());
    if (rc == SQL_NO_DATA) return Finish();
    if (!Succeeded(rc)) {
      done_ = true;
      return StmtError(stmt_.get(), "reading " + table_);
    }
    // Every cell as text (the ODBC layer renders numbers and dates).
    uint64_t text_bytes = 0;
    for (size_t i = 0; i < buffers_.size(); ++i) {
      if (!Succeeded(buffers_[i].Fetch(stmt_.get(), static_cast<SQLUSMALLINT>(i + 1)))) {
        done_ = true;
        return StmtError(stmt_.get(), "reading " + table_);
      }
      if (buffers_[i].null()) {
        cells_[i].kind = CellKind::kNull;
      } else {
        text_bytes |= SetText(&cells_[i], buffers_[i].text()) & text_masks_[i];
      }
    }
    if ((text_bytes & kNotAscii) != 0) DecodeRow();
    ++rows_;
    ++position_;
    return true;
  }

 private:
  bool Finish() {
    done_ = true;
    SQLCloseCursor(stmt_.get());
    return false;
  }

  std::shared_ptr<OdbcConnection> connection_;
  std::string table_;
  int64_t limit_;
  // Bound to the statement: must outlive its execution.
  std::vector<SqlValue> params_;
  std::vector<SQLLEN> lengths_;
  StmtHandle stmt_;
  std::vector<CellBuffer> buffers_;
  int64_t rows_ = 0;
  bool done_ = false;
};

bool EqualsIgnoringCase(std::string_view a, std::string_view b) {
  return std::equal(a.begin(), a.end(), b.begin(), b.end(), [](char x, char y) {
    const auto lower = [](char c) {
      return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
    };
    return lower(x) == lower(y);
  });
}

std::string_view TrimBlanks(std::string_view text) {
  while (!text.empty() && text.front() == ' ') text.remove_prefix(1);
  while (!text.empty() && text.back() == ' ') text.remove_suffix(1);
  return text;
}

struct ConnectionAttribute {
  std::string_view text;   // "PWD=secret"
  std::string_view value;  // "secret"
  bool is_password = false;
};

// The attributes of a connection string: split at ';' outside braces.
std::vector<ConnectionAttribute> SplitConnectionString(std::string_view connection_string) {
  std::vector<ConnectionAttribute> attributes;
  size_t start = 0;
  while (start < connection_string.size()) {
    size_t end = start;
    bool braced = false;
    while (end < connection_string.size() && (braced || connection_string[end] != ';')) {
      if (connection_string[end] == '{') braced = true;
      if (connection_string[end] == '}') braced = false;
      ++end;
    }
    ConnectionAttribute attribute;
    attribute.text = connection_string.substr(start, end - start);
    const size_t equals = attribute.text.find('=');
    if (equals != std::string_view::npos) {
      const std::string_view key = TrimBlanks(attribute.text.substr(0, equals));
      attribute.value = attribute.text.substr(equals + 1);
      attribute.is_password = EqualsIgnoringCase(key, "PWD") || EqualsIgnoringCase(key, "PASSWORD");
    }
    attributes.push_back(attribute);
    start = end + 1;
  }
  return attributes;
}

// `text` (a driver's diagnostics) with any password of `connection_string`
// replaced by "***", in case the driver echoes it.
std::string ScrubPasswords(std::string text, std::string_view connection_string) {
  for (const ConnectionAttribute& attribute : SplitConnectionString(connection_string)) {
    if (!attribute.is_password) continue;
    std::string_view value = TrimBlanks(attribute.value);
    if (value.size() >= 2 && value.front() == '{' && value.back() == '}') {
      value = value.substr(1, value.size() - 2);
    }
    if (value.empty()) continue;
    for (size_t at = text.find(value); at != std::string::npos; at = text.find(value, at + 3)) {
      text.replace(at, value.size(), "***");
    }
  }
  return text;
}

}  // namespace

std::string RedactOdbcConnectionString(std::string_view connection_string) {
  std::string out;
  for (const ConnectionAttribute& attribute : SplitConnectionString(connection_string)) {
    if (!out.empty()) out += ';';
    if (attribute.is_password) {
      out.append(attribute.text.substr(0, attribute.text.size() - attribute.value.size()));
      out += "***";
    } else {
      out.append(attribute.text);
    }
  }
  if (connection_string.ends_with(';')) out += ';';
  return out;
}

OdbcErpSource::OdbcErpSource(std::shared_ptr<OdbcConnection> connection, std::string description,
                             TextEncoding encoding)
    : connection_(std::move(connection)),
      description_(std::move(description)),
      encoding_(encoding) {}

OdbcErpSource::~OdbcErpSource() = default;

Result<std::unique_ptr<OdbcErpSource>> OdbcErpSource::Connect(const std::string& connection_string,
                                                             TextEncoding encoding) {
  if (connection_string.empty()) {
    return InvalidArgumentError("ODBC connection string is empty");
  }
  const std::string redacted = RedactOdbcConnectionString(connection_string);
  const std::string doing = "connecting to ODBC " + redacted;
  auto connection = std::make_shared<OdbcConnection>();
  if (!Succeeded(SQLAllocHandle(SQL_HANDLE_ENV, SQL_NULL_HANDLE, &connection->env))) {
    return UnavailableError(doing + ": cannot allocate an ODBC environment")
        .WithOrigin(ErrorOrigin::kErp);
  }
  if (!Succeeded(SQLSetEnvAttr(connection->env, SQL_ATTR_ODBC_VERSION,
                               IntegerAttribute(SQL_OV_ODBC3), 0))) {
    return OdbcError(SQL_HANDLE_ENV, connection->env, doing);
  }
  if (!Succeeded(SQLAllocHandle(SQL_HANDLE_DBC, connection->env, &connection->dbc))) {
    return OdbcError(SQL_HANDLE_ENV, connection->env, doing);
  }
  SQLSetConnectAttr(connection->dbc, SQL_ATTR_LOGIN_TIMEOUT, IntegerAttribute(kLoginTimeoutSeconds),
                    0);
  // The agent only reads; drivers that honour this open the data read-only.
  SQLSetConnectAttr(connection->dbc, SQL_ATTR_ACCESS_MODE, IntegerAttribute(SQL_MODE_READ_ONLY), 0);
  SQLCHAR completed[1024];
  SQLSMALLINT completed_length = 0;
  const SQLRETURN rc =
      SQLDriverConnect(connection->dbc, nullptr, SqlText(connection_string),
                       static_cast<SQLSMALLINT>(std::min<size_t>(connection_string.size(), 32767)),
                       completed, sizeof(completed), &completed_length, SQL_DRIVER_NOPROMPT);
  if (!Succeeded(rc)) {
    return UnavailableError(doing + ": " +
                            ScrubPasswords(Diagnostics(SQL_HANDLE_DBC, connection->dbc, nullptr),
                                           connection_string))
        .WithOrigin(ErrorOrigin::kErp);
  }
  connection->connected = true;
  ERPSYNC_LOG(kDebug) << "connected to ODBC " << redacted;
  return std::unique_ptr<OdbcErpSource>(
      new OdbcErpSource(std::move(connection), "odbc:" + redacted, encoding));
}

Result<TableInfo> OdbcErpSource::DescribeTable(const std::string& table) {
  if (const auto cached = tables_.find(table); cached != tables_.end()) return cached->second;
  const std::string doing = "describing " + table;
  ERPSYNC_ASSIGN_OR_RETURN(StmtHandle stmt, AllocStmt(*connection_, doing));
  // The table name is a search pattern ('_' matches any character): rows of
  // other tables are filtered out below.
  if (!Succeeded(
          SQLColumns(stmt.get(), nullptr, 0, nullptr, 0, SqlText(table), SQL_NTS, nullptr, 0))) {
    return StmtError(stmt.get(), doing);
  }
  struct Column {
    int64_t position;
    ColumnInfo info;
  };
  std::vector<Column> columns;
  CellBuffer table_name, column_name, type_name, column_size, decimal_digits, position;
  SQLRETURN rc;
  while ((rc = SQLFetch(stmt.get())) != SQL_NO_DATA) {
    if (!Succeeded(rc) || !Succeeded(table_name.Fetch(stmt.get(), 3)) ||
        !Succeeded(column_name.Fetch(stmt.get(), 4)) ||
        !Succeeded(type_name.Fetch(stmt.get(), 6)) ||
        !Succeeded(column_size.Fetch(stmt.get(), 7)) ||
        !Succeeded(decimal_digits.Fetch(stmt.get(), 9)) ||
        !Succeeded(position.Fetch(stmt.get(), 17))) {
      return StmtError(stmt.get(), doing);
    }
    if (table_name.text() != table) continue;
    std::string declared(type_name.text());
    if ((EqualsIgnoringCase(declared, "DECIMAL") || EqualsIgnoringCase(declared, "NUMERIC")) &&
        !column_size.null()) {
      declared += "(" + std::string(column_size.text());
      if (!decimal_digits.null()) declared += "," + std::string(decimal_digits.text());
      declared += ")";
    }
    int64_t ordinal = 0;
    std::from_chars(position.text().data(), position.text().data() + position.text().size(),
                    ordinal);
    columns.push_back({ordinal, {std::string(column_name.text()), std::move(declared)}});
  }
  if (columns.empty()) return NotFoundError("unknown table " + table);
  std::stable_sort(columns.begin(), columns.end(),
                   [](const Column& a, const Column& b) { return a.position < b.position; });
  TableInfo info;
  info.name = table;
  for (Column& column : columns) info.columns.push_back(std::move(column.info));
  tables_.emplace(table, info);
  return info;
}

Result<std::vector<std::string>> OdbcErpSource::ListTables() {
  const std::string doing = "listing tables";
  ERPSYNC_ASSIGN_OR_RETURN(StmtHandle stmt, AllocStmt(*connection_, doing));
  const std::string types = "TABLE,VIEW";
  if (!Succeeded(
          SQLTables(stmt.get(), nullptr, 0, nullptr, 0, nullptr, 0, SqlText(types), SQL_NTS))) {
    return StmtError(stmt.get(), doing);
  }
  std::vector<std::string> tables;
  CellBuffer name;
  SQLRETURN rc;
  while ((rc = SQLFetch(stmt.get())) != SQL_NO_DATA) {
    if (!Succeeded(rc) || !Succeeded(name.Fetch(stmt.get(), 3))) {
      return StmtError(stmt.get(), doing);
    }
    tables.emplace_back(name.text());
  }
  std::sort(tables.begin(), tables.end());
  return tables;
}

Result<std::unique_ptr<RowCursor>> OdbcErpSource::Read(const TableRead& read) {
  ERPSYNC_RETURN_IF_ERROR(CheckTableRead(*this, read, /*need_columns=*/true));
  auto cursor =
      std::make_unique<OdbcRowCursor>(connection_, read.table, read.limit, read.columns.size(),
                                      encoding_, read.text_columns);
  ERPSYNC_RETURN_IF_ERROR(
      cursor->Execute(RenderSelect(read, kOdbcDialect), "reading " + read.table));
  return std::unique_ptr<RowCursor>(std::move(cursor));
}

Result<int64_t> OdbcErpSource::Count(const TableRead& read) {
  ERPSYNC_RETURN_IF_ERROR(CheckTableRead(*this, read, /*need_columns=*/false));
  OdbcRowCursor cursor(connection_, read.table, 0, 1, encoding_);
  ERPSYNC_RETURN_IF_ERROR(
      cursor.Execute(RenderCount(read, kOdbcDialect), "counting " + read.table));
  ERPSYNC_ASSIGN_OR_RETURN(const bool has_row, cursor.Next());
  if (!has_row || cursor.Kind(0) == CellKind::kNull) {
    return InternalError("counting " + read.table + ": COUNT(*) returned no value");
  }
  // Cells come as text; drivers may pad them.
  std::string_view text = cursor.Text(0);
  while (!text.empty() && text.front() == ' ') text.remove_prefix(1);
  int64_t count = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), count);
  if (ec != std::errc() || text.empty()) {
    return InternalError("counting " + read.table + ": COUNT(*) returned '" + std::string(text) +
                         "'");
  }
  return count;
}

std::string OdbcErpSource::Describe() const { return description_; }

}  // namespace erpsync::agent
