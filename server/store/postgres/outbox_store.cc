#include "server/store/postgres/outbox_store.h"

namespace erpsync::server {

Status PgOutboxStore::Enqueue(const std::vector<OutgoingMail>& /*mails*/) {
  return UnimplementedError("PgOutboxStore::Enqueue");
}

Result<bool> PgOutboxStore::EnqueueDigest(const std::string& /*date*/, bool /*force*/, const std::vector<OutgoingMail>& /*mails*/) {
  return UnimplementedError("PgOutboxStore::EnqueueDigest");
}

Result<std::string> PgOutboxStore::LastDigestDate() {
  return UnimplementedError("PgOutboxStore::LastDigestDate");
}

Result<std::vector<OutboxMessage>> PgOutboxStore::ClaimDue(int /*limit*/, int /*lease_seconds*/) {
  return UnimplementedError("PgOutboxStore::ClaimDue");
}

Status PgOutboxStore::MarkDelivered(int64_t /*id*/) {
  return UnimplementedError("PgOutboxStore::MarkDelivered");
}

Status PgOutboxStore::MarkFailed(int64_t /*id*/, const std::string& /*error*/, int64_t /*retry_unix*/) {
  return UnimplementedError("PgOutboxStore::MarkFailed");
}

Result<std::optional<int64_t>> PgOutboxStore::NextDueUnix() {
  return UnimplementedError("PgOutboxStore::NextDueUnix");
}

Result<std::vector<OutboxMessage>> PgOutboxStore::List(bool /*include_delivered*/) {
  return UnimplementedError("PgOutboxStore::List");
}

}  // namespace erpsync::server
