// Plain data rows of the ERP Integrations approval queues and the mail
// outbox, as ApprovalStore and OutboxStore read and write them. No
// behaviour. Item content is the wire message (erpsync.v1.ItemContent) so
// that it reaches the agent as it is.
#ifndef ERPSYNC_SERVER_STORE_APPROVAL_TYPES_H_
#define ERPSYNC_SERVER_STORE_APPROVAL_TYPES_H_

#include <cstdint>
#include <string>
#include <vector>

#include "erpsync/v1/erp_integrations.pb.h"

namespace erpsync::server {

// One item of the approval queues.
struct ApprovalItem {
  int64_t id = 0;
  int64_t company_id = 0;
  int64_t connection_id = 0;
  std::string connection_name;  // read only (joined)
  v1::ItemType type = v1::ITEM_TYPE_UNSPECIFIED;
  // The JOB item of the project; 0 for jobs and vendors.
  int64_t project_id = 0;
  v1::ItemState state = v1::DRAFT;
  v1::ItemOrigin origin = v1::CREATED;
  bool archived = false;
  // Budgets' explicit lock (DOMAIN.md: a budget must be locked to be sent).
  bool budget_locked = false;
  // The last send was a re-send (for the digest).
  bool resent = false;
  // Bumped by every change (optimistic concurrency).
  int64_t version = 0;
  std::string title;
  v1::ItemContent content;
  // The ERP key the content names for the item itself (see migrations.cc).
  std::string erp_ref;
  // The linked ERP record; empty when not linked.
  std::string erp_key;
  // Every key the export produced.
  std::vector<std::string> erp_keys;
  std::string erp_message;
  std::string decision_comment;
  std::string accepted_by;
  int64_t created_by = 0;       // user id
  std::string created_by_name;  // read only (joined)
  int64_t created_unix = 0;
  int64_t updated_unix = 0;
  // When the export was queued; 0 when not queued.
  int64_t queued_unix = 0;
  // The version the item had when its export was last handed to an agent
  // (the version the agent's result names); 0 when never delivered.
  int64_t delivered_version = 0;
};

// One row of an item's audit trail.
struct HistoryRow {
  int64_t version = 0;
  std::string action;
  v1::ItemState from_state = v1::ITEM_STATE_UNSPECIFIED;
  v1::ItemState to_state = v1::ITEM_STATE_UNSPECIFIED;
  // The acting user; 0 for the agent or the system.
  int64_t actor_user_id = 0;
  std::string actor;
  std::string comment;
  int64_t created_unix = 0;
};

// What ListItems returns. An item matches when every set filter matches.
struct ItemFilter {
  v1::Queue queue = v1::QUEUE_UNSPECIFIED;
  v1::ItemType type = v1::ITEM_TYPE_UNSPECIFIED;     // unset: any
  int64_t project_id = 0;                            // 0: any
  v1::ItemState state = v1::ITEM_STATE_UNSPECIFIED;  // unset: any
  // Items with a smaller id only (paging, newest first); 0: from the newest.
  int64_t before_id = 0;
  int limit = 50;
};

struct ItemPage {
  std::vector<ApprovalItem> items;
  // Pass as before_id for the next page; 0 on the last page.
  int64_t next_before_id = 0;
};

// A user who may receive notifications, with their preferences.
struct MailRecipient {
  int64_t user_id = 0;
  std::string name;
  std::string email;
  bool approver = false;  // Standard or Admin with Can Push to Accounting
  bool on_send = true;
  bool on_reject = true;
  // The user's choice, or by default on for approvers and off for others
  // (store_internal::DailyDigestOf).
  bool daily_digest = false;
};

// An email to be written into the outbox.
struct OutgoingMail {
  int64_t company_id = 0;  // 0: none
  int64_t item_id = 0;     // 0: none
  // "sent", "rejected", "digest", ...
  std::string kind;
  std::string recipient;  // an address
  std::string subject;
  // Plain text, lines separated by '\n'.
  std::string body;
};

// An email of the outbox.
struct OutboxMessage {
  int64_t id = 0;
  int64_t company_id = 0;
  int64_t item_id = 0;
  std::string kind;
  std::string recipient;
  std::string subject;
  std::string body;
  int64_t created_unix = 0;
  int attempts = 0;
  int64_t next_attempt_unix = 0;
  // 0 while undelivered.
  int64_t delivered_unix = 0;
  std::string last_error;
};

// How many items of a company are in one state (not archived).
struct ItemStateCount {
  std::string company;  // the company's name
  v1::ItemState state = v1::ITEM_STATE_UNSPECIFIED;
  int64_t items = 0;
};

// The outbox by delivery state.
struct OutboxCounts {
  int64_t queued = 0;    // undelivered, never tried
  int64_t retrying = 0;  // undelivered, at least one attempt failed
  int64_t sent = 0;      // delivered
};

}  // namespace erpsync::server

#endif  // ERPSYNC_SERVER_STORE_APPROVAL_TYPES_H_
