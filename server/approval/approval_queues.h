// ApprovalQueues: the cloud's ERP Integrations tool. Project users create
// items and send them for accounting acceptance; approvers accept or reject
// them; accepted items wait for the company's agent, which reports them
// synced or failed to export (the export side below, for the agent channel
// of issue 6). Every change is checked against the item's state
// (item_state_machine.h), the rules (item_rules.h) and the caller's
// permission (permissions.h), bumps the item's version, appends a history
// row and queues the emails it causes, all in one transaction
// (ApprovalStore::CommitChange).
//
// Codes, besides the store's INTERNAL/UNAVAILABLE: PERMISSION_DENIED
// (permissions.h), NOT_FOUND (no such item in the caller's company; another
// company's items are never revealed), INVALID_ARGUMENT (bad input, naming
// the field), FAILED_PRECONDITION (wrong state with the allowed actions, a
// rule's refusal, or a stale expected version: "item 7 changed since
// version 3 (now 4); reload and retry"), ALREADY_EXISTS (an ERP record
// linked twice).
//
// Thread-safe: stateless over thread-safe stores; concurrent changes of one
// item are serialized by the version check (two approvers cannot both
// accept).
#ifndef ERPSYNC_SERVER_APPROVAL_APPROVAL_QUEUES_H_
#define ERPSYNC_SERVER_APPROVAL_APPROVAL_QUEUES_H_

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "common/status.h"
#include "erpsync/v1/erp_integrations.pb.h"
#include "server/approval/erp_records.h"
#include "server/approval/export_results.h"
#include "server/approval/item_rules.h"
#include "server/approval/item_state_machine.h"
#include "server/store/agent_control_store.h"
#include "server/store/approval_store.h"
#include "server/store/directory_store.h"
#include "server/store/outbox_store.h"
#include "server/store/record_store.h"
#include "server/store/store_types.h"

namespace erpsync::server {

// A user's action on one item.
struct ItemActionInput {
  int64_t item_id = 0;
  // The version the user saw; 0: whatever is current.
  int64_t expected_version = 0;
  // Kept in the history; required to reject (at most kMaxCommentChars).
  std::string comment;
  // Accepting a prime contract change order: YYYY-MM-DD.
  std::string transaction_date;
};

struct ImportableRecord {
  std::string key;
  std::string description;
  // Jobs: Closed in the ERP (the mirrored Job (CV) status).
  bool closed = false;
};

// What ImportRecord made: the item, and what to tell the user about it
// ("ERP job '17-002' is Closed in the ERP ...").
struct ImportedRecord {
  ApprovalItem item;
  std::vector<std::string> warnings;
};

struct ImportablePage {
  std::vector<ImportableRecord> records;
  // Pass as after_key for the next page; empty on the last page.
  std::string next_after_key;
};

class ApprovalQueues {
 public:
  static constexpr size_t kMaxCommentChars = 2000;

  // `agents` (may be null) tells which record types the agents report
  // enabled, for the refusals of a type never synced (erp_records.h).
  ApprovalQueues(ApprovalStore* store, OutboxStore* outbox, DirectoryStore* directory,
                 RecordStore* records, AgentControlStore* agents = nullptr);

  // Called (on the calling thread) after a change queued emails, e.g. to
  // wake the mail worker. Set before use.
  void SetMailQueuedCallback(std::function<void()> callback) { mail_queued_ = std::move(callback); }
  // Called (on the calling thread) after an item of `connection_id` was
  // queued for export, e.g. to wake that connection's agent. Set before use.
  void SetExportQueuedCallback(std::function<void(int64_t connection_id)> callback) {
    export_queued_ = std::move(callback);
  }
  // Calls `callback` once an agent's export outcome is applied to its item
  // (a repeated outcome is not): `exported` true when the ERP took it, false
  // for Failed to Export. Set before serving.
  void SetExportOutcomeCallback(
      std::function<void(const ApprovalItem& item, bool exported)> callback) {
    export_outcome_ = std::move(callback);
  }

  // The web tool's address as users reach it (web.public_url, or its
  // listener's URL), which mails link items to; empty (the default): no
  // links. Set before use.
  void SetWebUrl(std::string web_url) { web_url_ = std::move(web_url); }

  // --- Users (`user` is an authenticated user of one company).

