// PgOutboxStore: the OutboxStore of the PostgreSQL backend (server/store/outbox_store.h
// says what each call does), over the PgDatabase it is given, which must
// outlive it. Thread-safe.
#ifndef ERPSYNC_SERVER_STORE_POSTGRES_OUTBOX_STORE_H_
#define ERPSYNC_SERVER_STORE_POSTGRES_OUTBOX_STORE_H_

#include "server/store/outbox_store.h"
#include "server/store/postgres/pg_database.h"

namespace erpsync::server {

class PgOutboxStore final : public OutboxStore {
 public:
  explicit PgOutboxStore(PgDatabase* database) : database_(database) {}

  Status Enqueue(const std::vector<OutgoingMail>& mails) override;
  Result<bool> EnqueueDigest(const std::string& date, bool force,
                             const std::vector<OutgoingMail>& mails) override;
  Result<std::string> LastDigestDate() override;
  Result<std::vector<OutboxMessage>> ClaimDue(int limit, int lease_seconds) override;
  Status MarkDelivered(int64_t id) override;
  Status MarkFailed(int64_t id, const std::string& error, int64_t retry_unix) override;
  Result<std::optional<int64_t>> NextDueUnix() override;
  Result<OutboxCounts> CountMessages() override;
  Result<std::vector<OutboxMessage>> List(bool include_delivered) override;

 private:
  PgDatabase* database_;
};

}  // namespace erpsync::server

#endif  // ERPSYNC_SERVER_STORE_POSTGRES_OUTBOX_STORE_H_
