#include "server/approval/item_state_machine.h"

#include <algorithm>
#include <initializer_list>
#include <optional>

namespace erpsync::server {
namespace {

bool In(v1::ItemState state, std::initializer_list<v1::ItemState> states) {
  return std::find(states.begin(), states.end(), state) != states.end();
}

// Lower case with spaces: "COMMITMENT_CHANGE_ORDER" -> "commitment change
// order".
std::string Spaced(const std::string& enum_name) {
  std::string text = enum_name;
  for (char& c : text) c = c == '_' ? ' ' : static_cast<char>(std::tolower(c));
  return text;
}

// The table of item_state_machine.h; nullopt when not allowed (archived
// items are handled by the caller).
std::optional<v1::ItemState> Target(v1::ItemType type, v1::ItemState state, ItemAction action,
                                    bool direct_export) {
  using v1::ItemState;
  const v1::ItemState sent_or_queued = direct_export ? v1::QUEUED_FOR_EXPORT : v1::SENT;
  const bool budget = type == v1::BUDGET;
  const std::initializer_list<ItemState> unlocked = {v1::DRAFT, v1::RETRIEVED, v1::REJECTED,
                                                     v1::FAILED_TO_EXPORT};
  switch (action) {
    case ItemAction::kUpdate:
      if (In(state, unlocked)) return state;
      break;
    case ItemAction::kSend:
      if (In(state, {v1::DRAFT, v1::RETRIEVED})) return sent_or_queued;
      break;
    case ItemAction::kRetrieve:
      if (state == v1::SENT) return v1::RETRIEVED;
      break;
    case ItemAction::kResend:
      if (In(state, {v1::REJECTED, v1::FAILED_TO_EXPORT})) return sent_or_queued;
      break;
    case ItemAction::kAccept:
      if (state == v1::SENT) return v1::QUEUED_FOR_EXPORT;
      break;
    case ItemAction::kReject:
      if (state == v1::SENT) return v1::REJECTED;
      break;
    case ItemAction::kUnlink:
      if (state == v1::SYNCED) return v1::UNLINKED;
      break;
    case ItemAction::kArchive:
      if (In(state, unlocked) || In(state, {v1::SYNCED, v1::UNLINKED})) return state;
      break;
    case ItemAction::kUnarchive:
      break;  // only archived items
    case ItemAction::kLock:
      if (budget && In(state, unlocked)) return state;
      break;
    case ItemAction::kUnlock:
      if (budget && (In(state, unlocked) || state == v1::SYNCED)) return state;
      break;
    case ItemAction::kDeliver:
      if (state == v1::QUEUED_FOR_EXPORT) return v1::EXPORT_DELIVERED;
      break;
    case ItemAction::kComplete:
      if (In(state, {v1::QUEUED_FOR_EXPORT, v1::EXPORT_DELIVERED})) return v1::SYNCED;
      break;
    case ItemAction::kFail:
      if (In(state, {v1::QUEUED_FOR_EXPORT, v1::EXPORT_DELIVERED})) return v1::FAILED_TO_EXPORT;
      break;
  }
  return std::nullopt;
}

std::string StateDetail(v1::ItemState state) {
  switch (state) {
    case v1::SENT:
      return " (awaiting a decision)";
    case v1::QUEUED_FOR_EXPORT:
      return " (waiting for the agent)";
    case v1::EXPORT_DELIVERED:
      return " (the agent is writing it into the ERP)";
    default:
      return "";
  }
}

}  // namespace

std::string_view ItemActionName(ItemAction action) {
  switch (action) {
    case ItemAction::kUpdate:
      return "update";
    case ItemAction::kSend:
      return "send";
    case ItemAction::kRetrieve:
      return "retrieve";
    case ItemAction::kResend:
      return "resend";
    case ItemAction::kAccept:
      return "accept";
    case ItemAction::kReject:
      return "reject";
    case ItemAction::kUnlink:
      return "unlink";
    case ItemAction::kArchive:
      return "archive";
    case ItemAction::kUnarchive:
      return "unarchive";
    case ItemAction::kLock:
      return "lock";
    case ItemAction::kUnlock:
      return "unlock";
    case ItemAction::kDeliver:
      return "deliver";
    case ItemAction::kComplete:
      return "complete";
    case ItemAction::kFail:
      return "fail";
  }
  return "?";
}

bool IsExportSideAction(ItemAction action) {
  return action == ItemAction::kDeliver || action == ItemAction::kComplete ||
         action == ItemAction::kFail;
}

std::string ItemStateName(v1::ItemState state) { return Spaced(v1::ItemState_Name(state)); }

std::string ItemTypeName(v1::ItemType type) { return Spaced(v1::ItemType_Name(type)); }

std::vector<ItemAction> AllowedUserActions(v1::ItemType type, v1::ItemState state, bool archived) {
  if (archived) return {ItemAction::kUnarchive};
  std::vector<ItemAction> allowed;
  for (const ItemAction action : kAllItemActions) {
    if (IsExportSideAction(action)) continue;
    if (Target(type, state, action, false).has_value()) allowed.push_back(action);
  }
  return allowed;
}

Result<v1::ItemState> NextItemState(int64_t item_id, v1::ItemType type, v1::ItemState state,
                                    bool archived, ItemAction action, bool direct_export) {
  if (archived) {
    if (action == ItemAction::kUnarchive) return state;
    return FailedPreconditionError("item " + std::to_string(item_id) +
                                   " is archived; unarchive it first to " +
                                   std::string(ItemActionName(action)) + " it");
  }
  if (std::optional<v1::ItemState> target = Target(type, state, action, direct_export)) {
    return *target;
  }
  if ((action == ItemAction::kLock || action == ItemAction::kUnlock) && type != v1::BUDGET) {
    return FailedPreconditionError("item " + std::to_string(item_id) + " is a " +
                                   ItemTypeName(type) + "; only budgets are locked and unlocked");
  }
  std::string allowed;
  for (const ItemAction candidate : AllowedUserActions(type, state, archived)) {
    if (!allowed.empty()) allowed += ", ";
    allowed += ItemActionName(candidate);
  }
  return FailedPreconditionError(
      "cannot " + std::string(ItemActionName(action)) + " item " + std::to_string(item_id) +
      ": it is " + ItemStateName(state) + StateDetail(state) + "; allowed now: " +
      (allowed.empty() ? std::string("none (wait for the export result)") : allowed));
}

}  // namespace erpsync::server
