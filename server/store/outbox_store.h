// OutboxStore: the persistent outbox of emails. Mails are written here
// (inside the transaction of the change that causes them, see
// ApprovalStore::CommitChange, or by Enqueue) and delivered later by a
// deliverer (server/notify/mail_dispatcher.h), which claims due mails for a
// lease, then marks each delivered or failed with a retry time. A mail is
// never deleted: delivered ones keep their delivery time. A deliverer that
// dies while holding a lease only delays its mails until the lease ends.
// A stateless view of the Database (which must outlive it); thread-safe and
// safe across processes (an admin command may deliver beside the server).
// Every call may also return INTERNAL (or UNAVAILABLE) for store failures.
#ifndef ERPSYNC_SERVER_STORE_OUTBOX_STORE_H_
#define ERPSYNC_SERVER_STORE_OUTBOX_STORE_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/status.h"
#include "server/store/approval_types.h"

namespace erpsync::server {

class OutboxStore {
 public:
  virtual ~OutboxStore() = default;

  // Adds the mails, due now, in one transaction.
  virtual Status Enqueue(const std::vector<OutgoingMail>& mails) = 0;

  // Adds the mails of the daily digest for `date` (YYYY-MM-DD) and records
  // that date, in one transaction. Unless
  // `force`, does nothing and returns false when the digest of `date` (or a
  // later one) was enqueued already. Returns whether it enqueued.
  virtual Result<bool> EnqueueDigest(const std::string& date, bool force,
                             const std::vector<OutgoingMail>& mails) = 0;
  // The date of the last digest enqueued; empty when none.
  virtual Result<std::string> LastDigestDate() = 0;

  // Takes up to `limit` undelivered mails that are due (next attempt at or
  // before now), oldest first, and pushes their next attempt `lease_seconds`
  // ahead so that no other deliverer takes them meanwhile.
  virtual Result<std::vector<OutboxMessage>> ClaimDue(int limit, int lease_seconds) = 0;
  // Marks a mail delivered now. NOT_FOUND for an unknown id.
  virtual Status MarkDelivered(int64_t id) = 0;
  // Counts a failed attempt, keeps `error` and makes the mail due again at
  // `retry_unix`. NOT_FOUND for an unknown id.
  virtual Status MarkFailed(int64_t id, const std::string& error, int64_t retry_unix) = 0;
  // When the earliest undelivered mail is due; nullopt when every mail is
  // delivered.
  virtual Result<std::optional<int64_t>> NextDueUnix() = 0;
  // How many mails are queued, retrying and sent (all companies).
  virtual Result<OutboxCounts> CountMessages() = 0;
  // Every mail, oldest first; only undelivered ones unless
  // `include_delivered`.
  virtual Result<std::vector<OutboxMessage>> List(bool include_delivered) = 0;
};

}  // namespace erpsync::server

#endif  // ERPSYNC_SERVER_STORE_OUTBOX_STORE_H_
