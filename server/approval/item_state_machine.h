// The life of an approval item as a pure transition table: which action is
// allowed in which state, and the state it leads to. Rules that look at an
// item's content or at the ERP (server/approval/item_rules.h) and
// permissions (permissions.h) are checked elsewhere; this is only the state
// machine, exhaustively tested action x state. Pure functions; thread-safe.
//
//   action     from                                          to
//   update     draft, retrieved, rejected, failed_to_export  (same)
//   send       draft, retrieved                              sent | queued_for_export*
//   retrieve   sent                                          retrieved
//   resend     rejected, failed_to_export                    sent | queued_for_export*
//   accept     sent                                          queued_for_export
//   reject     sent                                          rejected
//   unlink     synced                                        unlinked
//   archive    draft, retrieved, rejected, synced,           (same, archived)
//              failed_to_export, unlinked
//   unarchive  any archived item                             (same, not archived)
//   lock       budgets: draft, retrieved, rejected,          (same)
//              failed_to_export
//   unlock     budgets: as lock, and synced                  (same)
//   deliver    queued_for_export                             export_delivered
//   complete   queued_for_export, export_delivered           synced
//   fail       queued_for_export, export_delivered           failed_to_export
// (* with direct export on for the item's type.) An archived item allows
// only unarchive. deliver, complete and fail are the export side's (the
// agent's); the others are users'.
#ifndef ERPSYNC_SERVER_APPROVAL_ITEM_STATE_MACHINE_H_
#define ERPSYNC_SERVER_APPROVAL_ITEM_STATE_MACHINE_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "erpsync/v1/erp_integrations.pb.h"

namespace erpsync::server {

enum class ItemAction {
  kUpdate,
  kSend,
  kRetrieve,
  kResend,
  kAccept,
  kReject,
  kUnlink,
  kArchive,
  kUnarchive,
  kLock,
  kUnlock,
  kDeliver,
  kComplete,
  kFail,
};

inline constexpr ItemAction kAllItemActions[] = {
    ItemAction::kUpdate,    ItemAction::kSend,   ItemAction::kRetrieve, ItemAction::kResend,
    ItemAction::kAccept,    ItemAction::kReject, ItemAction::kUnlink,   ItemAction::kArchive,
    ItemAction::kUnarchive, ItemAction::kLock,   ItemAction::kUnlock,   ItemAction::kDeliver,
    ItemAction::kComplete,  ItemAction::kFail,
};

inline constexpr v1::ItemState kAllItemStates[] = {
    v1::DRAFT,
    v1::SENT,
    v1::RETRIEVED,
    v1::REJECTED,
    v1::QUEUED_FOR_EXPORT,
    v1::EXPORT_DELIVERED,
    v1::SYNCED,
    v1::FAILED_TO_EXPORT,
    v1::UNLINKED,
};

// "update", "send", ... as the history records them.
std::string_view ItemActionName(ItemAction action);
// True for deliver, complete and fail.
bool IsExportSideAction(ItemAction action);

// "draft", "sent", "queued for export", ... for messages.
std::string ItemStateName(v1::ItemState state);
// "commitment", "commitment change order", "sub job", ... for messages.
std::string ItemTypeName(v1::ItemType type);

// The state `action` leads an item of `type` in `state` to. `direct_export`
// sends send and resend straight to QUEUED_FOR_EXPORT. FAILED_PRECONDITION
// otherwise, naming the item, its state and the user actions allowed now:
// "cannot send item 7: it is sent (awaiting a decision); allowed now:
// retrieve, accept, reject", or "item 7 is archived; unarchive it first".
Result<v1::ItemState> NextItemState(int64_t item_id, v1::ItemType type, v1::ItemState state,
                                    bool archived, ItemAction action, bool direct_export);

// The user actions allowed for an item of `type` in `state`, in table
// order.
std::vector<ItemAction> AllowedUserActions(v1::ItemType type, v1::ItemState state, bool archived);

}  // namespace erpsync::server

#endif  // ERPSYNC_SERVER_APPROVAL_ITEM_STATE_MACHINE_H_
