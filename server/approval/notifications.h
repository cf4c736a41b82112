// The emails of the approval queues, composed as outbox rows: "sent for
// approval" to approvers, "rejected" to an item's creator, and the daily
// digest of items awaiting a decision. Who gets what:
//   send (and a re-send after a failed export)  every approver of the
//       company (Standard or Admin with Can Push to Accounting) with an
//       email address and on_send on (default), the sender excepted;
//   re-send after a rejection  nobody at once: the daily digest shows it;
//   reject  the item's creator, when they have an address and on_reject on
//       (default);
//   failed to export  the sender (who last sent or re-sent it) with
//       on_reject on, as for a rejection: the item came back to them to
//       fix; and every approver of the company with on_send on, as for a
//       send: it needs an approver again once re-sent. One mail per user
//       (an approver who sent it gets one), to those with an address;
//   daily digest  approvers with daily_digest on (by default on for
//       approvers: opt-out), only when something awaits a decision.
// With the web tool's address (`web_url`; empty: no web tool), each mail
// links to its item's page (<web_url>#/items/<id>), the digest to each
// item's, beside the erpsync-ctl commands.
// Pure functions; thread-safe.
#ifndef ERPSYNC_SERVER_APPROVAL_NOTIFICATIONS_H_
#define ERPSYNC_SERVER_APPROVAL_NOTIFICATIONS_H_

#include <string>
#include <vector>

#include "server/store/approval_types.h"

namespace erpsync::server {

// One mail per approver who wants it (see above), telling that `item` was
// sent by `sender_name` and how to act on it.
std::vector<OutgoingMail> SentForApprovalMails(const ApprovalItem& item,
                                               const std::string& sender_name,
                                               const std::vector<MailRecipient>& users,
                                               const std::string& web_url);

// The mail to the creator of a rejected item; none when they do not want
// it or have no address.
std::vector<OutgoingMail> RejectedMails(const ApprovalItem& item, const std::string& approver_name,
                                        const std::string& comment, const MailRecipient& creator,
                                        const std::string& web_url);

// The mails about `item` that the ERP refused with `erp_message` (Failed
// to Export): to the user `sender_id` (0: unknown) and the approvers, as
// above. `users` are the company's recipients.
std::vector<OutgoingMail> FailedToExportMails(const ApprovalItem& item,
                                              const std::string& erp_message, int64_t sender_id,
                                              const std::vector<MailRecipient>& users,
                                              const std::string& web_url);

// The daily digest of `company_name` for `date` (YYYY-MM-DD): one mail per
// subscribed approver listing `awaiting` (items awaiting a decision, re-sends
// marked); none when nothing awaits.
std::vector<OutgoingMail> DigestMails(int64_t company_id, const std::string& company_name,
                                      const std::string& date,
                                      const std::vector<ApprovalItem>& awaiting,
                                      const std::vector<MailRecipient>& users,
                                      const std::string& web_url);

// The page of item `item_id` in the web tool at `web_url`; empty without
// one.
std::string ItemPageUrl(const std::string& web_url, int64_t item_id);

}  // namespace erpsync::server

#endif  // ERPSYNC_SERVER_APPROVAL_NOTIFICATIONS_H_
