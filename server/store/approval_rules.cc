#include "server/store/approval_rules.h"

#include <utility>

#include "common/record_codec.h"
#include "server/store/store_types.h"

namespace erpsync::server::store_internal {

std::string ItemName(int64_t item_id) { return "item " + std::to_string(item_id); }

Status ItemNotFoundError(int64_t item_id) {
  return NotFoundError(ItemName(item_id) + " does not exist");
}

Status StaleItemError(int64_t item_id, int64_t expected_version, int64_t stored_version) {
  return FailedPreconditionError(ItemName(item_id) + " changed since version " +
                                 std::to_string(expected_version) + " (now " +
                                 std::to_string(stored_version) + "); reload and retry");
}

Status LinkTakenError(const std::string& erp_key, int64_t linked_item_id) {
  return AlreadyExistsError("ERP record '" + erp_key + "' is already linked to " +
                            ItemName(linked_item_id));
}

namespace {

Status CheckLimit(const std::string& name, int limit) {
  if (limit >= 1 && limit <= kMaxApprovalListLimit) return Status::Ok();
  return InvalidArgumentError(name + " must be 1.." + std::to_string(kMaxApprovalListLimit) +
                              ", not " + std::to_string(limit));
}

}  // namespace

Status CheckItemPageSize(int limit) { return CheckLimit("page size", limit); }

Status CheckQueuedExportLimit(int limit) { return CheckLimit("limit", limit); }

std::vector<v1::Queue> EveryQueue() {
  std::vector<v1::Queue> every;
  for (int queue = v1::Queue_MIN; queue <= v1::Queue_MAX; ++queue) {
    if (v1::Queue_IsValid(queue)) every.push_back(static_cast<v1::Queue>(queue));
  }
  return every;
}

Status UnknownQueueError(v1::Queue queue) {
  return InvalidArgumentError("unknown queue " + std::to_string(static_cast<int>(queue)));
}

ItemPage PageOfItems(std::vector<ApprovalItem> items, int limit) {
  ItemPage page;
  page.items = std::move(items);
  if (page.items.size() > static_cast<size_t>(limit)) {
    page.items.resize(static_cast<size_t>(limit));
    page.next_before_id = page.items.back().id;
  }
  return page;
}

std::string JoinErpKeys(const std::vector<std::string>& keys) {
  std::string joined;
  for (size_t i = 0; i < keys.size(); ++i) AppendKeyPart(keys[i], i == 0, &joined);
  return joined;
}

std::vector<std::string> SplitErpKeys(std::string_view joined) {
  if (joined.empty()) return {};
  return SplitKey(joined);
}

Status ParseItemContent(int64_t item_id, std::string_view stored, v1::ItemContent* content) {
  if (!content->ParseFromArray(stored.data(), static_cast<int>(stored.size()))) {
    return InternalError("stored content of " + ItemName(item_id) + " is unreadable");
  }
  return Status::Ok();
}

bool IsApprover(int level, bool can_push) {
  return level >= static_cast<int>(ToolLevel::kStandard) && can_push;
}

bool DailyDigestOf(std::optional<bool> chosen, bool approver) { return chosen.value_or(approver); }

Status RecipientNotFoundError(int64_t user_id) {
  return NotFoundError("user " + std::to_string(user_id) + " not found");
}

Status RecipientNameNotFoundError(const std::string& user_name) {
  return NotFoundError("no user '" + user_name + "'");
}

Status MailNotFoundError(int64_t mail_id) {
  return NotFoundError("mail " + std::to_string(mail_id) + " not found");
}

Status UndeliveredMailNotFoundError(int64_t mail_id) {
  return NotFoundError("undelivered mail " + std::to_string(mail_id) + " not found");
}

}  // namespace erpsync::server::store_internal
