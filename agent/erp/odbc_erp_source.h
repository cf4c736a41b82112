// OdbcErpSource: an ErpSource over an ODBC data source through unixODBC -
// Sage 300 CRE's ODBC layer on real installs, or any driver such as the
// SQLite ODBC driver in tests.
//
// Speaks plain ODBC SQL: double-quoted identifiers, `?` parameters bound as
// SQL_C_CHAR or SQL_C_SBIGINT, tuple bounds expanded into AND/OR (no row
// values), no LIMIT clause (the cursor stops after TableRead::limit rows and
// SQL_ATTR_MAX_ROWS asks the driver to do the same). Every cell is fetched
// as text: Kind() is kNull or kText. Tables and columns come from the ODBC
// catalog (SQLTables, SQLColumns) and are cached for the source's lifetime.
// Like every ErpSource, one thread at a time uses a source and its cursors;
// cursors may outlive the source.
#ifndef ERPSYNC_AGENT_ERP_ODBC_ERP_SOURCE_H_
#define ERPSYNC_AGENT_ERP_ODBC_ERP_SOURCE_H_

#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "agent/erp/erp_source.h"
#include "common/status.h"

namespace erpsync::agent {

struct OdbcConnection;

class OdbcErpSource : public ErpSource {
 public:
  // Connects with SQLDriverConnect (no prompt), e.g.
  // "DSN=Sage300;UID=erpsync;PWD=..." or "Driver=/path/driver.so;Database=x.db".
  // Text cells arrive in `encoding` (Sage 300 CRE on Windows: Windows-1252).
  // INVALID_ARGUMENT for an empty connection string; UNAVAILABLE when the
  // driver manager, the driver or the data source cannot connect (the message
  // has the ODBC diagnostics and the connection string without its password).
  static Result<std::unique_ptr<OdbcErpSource>> Connect(
      const std::string& connection_string, TextEncoding encoding = TextEncoding::kWindows1252);

  ~OdbcErpSource() override;

  // NOT_FOUND "unknown table <name>"; UNAVAILABLE for connection failures,
  // INTERNAL for other ODBC errors (with diagnostics).
  Result<TableInfo> DescribeTable(const std::string& table) override;
  // Tables and views, sorted by name.
  Result<std::vector<std::string>> ListTables() override;
  // INVALID_ARGUMENT "unknown table <name>", "reading <table>: unknown column
  // <name>", "reading <table>: no columns to read"; UNAVAILABLE for
  // connection failures and timeouts (SQLSTATE 08xxx, HYT00, HYT01, 40001);
  // INTERNAL for other ODBC errors.
  Result<std::unique_ptr<RowCursor>> Read(const TableRead& read) override;
  // COUNT(*) with the read's WHERE. Codes as Read.
  Result<int64_t> Count(const TableRead& read) override;
  // "odbc:<connection string without password>".
  std::string Describe() const override;

 private:
  OdbcErpSource(std::shared_ptr<OdbcConnection> connection, std::string description,
                TextEncoding encoding);

  std::shared_ptr<OdbcConnection> connection_;
  std::string description_;
  TextEncoding encoding_;
  std::map<std::string, TableInfo, std::less<>> tables_;
};

// `connection_string` with the values of PWD and PASSWORD (any case)
// replaced by "***", for logs and messages.
std::string RedactOdbcConnectionString(std::string_view connection_string);

}  // namespace erpsync::agent

#endif  // ERPSYNC_AGENT_ERP_ODBC_ERP_SOURCE_H_
