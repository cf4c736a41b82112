// ItemRules: the rules of the ERP Integrations tool that depend on an
// item's content, on other items and on the mirrored ERP data (DOMAIN.md,
// "Rules worth enforcing"). The state machine (item_state_machine.h) says
// whether an action fits the item's state; these say whether the item is
// ready for it. Every refusal is FAILED_PRECONDITION with the reason and
// what to do, unless noted. Thread-safe (stateless over thread-safe
// stores).
//
// Prerequisites to send (PrepareSend), per type:
//   job        created in the cloud (not imported), a job number, and no
//              such job in the ERP or on another item (a job is never both
//              imported from and created for the ERP);
//   sub job    project linked to an ERP job, an extra not yet in the ERP;
//   vendor     a vendor key not yet in the ERP, a name of 1..30 characters;
//   cost code update  project linked, lines with standard cost codes that
//              the job does not have yet, each (extra, cost code) once, and
//              none that another update of the project is adding (sent,
//              queued, delivered) or added (synced): two updates of one
//              project cost code are never both accepted;
//   budget     locked, project linked, lines with standard cost codes and
//              categories and amounts (and descriptions of at most 30
//              characters, as for every line of ERP entries), and no estimates for the job in the
//              ERP (mirrored Transaction (JC) "Original estimate" or
//              "Approved est chg" rows): those are imported instead
//              (erpsync-ctl import budget JOB);
//   budget change  as budget (without the lock), and the project has a
//              synced budget;
//   commitment project linked, vendor linked to an ERP vendor, status
//              approved or complete, a type, id of 1..12 and title of 1..30
//              characters, id not yet in the ERP, at least one line with an
//              ERP standard cost code (and every cost code and category
//              given is a standard one);
//   commitment change order  on a SYNCED commitment of the same project; a
//              number; lines on that commitment's lines (new lines need a
//              standard cost code); several changes to one line are summed
//              into one line;
//   prime contract change order  project linked, a number of 1..10 and a
//              title of at most 30 characters, a prime contract (Contract
//              (CN)) of the job in the ERP, lines with standard cost codes:
//              the limits the agent's export checks (agent/erp/
//              entry_writers.cc) would find only after the approval. The
//              content has no status: the agent writes the change order
//              Approved;
//   subcontractor invoice  on a SYNCED commitment, an invoice number and
//              date, lines on the commitment's lines.
// Prerequisites to export (CheckExport, when accepted or sent with direct
// export): commitments, commitment change orders and prime contract change
// orders use only cost codes that the job has in the ERP or that a synced
// cost code update of the project added ("new project cost codes must be
// updated first").
#ifndef ERPSYNC_SERVER_APPROVAL_ITEM_RULES_H_
#define ERPSYNC_SERVER_APPROVAL_ITEM_RULES_H_

#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "erpsync/v1/erp_integrations.pb.h"
#include "server/approval/erp_records.h"
#include "server/store/approval_store.h"

namespace erpsync::server {

class ItemRules {
 public:
  ItemRules(ApprovalStore* store, ErpRecords* erp) : store_(store), erp_(erp) {}

  // Checks the prerequisites to send `item` (see above) and applies the
  // send-time normalization (a change order's duplicate line changes
  // summed). OK when it may be sent.
  Status PrepareSend(ApprovalItem* item);
  // Checks the prerequisites to export `item` now (see above).
  Status CheckExport(const ApprovalItem& item);
  // The export payload of a queued item: its content with the ERP job,
  // commitment and vendor it goes to.
  Result<v1::ExportItem> BuildExport(const ApprovalItem& item);

