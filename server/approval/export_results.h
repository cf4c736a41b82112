// The rule that holds an agent's export results to what the server
// delivered (issue 16). When the server hands an export to an agent it
// records the item's version then (ApprovalItem::delivered_version; the
// version the ExportItem carries); a result must name that item and that
// version and come from the agent of the item's connection. The first such
// result is applied (SYNCED or FAILED_TO_EXPORT); the same result again (an
// agent retries after a lost answer, or reports again a redelivery its
// journal recognized) changes nothing; anything else is refused and changes
// nothing. Pure functions; thread-safe.
#ifndef ERPSYNC_SERVER_APPROVAL_EXPORT_RESULTS_H_
#define ERPSYNC_SERVER_APPROVAL_EXPORT_RESULTS_H_

#include <cstdint>
#include <string>
#include <vector>

#include "common/status.h"
#include "server/store/approval_types.h"
#include "server/store/store_types.h"

namespace erpsync::server {

// What an agent reports of one delivered export (erpsync.v1.ExportResult).
struct ExportOutcome {
  int64_t item_id = 0;
  // The version the export was delivered with.
  int64_t version = 0;
  // true: written into the ERP (erp_keys); false: refused by the ERP
  // (erp_message).
  bool ok = false;
  std::vector<std::string> erp_keys;
  std::string erp_message;
};

enum class ExportResultMatch {
  // The outcome of the delivery the item is waiting for: apply it.
  kApply,
  // The outcome already applied for the same delivery: change nothing.
  kRepeat,
};

// How `outcome`, reported by the agent of `reporter`, relates to `item` as
// stored (any company's; the item `outcome.item_id`). Refusals:
//   NOT_FOUND "item 7 does not exist"  the item belongs to another company
//       (exactly as for an id that does not exist: nothing of another
//       company's items is revealed);
//   INVALID_ARGUMENT  outcome.version is not positive (a result must name
//       the version it was delivered with);
//   FAILED_PRECONDITION  the item is of another connection of the company
//       (never delivered to this one); it is delivered at another version
//       (an older one: stale; a newer one: never delivered); it has a
//       different result for this delivery already; or it waits for no
//       result (never delivered, or queued again since), naming its state.
Result<ExportResultMatch> MatchExportResult(const ApprovalItem& item, const Connection& reporter,
                                            const ExportOutcome& outcome);

}  // namespace erpsync::server

#endif  // ERPSYNC_SERVER_APPROVAL_EXPORT_RESULTS_H_
