#include "server/store/sqlite/outbox_store.h"

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>

#include "server/store/approval_rules.h"
#include "server/store/sqlite/outbox_rows.h"
#include "server/store/sqlite/sqlite_util.h"

namespace erpsync::server {
namespace {

using store_internal::CachedStatement;
using store_internal::kLastDigestDateName;

constexpr std::string_view kSelectMessage =
    "SELECT id, company_id, item_id, kind, recipient, subject, body, created_unix, attempts, "
    "next_attempt_unix, delivered_unix, last_error FROM outbox ";

OutboxMessage MessageFromRow(SQLite::Statement& row) {
  OutboxMessage message;
  message.id = row.getColumn(0).getInt64();
  message.company_id = row.getColumn(1).isNull() ? 0 : row.getColumn(1).getInt64();
  message.item_id = row.getColumn(2).isNull() ? 0 : row.getColumn(2).getInt64();
  message.kind = row.getColumn(3).getString();
  message.recipient = row.getColumn(4).getString();
  message.subject = row.getColumn(5).getString();
  message.body = row.getColumn(6).getString();
  message.created_unix = row.getColumn(7).getInt64();
  message.attempts = row.getColumn(8).getInt();
  message.next_attempt_unix = row.getColumn(9).getInt64();
  message.delivered_unix = row.getColumn(10).getInt64();
  message.last_error = row.getColumn(11).getString();
  return message;
}

std::string ReadLastDigestDate(SQLite::Database& db) {
  SQLite::Statement& query = CachedStatement(db, "SELECT value FROM mail_state WHERE name = ?1");
  query.bind(1, kLastDigestDateName);
  return query.executeStep() ? query.getColumn(0).getString() : std::string();
}

}  // namespace

namespace store_internal {

void InsertOutboxRows(SQLite::Database& db, int64_t now, const std::vector<OutgoingMail>& mails) {
  for (const OutgoingMail& mail : mails) {
    SQLite::Statement& insert = CachedStatement(
        db,
        "INSERT INTO outbox (company_id, item_id, kind, recipient, subject, body, created_unix, "
        "next_attempt_unix) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7)");
    if (mail.company_id != 0) {
      insert.bind(1, mail.company_id);
    } else {
      insert.bind(1);
    }
    if (mail.item_id != 0) {
      insert.bind(2, mail.item_id);
    } else {
      insert.bind(2);
    }
    insert.bindNoCopy(3, mail.kind);
    insert.bindNoCopy(4, mail.recipient);
    insert.bindNoCopy(5, mail.subject);
    insert.bindNoCopy(6, mail.body);
    insert.bind(7, now);
    insert.exec();
  }
}

}  // namespace store_internal

Status SqliteOutboxStore::Enqueue(const std::vector<OutgoingMail>& mails) {
  return database_->WithWriteTransaction("queueing mail", [&](SQLite::Database& db) -> Status {
    store_internal::InsertOutboxRows(db, database_->NowUnix(), mails);
    return Status::Ok();
  });
}

Result<bool> SqliteOutboxStore::EnqueueDigest(const std::string& date, bool force,
                                        const std::vector<OutgoingMail>& mails) {
  return database_->Write(
      "queueing the daily digest of " + date, [&](SQLite::Database& db) -> Result<bool> {
        if (!force && ReadLastDigestDate(db) >= date) return false;
        store_internal::InsertOutboxRows(db, database_->NowUnix(), mails);
        SQLite::Statement& upsert =
            CachedStatement(db, "INSERT OR REPLACE INTO mail_state (name, value) VALUES (?1, ?2)");
        upsert.bind(1, kLastDigestDateName);
        upsert.bindNoCopy(2, date);
        upsert.exec();
        return true;
      });
}

Result<std::string> SqliteOutboxStore::LastDigestDate() {
  return database_->Read(
      "reading the last digest date",
      [&](SQLite::Database& db) -> Result<std::string> { return ReadLastDigestDate(db); });
}

Result<std::vector<OutboxMessage>> SqliteOutboxStore::ClaimDue(int limit, int lease_seconds) {
  return database_->Write(
      "claiming due mail", [&](SQLite::Database& db) -> Result<std::vector<OutboxMessage>> {
        const int64_t now = database_->NowUnix();
        static const std::string kQuery =
            std::string(kSelectMessage) +
            "WHERE delivered_unix = 0 AND next_attempt_unix <= ?1 ORDER BY id LIMIT ?2";
        SQLite::Statement& query = CachedStatement(db, kQuery);
        query.bind(1, now);
        query.bind(2, limit);
        std::vector<OutboxMessage> messages;
        while (query.executeStep()) messages.push_back(MessageFromRow(query));
        for (OutboxMessage& message : messages) {
          SQLite::Statement& lease =
              CachedStatement(db, "UPDATE outbox SET next_attempt_unix = ?2 WHERE id = ?1");
          lease.bind(1, message.id);
          lease.bind(2, now + lease_seconds);
          lease.exec();
          message.next_attempt_unix = now + lease_seconds;
        }
        return messages;
      });
}

Status SqliteOutboxStore::MarkDelivered(int64_t id) {
  return database_->WithWriteTransaction(
      "marking mail " + std::to_string(id) + " delivered", [&](SQLite::Database& db) -> Status {
        SQLite::Statement& update = CachedStatement(
            db,
            "UPDATE outbox SET delivered_unix = ?2, attempts = attempts + 1, last_error = '' "
            "WHERE id = ?1");
        update.bind(1, id);
        update.bind(2, database_->NowUnix());
        if (update.exec() == 0) return store_internal::MailNotFoundError(id);
        return Status::Ok();
      });
}

Status SqliteOutboxStore::MarkFailed(int64_t id, const std::string& error, int64_t retry_unix) {
  return database_->WithWriteTransaction(
      "recording a failed delivery of mail " + std::to_string(id),
      [&](SQLite::Database& db) -> Status {
        SQLite::Statement& update = CachedStatement(
            db,
            "UPDATE outbox SET attempts = attempts + 1, last_error = ?2, next_attempt_unix = ?3 "
            "WHERE id = ?1 AND delivered_unix = 0");
        update.bind(1, id);
        update.bindNoCopy(2, error);
        update.bind(3, retry_unix);
        if (update.exec() == 0) return store_internal::UndeliveredMailNotFoundError(id);
        return Status::Ok();
      });
}

Result<std::optional<int64_t>> SqliteOutboxStore::NextDueUnix() {
  return database_->Read(
      "reading the next due mail", [&](SQLite::Database& db) -> Result<std::optional<int64_t>> {
        SQLite::Statement& query = CachedStatement(
            db, "SELECT MIN(next_attempt_unix) FROM outbox WHERE delivered_unix = 0");
        std::optional<int64_t> due;
        if (query.executeStep() && !query.getColumn(0).isNull()) {
          due = query.getColumn(0).getInt64();
        }
        return due;
      });
}

Result<OutboxCounts> SqliteOutboxStore::CountMessages() {
  return database_->Read("counting the outbox", [&](SQLite::Database& db) -> Result<OutboxCounts> {
    SQLite::Statement& query =
        CachedStatement(db,
                        "SELECT COUNT(*) FILTER (WHERE delivered_unix = 0 AND attempts = 0), "
                        "COUNT(*) FILTER (WHERE delivered_unix = 0 AND attempts > 0), "
                        "COUNT(*) FILTER (WHERE delivered_unix <> 0) FROM outbox");
    OutboxCounts counts;
    if (query.executeStep()) {
      counts.queued = query.getColumn(0).getInt64();
      counts.retrying = query.getColumn(1).getInt64();
      counts.sent = query.getColumn(2).getInt64();
    }
    return counts;
  });
}

Result<std::vector<OutboxMessage>> SqliteOutboxStore::List(bool include_delivered) {
  return database_->Read(
      "listing the outbox", [&](SQLite::Database& db) -> Result<std::vector<OutboxMessage>> {
        static const std::string kQuery =
            std::string(kSelectMessage) + "WHERE ?1 OR delivered_unix = 0 ORDER BY id";
        SQLite::Statement& query = CachedStatement(db, kQuery);
        query.bind(1, include_delivered ? 1 : 0);
        std::vector<OutboxMessage> messages;
        while (query.executeStep()) messages.push_back(MessageFromRow(query));
        return messages;
      });
}

}  // namespace erpsync::server
