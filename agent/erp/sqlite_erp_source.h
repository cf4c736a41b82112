// SqliteErpSource: an ErpSource over an SQLite file shaped like Sage 300
// CRE's ODBC view (the sample company, or any copy of ERP data in SQLite).
//
// The file is opened read-only and never created. Reads run in SQLite's WAL
// mode next to processes that write the file: a cursor sees one snapshot and
// never blocks a writer. Like every ErpSource, one thread at a time uses a
// source and its cursors; cursors may outlive the source.
#ifndef ERPSYNC_AGENT_ERP_SQLITE_ERP_SOURCE_H_
#define ERPSYNC_AGENT_ERP_SQLITE_ERP_SOURCE_H_

#include <memory>
#include <string>
#include <vector>

#include "agent/erp/erp_source.h"
#include "common/status.h"

struct sqlite3;

namespace erpsync::agent {

class SqliteErpSource : public ErpSource {
 public:
  // Busy timeout of the connection: how long a read waits for a lock.
  static constexpr int kBusyTimeoutMs = 5000;

  // Opens the existing ERP file at `path` read-only; its text is in
  // `encoding` (the sample company's is UTF-8). NOT_FOUND "ERP database
  // <path> does not exist"; INVALID_ARGUMENT "<path> is not an SQLite
  // database" for a directory or a file in another format; UNAVAILABLE when
  // the file is locked; INTERNAL for other SQLite errors.
  static Result<std::unique_ptr<SqliteErpSource>> Open(
      const std::string& path, TextEncoding encoding = TextEncoding::kUtf8);

  // NOT_FOUND "unknown table <name>" (exact, case-sensitive name). Columns in
  // table order with their declared types.
  Result<TableInfo> DescribeTable(const std::string& table) override;
  // Tables and views, sorted by name, without SQLite's internal tables.
  Result<std::vector<std::string>> ListTables() override;
  // INVALID_ARGUMENT "unknown table <name>", "reading <table>: unknown column
  // <name>", "reading <table>: no columns to read"; UNAVAILABLE when the file
  // is locked; INTERNAL otherwise.
  Result<std::unique_ptr<RowCursor>> Read(const TableRead& read) override;
  // COUNT(*) with the read's WHERE. Codes as Read.
  Result<int64_t> Count(const TableRead& read) override;
  // "sqlite:<path>".
  std::string Describe() const override;
  // "rowid N" of each row (at most 20). A full scan: for the few rows a
  // report names.
  Result<std::vector<std::string>> LocateRows(const std::string& table,
                                              const std::vector<std::string>& columns,
                                              const std::vector<std::string>& values) override;

 private:
  SqliteErpSource(std::string path, std::shared_ptr<sqlite3> db, TextEncoding encoding);

  std::string path_;
  std::shared_ptr<sqlite3> db_;
  TextEncoding encoding_;
};

}  // namespace erpsync::agent

#endif  // ERPSYNC_AGENT_ERP_SQLITE_ERP_SOURCE_H_
