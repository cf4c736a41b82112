#include "agent/erp/export_journal.h"

#include <utility>

#include "common/record_codec.h"

namespace erpsync::agent {
namespace {

std::string JoinKeys(const std::vector<std::string>& keys) {
  std::string joined;
  for (size_t i = 0; i < keys.size(); ++i) AppendKeyPart(keys[i], i == 0, &joined);
  return joined;
}

std::vector<std::string> SplitKeys(const std::optional<std::string>& joined) {
  if (!joined || joined->empty()) return {};
  return SplitKey(*joined);
}

}  // namespace

Result<std::optional<std::vector<std::string>>> FindJournaled(ErpSql& sql, int64_t item_id,
                                                              int64_t version) {
  ERPSYNC_ASSIGN_OR_RETURN(
      const std::optional<SqlRow> row,
      sql.First("SELECT ERP_Keys FROM ERPSYNC_EXPORT_JOURNAL WHERE Item_ID = ?1 AND Version = ?2",
                {item_id, version}));
  if (!row) return std::optional<std::vector<std::string>>();
  return std::optional<std::vector<std::string>>(SplitKeys((*row)[0]));
}

Result<std::vector<JournalEntry>> JournalOfItem(ErpSql& sql, int64_t item_id) {
  ERPSYNC_ASSIGN_OR_RETURN(const std::vector<SqlRow> rows,
                           sql.All("SELECT Version, ERP_Keys, Applied_At FROM "
                                   "ERPSYNC_EXPORT_JOURNAL WHERE Item_ID = ?1 ORDER BY Version",
                                   {item_id}));
  std::vector<JournalEntry> entries;
  for (const SqlRow& row : rows) {
    JournalEntry entry;
    entry.version = row[0] ? std::stoll(*row[0]) : 0;
    entry.erp_keys = SplitKeys(row[1]);
    entry.applied_at = row[2].value_or("");
    entries.push_back(std::move(entry));
  }
  return entries;
}

Status RecordJournal(ErpSql& sql, int64_t item_id, int64_t version,
                     const std::vector<std::string>& erp_keys, const std::string& applied_at) {
  return sql.Exec(
      "INSERT INTO ERPSYNC_EXPORT_JOURNAL (Item_ID, Version, ERP_Keys, Applied_At) "
      "VALUES (?1, ?2, ?3, ?4)",
      {item_id, version, JoinKeys(erp_keys), applied_at});
}

}  // namespace erpsync::agent
