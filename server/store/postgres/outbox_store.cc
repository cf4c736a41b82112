#include "server/store/postgres/outbox_store.h"

#include <algorithm>

#include "server/store/approval_rules.h"
#include "server/store/postgres/outbox_rows.h"

namespace erpsync::server {
namespace {

using store_internal::kLastDigestDateName;

// The columns MessageFromRow reads, in its order.
constexpr std::string_view kMessageColumns =
    "id, company_id, item_id, kind, recipient, subject, body, created_unix, attempts, "
    "next_attempt_unix, delivered_unix, last_error";

OutboxMessage MessageFromRow(const PgResult& result, int row) {
  OutboxMessage message;
  message.id = result.Int(row, 0);
  message.company_id = result.Int(row, 1);
  message.item_id = result.Int(row, 2);
  message.kind = std::string(result.Text(row, 3));
  message.recipient = std::string(result.Text(row, 4));
  message.subject = std::string(result.Text(row, 5));
  message.body = std::string(result.Text(row, 6));
  message.created_unix = result.Int(row, 7);
  message.attempts = static_cast<int>(result.Int(row, 8));
  message.next_attempt_unix = result.Int(row, 9);
  message.delivered_unix = result.Int(row, 10);
  message.last_error = std::string(result.Text(row, 11));
  return message;
}

std::vector<OutboxMessage> MessagesOf(const PgResult& result) {
  std::vector<OutboxMessage> messages;
  messages.reserve(static_cast<size_t>(result.rows()));
  for (int row = 0; row < result.rows(); ++row) messages.push_back(MessageFromRow(result, row));
  return messages;
}

// Runs `update` (an UPDATE of outbox whose WHERE clause begins
// "company_id = $1 AND id = $2"; `more` are $3...) on mail `id`, after
// finding its company (0 for a mail of no company). `not_found` when there
// is no such mail or the update changes nothing.
Result<bool> UpdateMail(PgConnection& connection, const std::string& what, int64_t id,
                        std::string_view update, std::vector<PgParam> more,
                        const Status& not_found) {
  ERPSYNC_ASSIGN_OR_RETURN(
      const PgResult company,
      connection.Exec(what, "SELECT company_id FROM outbox WHERE id = $1", {id}));
  if (company.rows() == 0) return not_found;
  std::vector<PgParam> params = {company.Int(0, 0), id};
  for (PgParam& param : more) params.push_back(std::move(param));
  ERPSYNC_ASSIGN_OR_RETURN(const PgResult updated, connection.Exec(what, update, params));
  if (updated.affected() == 0) return not_found;
  return true;
}

}  // namespace

namespace pg_internal {

Status InsertOutboxRows(PgConnection& connection, int64_t now,
                        const std::vector<OutgoingMail>& mails) {
  for (const OutgoingMail& mail : mails) {
    ERPSYNC_RETURN_IF_ERROR(
        connection
            .Exec("queueing mail to " + mail.recipient,
                  "INSERT INTO outbox (company_id, item_id, kind, recipient, subject, body, "
                  "created_unix, next_attempt_unix) VALUES ($1, $2, $3, $4, $5, $6, $7, $7)",
                  {mail.company_id, mail.item_id, mail.kind, mail.recipient, mail.subject,
                   mail.body, now})
            .status());
  }
  return Status::Ok();
}

}  // namespace pg_internal

Status PgOutboxStore::Enqueue(const std::vector<OutgoingMail>& mails) {
  return database_
      ->Write("queueing mail",
              [&](PgConnection& connection) -> Result<bool> {
                ERPSYNC_RETURN_IF_ERROR(
                    pg_internal::InsertOutboxRows(connection, database_->NowUnix(), mails));
                return true;
              })
      .status();
}

Result<bool> PgOutboxStore::EnqueueDigest(const std::string& date, bool force,
                                          const std::vector<OutgoingMail>& mails) {
  return database_->Write(
      "queueing the daily digest of " + date, [&](PgConnection& connection) -> Result<bool> {
        // The row of the last date, created when missing, then locked: a
        // server that enqueues the same digest at the same time waits here
        // and then reads the date this one writes.
        ERPSYNC_RETURN_IF_ERROR(connection
                                    .Exec("creating the last digest date",
                                          "INSERT INTO mail_state (name, value) VALUES ($1, '') "
                                          "ON CONFLICT (name) DO NOTHING",
                                          {kLastDigestDateName})
                                    .status());
        ERPSYNC_ASSIGN_OR_RETURN(
            const PgResult last,
            connection.Exec("locking the last digest date",
                            "SELECT value FROM mail_state WHERE name = $1 FOR UPDATE",
                            {kLastDigestDateName}));
        if (!force && last.Text(0, 0) >= date) return false;
        ERPSYNC_RETURN_IF_ERROR(
            pg_internal::InsertOutboxRows(connection, database_->NowUnix(), mails));
        ERPSYNC_RETURN_IF_ERROR(connection
                                    .Exec("recording the last digest date",
                                          "UPDATE mail_state SET value = $2 WHERE name = $1",
                                          {kLastDigestDateName, date})
                                    .status());
        return true;
      });
}

Result<std::string> PgOutboxStore::LastDigestDate() {
  return database_->Read(
      "reading the last digest date", [&](PgConnection& connection) -> Result<std::string> {
        ERPSYNC_ASSIGN_OR_RETURN(
            const PgResult last,
            connection.Exec("reading the last digest date",
                            "SELECT value FROM mail_state WHERE name = $1", {kLastDigestDateName}));
        return last.rows() == 0 ? std::string() : std::string(last.Text(0, 0));
      });
}

Result<std::vector<OutboxMessage>> PgOutboxStore::ClaimDue(int limit, int lease_seconds) {
  return database_->Write(
      "claiming due mail", [&](PgConnection& connection) -> Result<std::vector<OutboxMessage>> {
        const int64_t now = database_->NowUnix();
        // One statement takes the due rows that no other deliverer holds
        // (SKIP LOCKED: a concurrent claim takes others instead of waiting)
        // and pushes them past the lease; a row another claim leased
        // meanwhile is re-checked against its new next attempt and left out.
        static const std::string kClaim =
            "WITH due (due_company_id, due_id) AS MATERIALIZED (SELECT company_id, id FROM outbox "
            "WHERE delivered_unix = 0 AND next_attempt_unix <= $1 ORDER BY id LIMIT $2 "
            "FOR UPDATE SKIP LOCKED) "
            "UPDATE outbox SET next_attempt_unix = $3 FROM due "
            "WHERE company_id = due_company_id AND id = due_id RETURNING " +
            std::string(kMessageColumns);
        ERPSYNC_ASSIGN_OR_RETURN(
            const PgResult claimed,
            connection.Exec("claiming due mail", kClaim, {now, limit, now + lease_seconds}));
        std::vector<OutboxMessage> messages = MessagesOf(claimed);
        std::sort(messages.begin(), messages.end(),
                  [](const OutboxMessage& a, const OutboxMessage& b) { return a.id < b.id; });
        return messages;
      });
}

Status PgOutboxStore::MarkDelivered(int64_t id) {
  const std::string what = "marking mail " + std::to_string(id) + " delivered";
  return database_
      ->Write(what,
              [&](PgConnection& connection) -> Result<bool> {
                return UpdateMail(connection, what, id,
                                  "UPDATE outbox SET delivered_unix = $3, attempts = attempts + 1, "
                                  "last_error = '' WHERE company_id = $1 AND id = $2",
                                  {database_->NowUnix()}, store_internal::MailNotFoundError(id));
              })
      .status();
}

Status PgOutboxStore::MarkFailed(int64_t id, const std::string& error, int64_t retry_unix) {
  const std::string what = "recording a failed delivery of mail " + std::to_string(id);
  return database_
      ->Write(what,
              [&](PgConnection& connection) -> Result<bool> {
                return UpdateMail(connection, what, id,
                                  "UPDATE outbox SET attempts = attempts + 1, last_error = $3, "
                                  "next_attempt_unix = $4 "
                                  "WHERE company_id = $1 AND id = $2 AND delivered_unix = 0",
                                  {error, retry_unix},
                                  store_internal::UndeliveredMailNotFoundError(id));
              })
      .status();
}

Result<std::optional<int64_t>> PgOutboxStore::NextDueUnix() {
  return database_->Read(
      "reading the next due mail", [&](PgConnection& connection) -> Result<std::optional<int64_t>> {
        ERPSYNC_ASSIGN_OR_RETURN(
            const PgResult due,
            connection.Exec("reading the next due mail",
                            "SELECT MIN(next_attempt_unix) FROM outbox WHERE delivered_unix = 0"));
        if (due.IsNull(0, 0)) return std::optional<int64_t>();
        return std::optional<int64_t>(due.Int(0, 0));
      });
}

Result<OutboxCounts> PgOutboxStore::CountMessages() {
  return database_->Read(
      "counting the outbox", [&](PgConnection& connection) -> Result<OutboxCounts> {
        ERPSYNC_ASSIGN_OR_RETURN(
            const PgResult counted,
            connection.Exec("counting the outbox",
                            "SELECT COUNT(*) FILTER (WHERE delivered_unix = 0 AND attempts = 0), "
                            "COUNT(*) FILTER (WHERE delivered_unix = 0 AND attempts > 0), "
                            "COUNT(*) FILTER (WHERE delivered_unix <> 0) FROM outbox"));
        OutboxCounts counts;
        counts.queued = counted.Int(0, 0);
        counts.retrying = counted.Int(0, 1);
        counts.sent = counted.Int(0, 2);
        return counts;
      });
}

Result<std::vector<OutboxMessage>> PgOutboxStore::List(bool include_delivered) {
  return database_->Read(
      "listing the outbox", [&](PgConnection& connection) -> Result<std::vector<OutboxMessage>> {
        static const std::string kQuery = "SELECT " + std::string(kMessageColumns) +
                                          " FROM outbox WHERE $1 OR delivered_unix = 0 "
                                          "ORDER BY id";
        ERPSYNC_ASSIGN_OR_RETURN(const PgResult rows, connection.Exec("listing the outbox", kQuery,
                                                                      {include_delivered}));
        return MessagesOf(rows);
      });
}

}  // namespace erpsync::server