  // What the mirrored data says of the ERP records a synced item links
  // (erp_key, erp_keys): kLive when any of them is live, else kDeleted when
  // any was synced and then deleted in the ERP, else kNeverSeen.
  // FAILED_PRECONDITION for types that link no single record (budgets,
  // budget changes, cost code updates, prime contract change orders: export
  // only), and when the linked record type was never synced.
  Result<MirroredState> LinkedRecordState(const ApprovalItem& item);
  // OK when `item`'s ERP record may be unlinked: it was seen in the
  // mirrored data (synced back from the ERP) and is deleted there now.
  // FAILED_PRECONDITION while it still exists in the ERP, while it has not
  // come back from the ERP yet (an exported record the next sync has not
  // brought back: not gone, unlinking it would orphan it), and as
  // LinkedRecordState.
  Status CheckUnlink(const ApprovalItem& item);
  // Whether a synced budget's (or budget change's) entries are posted in
  // the ERP and synced back: some live Transaction (JC) record of the
  // project's job carries one of the batches in item.erp_keys (the agent
  // reports the batches it wrote the unposted entries under). False when no
  // batch was reported.
  Result<bool> BudgetEntriesPosted(const ApprovalItem& item);

  // The entity whose records items of `type` link; empty for types that
  // link none.
  static std::string_view LinkedEntity(v1::ItemType type);

  // The project (JOB item) of `item`. FAILED_PRECONDITION when it has none.
  Result<ApprovalItem> Project(const ApprovalItem& item);
  // The ERP job of the item's project. FAILED_PRECONDITION "project 3 (Job
  // 24-101) is not linked to an ERP job yet; ..." when not linked.
  Result<std::string> ProjectErpJob(const ApprovalItem& item);

 private:
  Status PrepareJob(const ApprovalItem& item);
  Status PrepareVendor(const ApprovalItem& item);
  Status PrepareSubJob(const ApprovalItem& item);
  Status PrepareCostCodeUpdate(const ApprovalItem& item);
  Status PrepareBudget(const ApprovalItem& item, const v1::BudgetContent& budget,
                       const std::string& field);
  // A budget created in the cloud is not exported for a job that has
  // estimates in the ERP (they would be doubled).
  Status CheckNoErpEstimates(const ApprovalItem& item);
  Status PrepareCommitment(const ApprovalItem& item);
  Status PrepareChangeOrder(ApprovalItem* item);
  Status PreparePrimeContractChangeOrder(const ApprovalItem& item);
  Status PrepareInvoice(const ApprovalItem& item);

  // The SYNCED commitment item `commitment_item_id` of the item's company.
  Result<ApprovalItem> SyncedCommitment(const ApprovalItem& item, int64_t commitment_item_id,
                                        const std::string& field);
  // `code` is in the ERP's standard cost code list.
  Status CheckStandardCostCode(const ApprovalItem& item, const std::string& field,
                               const std::string& code);
  // `category` is in the ERP's standard category list (or empty when not
  // `required`).
  Status CheckStandardCategory(const ApprovalItem& item, const std::string& field,
                               const std::string& category, bool required);
  // Refuses when another item of the type already is (or is becoming) the
  // ERP record `key`, or when the ERP has it.
  Status CheckNotInErp(const ApprovalItem& item, std::string_view entity, const std::string& key,
                       const std::string& what);
  // At least one line, and each with a standard cost code, a standard (or
  // no) category and an amount. `Lines` is a repeated proto field.
  template <typename Lines>
  // `category_required`: lines that become job cost entries (budgets,
  // commitments) need a category with their cost code.
  Status CheckCostLines(const ApprovalItem& item, const std::string& prefix, const Lines& lines,
                        bool category_required);
  // The items of `type` of the item's project in `state` (unset: any),
  // archived ones included (at most 1000 of each).
  Result<std::vector<ApprovalItem>> ProjectItems(const ApprovalItem& item, v1::ItemType type,
                                                 v1::ItemState state);
  // Every (extra, cost code) is on the job in the ERP or added by a synced
  // cost code update of the project.
  Status CheckJobCostCodes(const ApprovalItem& item,
                           const std::vector<std::pair<std::string, std::string>>& codes);

  ApprovalStore* store_;
  ErpRecords* erp_;
};

}  // namespace erpsync::server

#endif  // ERPSYNC_SERVER_APPROVAL_ITEM_RULES_H_