  // A new DRAFT item (Standard). `connection` may be empty when the company
  // has one; items of a project go to the project's connection.
  Result<ApprovalItem> CreateItem(const Principal& user, v1::ItemType type,
                                  const std::string& connection, int64_t project_id,
                                  v1::ItemContent content);
  // Replaces the content (Standard) in an unlocked state.
  Result<ApprovalItem> UpdateItem(const Principal& user, int64_t item_id, int64_t expected_version,
                                  v1::ItemContent content);
  Result<ApprovalItem> GetItem(const Principal& user, int64_t item_id);
  Result<ItemPage> ListItems(const Principal& user, const ItemFilter& filter);
  // How many items ListItems lists in each queue for `type`
  // (ITEM_TYPE_UNSPECIFIED: every type), every erpsync.v1.Queue present
  // (ApprovalStore::CountQueues).
  Result<std::map<v1::Queue, int64_t>> CountQueues(const Principal& user, v1::ItemType type);
  Result<std::vector<HistoryRow>> GetHistory(const Principal& user, int64_t item_id);
  // Any user action but update: send, retrieve, resend, accept, reject,
  // unlink, archive, unarchive, lock, unlock. INVALID_ARGUMENT for an
  // export-side action.
  Result<ApprovalItem> Act(const Principal& user, ItemAction action, const ItemActionInput& input);

  // Ready to Import (Read Only): live mirrored records of JOB, SUB_JOB or
  // VENDOR that no item links, in key order after `after_key`, at most
  // `limit` (1..1000); with `hide_closed` (JOB only: INVALID_ARGUMENT
  // otherwise) without the jobs Closed in the ERP.
  Result<ImportablePage> ListImportable(const Principal& user, v1::ItemType type,
                                        const std::string& connection, const std::string& after_key,
                                        int limit, bool hide_closed = false);
  // Links the mirrored record `key` as a new SYNCED item (Standard). A job
  // Closed in the ERP is imported with a warning.
  Result<ImportedRecord> ImportRecord(const Principal& user, v1::ItemType type,
                                      const std::string& connection, const std::string& key);

  // Types with direct export on (Read Only).
  Result<std::set<v1::ItemType>> DirectExportTypes(const Principal& user);
  // Admin; COMMITMENT, COMMITMENT_CHANGE_ORDER and SUBCONTRACTOR_INVOICE
  // only. Returns the new set.
  Result<std::set<v1::ItemType>> SetDirectExport(const Principal& user, v1::ItemType type, bool on);
  // A user's notification preferences; `user_name` empty (or the caller's
  // name) for the caller's own, which any user may read and change at any
  // level, None included. Another user's need Admin (PERMISSION_DENIED
  // otherwise); NOT_FOUND for an unknown user name.
  Result<MailRecipient> GetPreferences(const Principal& user, const std::string& user_name);
  Result<MailRecipient> SetPreferences(const Principal& user, const std::string& user_name,
                                       std::optional<bool> on_send, std::optional<bool> on_reject,
                                       std::optional<bool> daily_digest);

  // --- Operators.

  // Queues the daily digest of `date` (YYYY-MM-DD) for every company (see
  // server/notify/notifications.h). Unless `force`, does nothing when that
  // day's digest was queued already. Returns the number of mails queued.
  Result<int> EnqueueDailyDigests(const std::string& date, bool force);

  // --- The export side (the agent of `connection_id`; issue 6). Listing
  // and delivering see only the connection's items (others are NOT_FOUND);
  // results are held to what was delivered (export_results.h).

