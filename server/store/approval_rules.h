// What every ApprovalStore and OutboxStore backend does the same way
// (private to server/store/ and its backends): the messages of their
// errors, the limits of their listings, how an item's ERP keys and content
// are stored and who counts as an approver. Pure functions; thread-safe.
#ifndef ERPSYNC_SERVER_STORE_APPROVAL_RULES_H_
#define ERPSYNC_SERVER_STORE_APPROVAL_RULES_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "erpsync/v1/erp_integrations.pb.h"
#include "server/store/approval_types.h"

namespace erpsync::server::store_internal {

// The largest page of ListItems and ListQueuedExports.
inline constexpr int kMaxApprovalListLimit = 1000;

// The mail_state row that keeps the date of the last digest enqueued.
inline constexpr char kLastDigestDateName[] = "last_digest_date";

// "item 7".
std::string ItemName(int64_t item_id);
// NOT_FOUND "item 7 does not exist".
Status ItemNotFoundError(int64_t item_id);
// FAILED_PRECONDITION "item 7 changed since version 3 (now 4); reload and
// retry": a change computed from `expected_version` met `stored_version`.
Status StaleItemError(int64_t item_id, int64_t expected_version, int64_t stored_version);
// ALREADY_EXISTS "ERP record '24-101' is already linked to item 7".
Status LinkTakenError(const std::string& erp_key, int64_t linked_item_id);

// INVALID_ARGUMENT unless 1 <= limit <= kMaxApprovalListLimit: "page size
// must be 1..1000, not 0" (ListItems) and "limit must be 1..1000, not 0"
// (ListQueuedExports).
Status CheckItemPageSize(int limit);
Status CheckQueuedExportLimit(int limit);

// Every erpsync.v1.Queue, by number (CountQueues counts each).
std::vector<v1::Queue> EveryQueue();
// INVALID_ARGUMENT "unknown queue 9": the backend has no condition for
// `queue` (a number that is no erpsync.v1.Queue).
Status UnknownQueueError(v1::Queue queue);

// The page of ListItems from the items a backend read: up to `limit` + 1
// matching items, newest first (one more than the page tells that there is
// a next page).
ItemPage PageOfItems(std::vector<ApprovalItem> items, int limit);

// ApprovalItem::erp_keys as one stored text (common/record_codec.h
// AppendKeyPart) and back; no keys is "".
std::string JoinErpKeys(const std::vector<std::string>& keys);
std::vector<std::string> SplitErpKeys(std::string_view joined);

// Parses the stored content of an item. INTERNAL "stored content of item 7
// is unreadable" when it is not an erpsync.v1.ItemContent.
Status ParseItemContent(int64_t item_id, std::string_view stored, v1::ItemContent* content);

// Whether a user of tool `level` (ToolLevel's number) with Can Push to
// Accounting approves items: Standard or Admin with the right.
bool IsApprover(int level, bool can_push);

// Whether a user gets the daily digest: their explicit choice when they
// made one (a stored daily_digest that is not NULL), else the default: on
// for approvers, off for everyone else (the product's "ERP Integrations
// Daily Summary" goes to approvers unless they opt out). Computed, not
// stored, so that the default follows a user who becomes an approver and
// an explicit opt-out stays.
bool DailyDigestOf(std::optional<bool> chosen, bool approver);

// NOT_FOUND "user 5 not found" and "no user 'bob'" (recipients, which are
// the company's users that are not revoked).
Status RecipientNotFoundError(int64_t user_id);
Status RecipientNameNotFoundError(const std::string& user_name);

// NOT_FOUND "mail 9 not found" (MarkDelivered) and "undelivered mail 9 not
// found" (MarkFailed).
Status MailNotFoundError(int64_t mail_id);
Status UndeliveredMailNotFoundError(int64_t mail_id);

}  // namespace erpsync::server::store_internal

#endif  // ERPSYNC_SERVER_STORE_APPROVAL_RULES_H_
