// ApprovalStore: the items of the ERP Integrations approval queues, their
// audit history, the per-company settings (direct export) and the users'
// notification preferences. Storage only: which changes are allowed is
// decided by server/approval/. A stateless view of the Database it is given
// (which must outlive it); thread-safe. Every call may also return INTERNAL
// (or UNAVAILABLE when the file is locked) for store failures.
//
// Optimistic concurrency: CommitChange writes an item only if its stored
// version is still the one the change was computed from, and writes the
// change, its history row and the emails it causes (the transactional
// outbox) in one transaction: all of them or none.
#ifndef ERPSYNC_SERVER_STORE_APPROVAL_STORE_H_
#define ERPSYNC_SERVER_STORE_APPROVAL_STORE_H_

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "common/status.h"
#include "server/store/approval_types.h"

namespace erpsync::server {

class ApprovalStore {
 public:
  virtual ~ApprovalStore() = default;

  // The store's clock (seconds since the Unix epoch).
  virtual int64_t NowUnix() const = 0;

  // Stores a new item at version 1 (item.id and item.version are ignored;
  // created/updated times are now) with `history` as its first history row.
  // Returns the item as stored. ALREADY_EXISTS when item.erp_key is set and
  // another item of the type already links that ERP record.
  virtual Result<ApprovalItem> InsertItem(ApprovalItem item, HistoryRow history) = 0;

  // Writes `changed` over the stored item of the same id and company, where
  // changed.version is the version the change was computed from; the stored
  // item becomes version + 1 (updated now), `history` is appended with that
  // version and `mails` go into the outbox, all in one transaction. Returns
  // the item as stored. FAILED_PRECONDITION "item 7 changed since version 3
  // (now 4); reload and retry" when the version moved on; NOT_FOUND when
  // the company has no such item; ALREADY_EXISTS for a taken ERP link.
  virtual Result<ApprovalItem> CommitChange(ApprovalItem changed, HistoryRow history,
                                    const std::vector<OutgoingMail>& mails) = 0;

  // The company's item. NOT_FOUND when there is none (also when the id
  // belongs to another company).
  virtual Result<ApprovalItem> GetItem(int64_t company_id, int64_t item_id) = 0;
  // Any company's item (the export side checks the connection itself).
  virtual Result<ApprovalItem> GetItemById(int64_t item_id) = 0;
  // The company's items matching `filter`, newest (highest id) first.
  // INVALID_ARGUMENT unless 1 <= filter.limit <= 1000, or for a queue that
  // is no erpsync.v1.Queue.
  virtual Result<ItemPage> ListItems(int64_t company_id, const ItemFilter& filter) = 0;
  // For every erpsync.v1.Queue, how many of the company's items ListItems
  // lists with that queue and `type` (ITEM_TYPE_UNSPECIFIED: every type)
  // over all its pages; QUEUE_UNSPECIFIED counts the items that are not
  // archived. Every queue is present, counted in one snapshot.
  virtual Result<std::map<v1::Queue, int64_t>> CountQueues(int64_t company_id,
                                                           v1::ItemType type) = 0;
  // The item's history, oldest first. NOT_FOUND as for GetItem.
  virtual Result<std::vector<HistoryRow>> GetHistory(int64_t company_id, int64_t item_id) = 0;

  // Items of `type` on the connection whose erp_ref (the key their content
  // names) or erp_key (their link) is `key`, oldest first.
  virtual Result<std::vector<ApprovalItem>> FindByErpKey(int64_t connection_id, v1::ItemType type,
                                                 const std::string& key) = 0;
  // The ERP keys that items of `type` on the connection link.
  virtual Result<std::set<std::string>> LinkedKeys(int64_t connection_id, v1::ItemType type) = 0;
  // Items of the connection in QUEUED_FOR_EXPORT (and EXPORT_DELIVERED with
  // `include_delivered`), oldest queued first, at most `limit` (1..1000;
  // INVALID_ARGUMENT otherwise).
  virtual Result<std::vector<ApprovalItem>> ListQueuedExports(int64_t connection_id, bool include_delivered,
                                                      int limit) = 0;

  // The items that are not archived, by company and state: only the
  // (company, state) pairs that have items, in company then state order.
  virtual Result<std::vector<ItemStateCount>> CountItemsByState() = 0;

  // Types with direct export on for the company.
  virtual Result<std::set<v1::ItemType>> DirectExportTypes(int64_t company_id) = 0;
  // NOT_FOUND for an unknown company.
  virtual Status SetDirectExport(int64_t company_id, v1::ItemType type, bool on) = 0;

  // Every user of the company who is not revoked, with their preferences
  // (defaults where never set), by name.
  virtual Result<std::vector<MailRecipient>> ListRecipients(int64_t company_id) = 0;
  // One user of the company, by id or by name. NOT_FOUND when none.
  virtual Result<MailRecipient> GetRecipient(int64_t company_id, int64_t user_id) = 0;
  virtual Result<MailRecipient> FindRecipient(int64_t company_id, const std::string& user_name) = 0;
  // Changes the preferences that are set; returns the result. NOT_FOUND as
  // for GetRecipient.
  virtual Result<MailRecipient> SetPreferences(int64_t company_id, int64_t user_id,
                                       std::optional<bool> on_send, std::optional<bool> on_reject,
                                       std::optional<bool> daily_digest) = 0;
};

}  // namespace erpsync::server

#endif  // ERPSYNC_SERVER_STORE_APPROVAL_STORE_H_
