// The unposted-entry tables of a Sage-shaped SQLite ERP: where the entries
// SqliteErpWriter writes (estimates, estimate changes, prime contract change
// orders, AP invoices) wait until an accountant posts them, as in Sage's
// entry screens. Stand-in names following the ODBC pattern. Constant data;
// thread-safe.
#ifndef ERPSYNC_AGENT_ERP_UNPOSTED_ENTRY_TABLES_H_
#define ERPSYNC_AGENT_ERP_UNPOSTED_ENTRY_TABLES_H_

#include <span>
#include <string_view>

namespace erpsync::agent {

// One unposted-entry table. The DDL is idempotent (CREATE ... IF NOT
// EXISTS), so it also completes companies created before these tables
// existed.
struct UnpostedEntryTableDef {
  std::string_view name;
  std::string_view create_sql;
  // CREATE INDEX IF NOT EXISTS on the table's Batch column.
  std::string_view batch_index_sql;
};

// The tables in creation order. A new sample company has none (no mapping
// reads them); SqliteErpWriter creates them, empty, the first time it opens
// a company, and the sample's PostSampleEntries empties them.
std::span<const UnpostedEntryTableDef> UnpostedEntryTables();

}  // namespace erpsync::agent

#endif  // ERPSYNC_AGENT_ERP_UNPOSTED_ENTRY_TABLES_H_
