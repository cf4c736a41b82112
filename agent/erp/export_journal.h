// The export journal: which exports (item id, version) the agent applied to
// the ERP and the ERP keys each got. It is a table of the ERP file itself,
// ERPSYNC_EXPORT_JOURNAL, so that the journal row commits in the same SQLite
// transaction as the write it records: after a crash either both are there
// or neither is. Internal to SqliteErpWriter; not thread-safe.
#ifndef ERPSYNC_AGENT_ERP_EXPORT_JOURNAL_H_
#define ERPSYNC_AGENT_ERP_EXPORT_JOURNAL_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "agent/erp/erp_sql.h"
#include "common/status.h"

namespace erpsync::agent {

inline constexpr char kExportJournalTable[] = "ERPSYNC_EXPORT_JOURNAL";

// Item_ID and Version of the export; ERP_Keys its keys joined with
// AppendKeyPart; Applied_At the local time of the write, YYYY-MM-DD
// HH:MM:SS.
inline constexpr char kExportJournalSql[] = R"sql(
CREATE TABLE IF NOT EXISTS ERPSYNC_EXPORT_JOURNAL (
  Item_ID INTEGER NOT NULL,
  Version INTEGER NOT NULL,
  ERP_Keys TEXT NOT NULL,
  Applied_At TEXT NOT NULL,
  PRIMARY KEY (Item_ID, Version))
)sql";

struct JournalEntry {
  int64_t version = 0;
  std::vector<std::string> erp_keys;
  std::string applied_at;
};

// The keys journaled for (item_id, version); nullopt when it was not
// applied.
Result<std::optional<std::vector<std::string>>> FindJournaled(ErpSql& sql, int64_t item_id,
                                                              int64_t version);
// Every journaled version of `item_id`, oldest first.
Result<std::vector<JournalEntry>> JournalOfItem(ErpSql& sql, int64_t item_id);
// Journals (item_id, version) with its keys. A second row for the same
// export is a SQLite constraint failure (INTERNAL).
Status RecordJournal(ErpSql& sql, int64_t item_id, int64_t version,
                     const std::vector<std::string>& erp_keys, const std::string& applied_at);

}  // namespace erpsync::agent

#endif  // ERPSYNC_AGENT_ERP_EXPORT_JOURNAL_H_
