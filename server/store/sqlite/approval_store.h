// SqliteApprovalStore: the ApprovalStore of the SQLite backend (server/store/approval_store.h
// says what each call does), over the Database it is given, which must
// outlive it. Stateless and thread-safe.
#ifndef ERPSYNC_SERVER_STORE_SQLITE_APPROVAL_STORE_H_
#define ERPSYNC_SERVER_STORE_SQLITE_APPROVAL_STORE_H_

#include "server/store/approval_store.h"
#include "server/store/sqlite/database.h"

namespace erpsync::server {

class SqliteApprovalStore final : public ApprovalStore {
 public:
  explicit SqliteApprovalStore(Database* database) : database_(database) {}

  int64_t NowUnix() const override { return database_->NowUnix(); }
  Result<ApprovalItem> InsertItem(ApprovalItem item, HistoryRow history) override;
  Result<ApprovalItem> CommitChange(ApprovalItem changed, HistoryRow history,
                                    const std::vector<OutgoingMail>& mails) override;
  Result<ApprovalItem> GetItem(int64_t company_id, int64_t item_id) override;
  Result<ApprovalItem> GetItemById(int64_t item_id) override;
  Result<ItemPage> ListItems(int64_t company_id, const ItemFilter& filter) override;
  Result<std::map<v1::Queue, int64_t>> CountQueues(int64_t company_id, v1::ItemType type) override;
  Result<std::vector<HistoryRow>> GetHistory(int64_t company_id, int64_t item_id) override;
  Result<std::vector<ApprovalItem>> FindByErpKey(int64_t connection_id, v1::ItemType type,
                                                 const std::string& key) override;
  Result<std::set<std::string>> LinkedKeys(int64_t connection_id, v1::ItemType type) override;
  Result<std::vector<ApprovalItem>> ListQueuedExports(int64_t connection_id, bool include_delivered,
                                                      int limit) override;
  Result<std::set<v1::ItemType>> DirectExportTypes(int64_t company_id) override;
  Status SetDirectExport(int64_t company_id, v1::ItemType type, bool on) override;
  Result<std::vector<ItemStateCount>> CountItemsByState() override;
  Result<std::vector<MailRecipient>> ListRecipients(int64_t company_id) override;
  Result<MailRecipient> GetRecipient(int64_t company_id, int64_t user_id) override;
  Result<MailRecipient> FindRecipient(int64_t company_id, const std::string& user_name) override;
  Result<MailRecipient> SetPreferences(int64_t company_id, int64_t user_id,
                                       std::optional<bool> on_send, std::optional<bool> on_reject,
                                       std::optional<bool> daily_digest) override;

 private:
  Database* database_;
};

}  // namespace erpsync::server

#endif  // ERPSYNC_SERVER_STORE_SQLITE_APPROVAL_STORE_H_