  // Items accepted (or sent with direct export) and not yet delivered,
  // oldest queued first, at most `limit` (1..1000), as the payload to send
  // to the agent; with `include_delivered` also those delivered and not
  // yet reported (for a reconnecting agent; its journal makes a redelivery
  // harmless). An item whose payload cannot be built any more (its project
  // was unlinked meanwhile) is moved to FAILED_TO_EXPORT with the reason
  // instead of being returned.
  Result<std::vector<v1::ExportItem>> ListPendingExports(int64_t connection_id,
                                                         bool include_delivered = false,
                                                         int limit = 100);
  // QUEUED_FOR_EXPORT -> EXPORT_DELIVERED: the agent has the item, and the
  // version it had (the version of the ExportItem handed over) is recorded
  // as the delivered one, which the result must name. FAILED_PRECONDITION
  // in another state.
  Result<ApprovalItem> MarkExportDelivered(int64_t connection_id, int64_t item_id);
  // The agent's result of the export of `item_id` delivered at `version`:
  // EXPORT_DELIVERED -> SYNCED with the ERP keys the agent got (the new
  // record's key first; for budgets and budget changes the entry batches).
  // Only the item, version and connection that were delivered are taken
  // (export_results.h): NOT_FOUND for another company's item,
  // FAILED_PRECONDITION for an item not delivered to this connection at
  // this version (stale, never delivered, already answered otherwise),
  // INVALID_ARGUMENT for a version that is not positive, an empty key, or
  // no key for a type that links a record. The same result again returns
  // the item unchanged.
  Result<ApprovalItem> CompleteExport(int64_t connection_id, int64_t item_id, int64_t version,
                                      const std::vector<std::string>& erp_keys);
  // As CompleteExport, to FAILED_TO_EXPORT with the ERP's message
  // (required: INVALID_ARGUMENT); the creator may fix the item and re-send
  // it.
  Result<ApprovalItem> FailExport(int64_t connection_id, int64_t item_id, int64_t version,
                                  const std::string& erp_message);
  // Whether a synced item's ERP record still exists in the mirrored data
  // (ItemRules::LinkedRecordState).
  Result<bool> ErpRecordExists(int64_t item_id);
  // Whether a synced budget's entries are posted in the ERP and synced back
  // (ItemRules::BudgetEntriesPosted). FAILED_PRECONDITION for other types.
  Result<bool> BudgetEntriesPosted(int64_t item_id);

 private:
  // ImportRecord of a BUDGET: `erp_job`'s estimates become (or refresh) the
  // project's imported budget.
  Result<ApprovalItem> ImportBudget(const Principal& user, const std::string& connection,
                                    const std::string& erp_job);
  // Inserts `item` (company, connection, type, project and content set) as
  // imported from the ERP record `erp_key`: Synced, linked, with its
  // "import" history row saying `comment`.
  Result<ApprovalItem> InsertImported(const Principal& user, ApprovalItem item,
                                      const std::string& erp_key, const std::string& comment);
  // The id of the project item linked to ERP job `erp_job`; 0 when none is.
  Result<int64_t> LinkedProjectId(int64_t connection_id, const std::string& erp_job);
  Result<Connection> ResolveConnection(const Principal& user, const std::string& name);
  // FAILED_PRECONDITION when `expected_version` (0: any) is not the item's.
  static Status CheckVersion(const ApprovalItem& item, int64_t expected_version);
  Status CheckActionInput(const ApprovalItem& item, ItemAction action,
                          const ItemActionInput& input);
  // Budget lock rules beyond the state table.
  Status CheckBudgetLock(const ApprovalItem& item, ItemAction action);
  // The emails `action` from `from` to `item.state` causes.
  Result<std::vector<OutgoingMail>> MailsFor(const Principal& user, ItemAction action,
                                             v1::ItemState from, const ApprovalItem& item,
                                             const std::string& comment);
  // The connection's item for the export side.
  Result<ApprovalItem> LoadExport(int64_t connection_id, int64_t item_id);
  // CompleteExport and FailExport.
  Result<ApprovalItem> ApplyExportResult(int64_t connection_id, const ExportOutcome& outcome);
  // The emails of `item` becoming Failed to Export with item.erp_message
  // (notifications.h).
  Result<std::vector<OutgoingMail>> FailedExportMails(const ApprovalItem& item);
  // Applies an export-side transition by the agent (or the server), with
  // the emails a failure causes, in one transaction.
  Result<ApprovalItem> CommitExportChange(ApprovalItem item, ItemAction action,
                                          const std::string& comment);
  Result<ApprovalItem> Commit(ApprovalItem item, v1::ItemState from, std::string_view action,
                              const Principal* actor, const std::string& comment,
                              const std::vector<OutgoingMail>& mails);

  ApprovalStore* store_;
  OutboxStore* outbox_;
  DirectoryStore* directory_;
  ErpRecords erp_;
  ItemRules rules_;
  std::string web_url_;
  std::function<void()> mail_queued_;
  std::function<void(int64_t)> export_queued_;
  std::function<void(const ApprovalItem&, bool)> export_outcome_;
};

}  // namespace erpsync::server

#endif  // ERPSYNC_SERVER_APPROVAL_APPROVAL_QUEUES_H_
