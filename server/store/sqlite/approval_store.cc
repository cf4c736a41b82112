#include "server/store/sqlite/approval_store.h"

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>

#include <limits>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "server/store/approval_rules.h"
#include "server/store/directory_rules.h"
#include "server/store/sqlite/outbox_rows.h"
#include "server/store/sqlite/sqlite_util.h"
#include "server/store/store_types.h"

namespace erpsync::server {
namespace {

using store_internal::CachedStatement;
using store_internal::ItemName;

// Columns read by ItemFromRow; append the WHERE clause.
constexpr std::string_view kSelectItem =
    "SELECT i.id, i.company_id, i.connection_id, n.name, i.type, i.project_id, i.state, i.origin, "
    "i.archived, i.budget_locked, i.resent, i.version, i.title, i.content, i.erp_ref, i.erp_key, "
    "i.erp_keys, i.erp_message, i.decision_comment, i.accepted_by, i.created_by, u.name, "
    "i.created_unix, i.updated_unix, i.queued_unix, i.delivered_version "
    "FROM approval_items i JOIN connections n ON n.id = i.connection_id "
    "JOIN users u ON u.id = i.created_by ";

Result<ApprovalItem> ItemFromRow(SQLite::Statement& row) {
  ApprovalItem item;
  item.id = row.getColumn(0).getInt64();
  item.company_id = row.getColumn(1).getInt64();
  item.connection_id = row.getColumn(2).getInt64();
  item.connection_name = row.getColumn(3).getString();
  item.type = static_cast<v1::ItemType>(row.getColumn(4).getInt());
  item.project_id = row.getColumn(5).isNull() ? 0 : row.getColumn(5).getInt64();
  item.state = static_cast<v1::ItemState>(row.getColumn(6).getInt());
  item.origin = static_cast<v1::ItemOrigin>(row.getColumn(7).getInt());
  item.archived = row.getColumn(8).getInt() != 0;
  item.budget_locked = row.getColumn(9).getInt() != 0;
  item.resent = row.getColumn(10).getInt() != 0;
  item.version = row.getColumn(11).getInt64();
  item.title = row.getColumn(12).getString();
  const SQLite::Column content = row.getColumn(13);
  ERPSYNC_RETURN_IF_ERROR(store_internal::ParseItemContent(
      item.id,
      std::string_view(static_cast<const char*>(content.getBlob()),
                       static_cast<size_t>(content.getBytes())),
      &item.content));
  item.erp_ref = row.getColumn(14).getString();
  item.erp_key = row.getColumn(15).getString();
  item.erp_keys = store_internal::SplitErpKeys(row.getColumn(16).getString());
  item.erp_message = row.getColumn(17).getString();
  item.decision_comment = row.getColumn(18).getString();
  item.accepted_by = row.getColumn(19).getString();
  item.created_by = row.getColumn(20).getInt64();
  item.created_by_name = row.getColumn(21).getString();
  item.created_unix = row.getColumn(22).getInt64();
  item.updated_unix = row.getColumn(23).getInt64();
  item.queued_unix = row.getColumn(24).getInt64();
  item.delivered_version = row.getColumn(25).getInt64();
  return item;
}

// Reads every row of `query` (already bound) as items.
Status ReadItems(SQLite::Statement& query, std::vector<ApprovalItem>* items) {
  while (query.executeStep()) {
    ERPSYNC_ASSIGN_OR_RETURN(ApprovalItem item, ItemFromRow(query));
    items->push_back(std::move(item));
  }
  return Status::Ok();
}

Result<ApprovalItem> LoadItem(SQLite::Database& db, int64_t company_id, int64_t item_id) {
  static const std::string kQuery =
      std::string(kSelectItem) + "WHERE i.id = ?1 AND (?2 = 0 OR i.company_id = ?2)";
  SQLite::Statement& query = CachedStatement(db, kQuery);
  query.bind(1, item_id);
  query.bind(2, company_id);
  if (!query.executeStep()) return store_internal::ItemNotFoundError(item_id);
  return ItemFromRow(query);
}

// ALREADY_EXISTS when another item of the type links `item.erp_key`.
Status CheckLinkFree(SQLite::Database& db, const ApprovalItem& item) {
  if (item.erp_key.empty()) return Status::Ok();
  SQLite::Statement& query = CachedStatement(
      db,
      "SELECT id FROM approval_items WHERE connection_id = ?1 AND type = ?2 AND erp_key = ?3 "
      "AND id <> ?4");
  query.bind(1, item.connection_id);
  query.bind(2, static_cast<int>(item.type));
  query.bindNoCopy(3, item.erp_key);
  query.bind(4, item.id);
  if (query.executeStep()) {
    return store_internal::LinkTakenError(item.erp_key, query.getColumn(0).getInt64());
  }
  return Status::Ok();
}

void InsertHistory(SQLite::Database& db, int64_t item_id, const HistoryRow& history,
                   int64_t version, int64_t now) {
  SQLite::Statement& insert = CachedStatement(
      db,
      "INSERT INTO approval_history (item_id, version, action, from_state, to_state, "
      "actor_user_id, actor, comment, created_unix) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)");
  insert.bind(1, item_id);
  insert.bind(2, version);
  insert.bindNoCopy(3, history.action);
  insert.bind(4, static_cast<int>(history.from_state));
  insert.bind(5, static_cast<int>(history.to_state));
  if (history.actor_user_id != 0) {
    insert.bind(6, history.actor_user_id);
  } else {
    insert.bind(6);
  }
  insert.bindNoCopy(7, history.actor);
  insert.bindNoCopy(8, history.comment);
  insert.bind(9, now);
  insert.exec();
}

// Binds the mutable columns of `item` as ?3..?17 (see the statements that
// use it).
void BindItemFields(SQLite::Statement& statement, const ApprovalItem& item,
                    const std::string& content, const std::string& erp_keys) {
  statement.bind(3, static_cast<int>(item.state));
  statement.bind(4, item.archived ? 1 : 0);
  statement.bind(5, item.budget_locked ? 1 : 0);
  statement.bind(6, item.resent ? 1 : 0);
  statement.bindNoCopy(7, item.title);
  statement.bindNoCopy(8, content.data(), static_cast<int>(content.size()));
  statement.bindNoCopy(9, item.erp_ref);
  statement.bindNoCopy(10, item.erp_key);
  statement.bindNoCopy(11, erp_keys);
  statement.bindNoCopy(12, item.erp_message);
  statement.bindNoCopy(13, item.decision_comment);
  statement.bindNoCopy(14, item.accepted_by);
  statement.bind(15, item.queued_unix);
  statement.bind(16, static_cast<int>(item.origin));
  statement.bind(17, item.delivered_version);
}

// The condition on approval_items i that puts an item in `queue`, as
// ListItems and CountQueues apply it; empty for a number that is no
// erpsync.v1.Queue. Type 3 is COST_CODE_UPDATE; states 2, 5, 6 are SENT,
// QUEUED_FOR_EXPORT, EXPORT_DELIVERED, 7 SYNCED, 8 FAILED_TO_EXPORT.
std::string_view QueueCondition(v1::Queue queue) {
  switch (queue) {
    case v1::QUEUE_UNSPECIFIED:
      return "i.archived = 0";
    case v1::READY_TO_EXPORT:
      return "i.archived = 0 AND i.state IN (2, 5, 6) AND i.type <> 3";
    case v1::READY_TO_UPDATE:
      return "i.archived = 0 AND i.state IN (2, 5, 6) AND i.type = 3";
    case v1::FAILED_TO_EXPORT_QUEUE:
      return "i.archived = 0 AND i.state = 8";
    case v1::SYNCED_QUEUE:
      return "i.archived = 0 AND i.state = 7";
    case v1::ARCHIVED:
      return "i.archived = 1";
    default:
      return "";
  }
}

MailRecipient RecipientFromRow(SQLite::Statement& row) {
  MailRecipient recipient;
  recipient.user_id = row.getColumn(0).getInt64();
  recipient.name = row.getColumn(1).getString();
  recipient.email = row.getColumn(2).getString();
  recipient.approver =
      store_internal::IsApprover(row.getColumn(3).getInt(), row.getColumn(4).getInt() != 0);
  if (!row.getColumn(5).isNull()) {
    recipient.on_send = row.getColumn(5).getInt() != 0;
    recipient.on_reject = row.getColumn(6).getInt() != 0;
  }
  std::optional<bool> digest;
  if (!row.getColumn(7).isNull()) digest = row.getColumn(7).getInt() != 0;
  recipient.daily_digest = store_internal::DailyDigestOf(digest, recipient.approver);
  return recipient;
}

constexpr std::string_view kSelectRecipient =
    "SELECT u.id, u.name, u.email, u.level, u.can_push, p.on_send, p.on_reject, p.daily_digest "
    "FROM users u LEFT JOIN notification_preferences p ON p.user_id = u.id "
    "WHERE u.company_id = ?1 AND u.revoked = 0 ";

Result<MailRecipient> LoadRecipient(SQLite::Database& db, int64_t company_id, int64_t user_id) {
  static const std::string kQuery = std::string(kSelectRecipient) + "AND u.id = ?2";
  SQLite::Statement& query = CachedStatement(db, kQuery);
  query.bind(1, company_id);
  query.bind(2, user_id);
  if (!query.executeStep()) return store_internal::RecipientNotFoundError(user_id);
  return RecipientFromRow(query);
}

}  // namespace

Result<ApprovalItem> SqliteApprovalStore::InsertItem(ApprovalItem item, HistoryRow history) {
  return database_->Write(
      "adding a " + item.title + " item", [&](SQLite::Database& db) -> Result<ApprovalItem> {
        item.id = 0;
        ERPSYNC_RETURN_IF_ERROR(CheckLinkFree(db, item));
        const int64_t now = database_->NowUnix();
        const std::string content = item.content.SerializeAsString();
        const std::string erp_keys = store_internal::JoinErpKeys(item.erp_keys);
        SQLite::Statement& insert = CachedStatement(
            db,
            "INSERT INTO approval_items (company_id, connection_id, state, archived, "
            "budget_locked, resent, title, content, erp_ref, erp_key, erp_keys, erp_message, "
            "decision_comment, accepted_by, queued_unix, origin, delivered_version, type, "
            "project_id, version, created_by, created_unix, updated_unix) VALUES (?1, ?2, ?3, ?4, "
            "?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, 1, ?20, ?21, "
            "?21)");
        insert.bind(1, item.company_id);
        insert.bind(2, item.connection_id);
        BindItemFields(insert, item, content, erp_keys);
        insert.bind(18, static_cast<int>(item.type));
        if (item.project_id != 0) {
          insert.bind(19, item.project_id);
        } else {
          insert.bind(19);
        }
        insert.bind(20, item.created_by);
        insert.bind(21, now);
        insert.exec();
        const int64_t id = db.getLastInsertRowid();
        InsertHistory(db, id, history, 1, now);
        return LoadItem(db, item.company_id, id);
      });
}

Result<ApprovalItem> SqliteApprovalStore::CommitChange(ApprovalItem changed, HistoryRow history,
                                                 const std::vector<OutgoingMail>& mails) {
  return database_->Write(
      "changing " + ItemName(changed.id), [&](SQLite::Database& db) -> Result<ApprovalItem> {
        ERPSYNC_ASSIGN_OR_RETURN(const ApprovalItem current,
                                 LoadItem(db, changed.company_id, changed.id));
        if (current.version != changed.version) {
          return store_internal::StaleItemError(changed.id, changed.version, current.version);
        }
        ERPSYNC_RETURN_IF_ERROR(CheckLinkFree(db, changed));
        const int64_t now = database_->NowUnix();
        const std::string content = changed.content.SerializeAsString();
        const std::string erp_keys = store_internal::JoinErpKeys(changed.erp_keys);
        SQLite::Statement& update = CachedStatement(
            db,
            "UPDATE approval_items SET state = ?3, archived = ?4, budget_locked = ?5, resent = ?6, "
            "title = ?7, content = ?8, erp_ref = ?9, erp_key = ?10, erp_keys = ?11, "
            "erp_message = ?12, decision_comment = ?13, accepted_by = ?14, queued_unix = ?15, "
            "origin = ?16, delivered_version = ?17, version = version + 1, updated_unix = ?18 "
            "WHERE id = ?1 AND version = ?2");
        update.bind(1, changed.id);
        update.bind(2, changed.version);
        BindItemFields(update, changed, content, erp_keys);
        update.bind(18, now);
        update.exec();
        InsertHistory(db, changed.id, history, changed.version + 1, now);
        store_internal::InsertOutboxRows(db, now, mails);
        return LoadItem(db, changed.company_id, changed.id);
      });
}

Result<ApprovalItem> SqliteApprovalStore::GetItem(int64_t company_id, int64_t item_id) {
  return database_->Read("reading " + ItemName(item_id),
                         [&](SQLite::Database& db) -> Result<ApprovalItem> {
                           return LoadItem(db, company_id, item_id);
                         });
}

Result<ApprovalItem> SqliteApprovalStore::GetItemById(int64_t item_id) { return GetItem(0, item_id); }

Result<ItemPage> SqliteApprovalStore::ListItems(int64_t company_id, const ItemFilter& filter) {
  ERPSYNC_RETURN_IF_ERROR(store_internal::CheckItemPageSize(filter.limit));
  const std::string_view queue = QueueCondition(filter.queue);
  if (queue.empty()) return store_internal::UnknownQueueError(filter.queue);
  // One statement per queue, with or without a type: each gets the plan
  // of its own conditions (the indexes of migrations.cc, version 10, read its
  // first page in id order).
  const bool typed = filter.type != v1::ITEM_TYPE_UNSPECIFIED;
  const std::string sql = std::string(kSelectItem) + "WHERE i.company_id = ?1 AND " +
                          std::string(queue) + (typed ? " AND i.type = ?6" : "") +
                          " AND (?2 = 0 OR i.project_id = ?2 OR i.id = ?2) "
                          "AND (?3 = 0 OR i.state = ?3) AND i.id < ?4 "
                          "ORDER BY i.id DESC LIMIT ?5";
  return database_->Read("listing items", [&](SQLite::Database& db) -> Result<ItemPage> {
    SQLite::Statement& query = CachedStatement(db, sql);
    query.bind(1, company_id);
    query.bind(2, filter.project_id);
    query.bind(3, static_cast<int>(filter.state));
    query.bind(4, filter.before_id != 0 ? filter.before_id : std::numeric_limits<int64_t>::max());
    query.bind(5, filter.limit + 1);
    if (typed) query.bind(6, static_cast<int>(filter.type));
    std::vector<ApprovalItem> items;
    ERPSYNC_RETURN_IF_ERROR(ReadItems(query, &items));
    return store_internal::PageOfItems(std::move(items), filter.limit);
  });
}

Result<std::map<v1::Queue, int64_t>> SqliteApprovalStore::CountQueues(int64_t company_id,
                                                                      v1::ItemType type) {
  // One count per queue over the company's items, in one pass.
  const std::vector<v1::Queue> queues = store_internal::EveryQueue();
  std::string sql = "SELECT ";
  for (const v1::Queue queue : queues) {
    const std::string_view condition = QueueCondition(queue);
    if (condition.empty()) return store_internal::UnknownQueueError(queue);
    if (queue != queues.front()) sql += ", ";
    sql += "count(*) FILTER (WHERE " + std::string(condition) + ")";
  }
  const bool typed = type != v1::ITEM_TYPE_UNSPECIFIED;
  sql += " FROM approval_items i WHERE i.company_id = ?1";
  if (typed) sql += " AND i.type = ?2";
  const std::string what = "counting the items of each queue";
  return database_->Read(what, [&](SQLite::Database& db) -> Result<std::map<v1::Queue, int64_t>> {
    SQLite::Statement& query = CachedStatement(db, sql);
    query.bind(1, company_id);
    if (typed) query.bind(2, static_cast<int>(type));
    if (!query.executeStep()) return InternalError(what + ": no row");
    std::map<v1::Queue, int64_t> counts;
    for (size_t i = 0; i < queues.size(); ++i) {
      counts[queues[i]] = query.getColumn(static_cast<int>(i)).getInt64();
    }
    return counts;
  });
}

Result<std::vector<HistoryRow>> SqliteApprovalStore::GetHistory(int64_t company_id, int64_t item_id) {
  return database_->Read(
      "reading the history of " + ItemName(item_id),
      [&](SQLite::Database& db) -> Result<std::vector<HistoryRow>> {
        ERPSYNC_RETURN_IF_ERROR(LoadItem(db, company_id, item_id).status());
        SQLite::Statement& query = CachedStatement(
            db,
            "SELECT version, action, from_state, to_state, actor_user_id, actor, comment, "
            "created_unix FROM approval_history WHERE item_id = ?1 ORDER BY id");
        query.bind(1, item_id);
        std::vector<HistoryRow> rows;
        while (query.executeStep()) {
          HistoryRow& row = rows.emplace_back();
          row.version = query.getColumn(0).getInt64();
          row.action = query.getColumn(1).getString();
          row.from_state = static_cast<v1::ItemState>(query.getColumn(2).getInt());
          row.to_state = static_cast<v1::ItemState>(query.getColumn(3).getInt());
          row.actor_user_id = query.getColumn(4).isNull() ? 0 : query.getColumn(4).getInt64();
          row.actor = query.getColumn(5).getString();
          row.comment = query.getColumn(6).getString();
          row.created_unix = query.getColumn(7).getInt64();
        }
        return rows;
      });
}

Result<std::vector<ApprovalItem>> SqliteApprovalStore::FindByErpKey(int64_t connection_id,
                                                              v1::ItemType type,
                                                              const std::string& key) {
  return database_->Read(
      "finding items for ERP key '" + key + "'",
      [&](SQLite::Database& db) -> Result<std::vector<ApprovalItem>> {
        static const std::string kQuery =
            std::string(kSelectItem) +
            "WHERE i.connection_id = ?1 AND i.type = ?2 AND (i.erp_ref = ?3 OR i.erp_key = ?3) "
            "ORDER BY i.id";
        SQLite::Statement& query = CachedStatement(db, kQuery);
        query.bind(1, connection_id);
        query.bind(2, static_cast<int>(type));
        query.bindNoCopy(3, key);
        std::vector<ApprovalItem> items;
        ERPSYNC_RETURN_IF_ERROR(ReadItems(query, &items));
        return items;
      });
}

Result<std::set<std::string>> SqliteApprovalStore::LinkedKeys(int64_t connection_id, v1::ItemType type) {
  return database_->Read(
      "listing linked ERP keys", [&](SQLite::Database& db) -> Result<std::set<std::string>> {
        SQLite::Statement& query = CachedStatement(
            db,
            "SELECT erp_key FROM approval_items WHERE connection_id = ?1 AND type = ?2 "
            "AND erp_key <> ''");
        query.bind(1, connection_id);
        query.bind(2, static_cast<int>(type));
        std::set<std::string> keys;
        while (query.executeStep()) keys.insert(query.getColumn(0).getString());
        return keys;
      });
}

Result<std::vector<ApprovalItem>> SqliteApprovalStore::ListQueuedExports(int64_t connection_id,
                                                                   bool include_delivered,
                                                                   int limit) {
  ERPSYNC_RETURN_IF_ERROR(store_internal::CheckQueuedExportLimit(limit));
  return database_->Read(
      "listing queued exports", [&](SQLite::Database& db) -> Result<std::vector<ApprovalItem>> {
        static const std::string kQuery =
            std::string(kSelectItem) +
            "WHERE i.connection_id = ?1 AND (i.state = ?2 OR (?3 AND i.state = ?4)) "
            "ORDER BY i.queued_unix, i.id LIMIT ?5";
        SQLite::Statement& query = CachedStatement(db, kQuery);
        query.bind(1, connection_id);
        query.bind(2, static_cast<int>(v1::QUEUED_FOR_EXPORT));
        query.bind(3, include_delivered ? 1 : 0);
        query.bind(4, static_cast<int>(v1::EXPORT_DELIVERED));
        query.bind(5, limit);
        std::vector<ApprovalItem> items;
        ERPSYNC_RETURN_IF_ERROR(ReadItems(query, &items));
        return items;
      });
}

Result<std::vector<ItemStateCount>> SqliteApprovalStore::CountItemsByState() {
  return database_->Read(
      "counting the approval items by state",
      [&](SQLite::Database& db) -> Result<std::vector<ItemStateCount>> {
        SQLite::Statement& query =
            CachedStatement(db,
                            "SELECT c.name, i.state, COUNT(*) FROM approval_items i "
                            "JOIN companies c ON c.id = i.company_id WHERE i.archived = 0 "
                            "GROUP BY c.name, i.state ORDER BY c.name, i.state");
        std::vector<ItemStateCount> counts;
        while (query.executeStep()) {
          counts.push_back({query.getColumn(0).getString(),
                            static_cast<v1::ItemState>(query.getColumn(1).getInt()),
                            query.getColumn(2).getInt64()});
        }
        return counts;
      });
}

Result<std::set<v1::ItemType>> SqliteApprovalStore::DirectExportTypes(int64_t company_id) {
  return database_->Read(
      "reading the direct export settings",
      [&](SQLite::Database& db) -> Result<std::set<v1::ItemType>> {
        SQLite::Statement& query = CachedStatement(
            db, "SELECT type FROM approval_settings WHERE company_id = ?1 AND direct_export = 1");
        query.bind(1, company_id);
        std::set<v1::ItemType> types;
        while (query.executeStep()) {
          types.insert(static_cast<v1::ItemType>(query.getColumn(0).getInt()));
        }
        return types;
      });
}

Status SqliteApprovalStore::SetDirectExport(int64_t company_id, v1::ItemType type, bool on) {
  return database_->WithWriteTransaction(
      "changing the direct export setting", [&](SQLite::Database& db) -> Status {
        SQLite::Statement& company = CachedStatement(db, "SELECT 1 FROM companies WHERE id = ?1");
        company.bind(1, company_id);
        if (!company.executeStep()) {
          return store_internal::CompanyNotFoundError(company_id);
        }
        SQLite::Statement& upsert = CachedStatement(
            db,
            "INSERT INTO approval_settings (company_id, type, direct_export) VALUES (?1, ?2, ?3) "
            "ON CONFLICT (company_id, type) DO UPDATE SET direct_export = excluded.direct_export");
        upsert.bind(1, company_id);
        upsert.bind(2, static_cast<int>(type));
        upsert.bind(3, on ? 1 : 0);
        upsert.exec();
        return Status::Ok();
      });
}

Result<std::vector<MailRecipient>> SqliteApprovalStore::ListRecipients(int64_t company_id) {
  return database_->Read("listing the users of company " + std::to_string(company_id),
                         [&](SQLite::Database& db) -> Result<std::vector<MailRecipient>> {
                           static const std::string kQuery =
                               std::string(kSelectRecipient) + "ORDER BY u.name";
                           SQLite::Statement& query = CachedStatement(db, kQuery);
                           query.bind(1, company_id);
                           std::vector<MailRecipient> recipients;
                           while (query.executeStep())
                             recipients.push_back(RecipientFromRow(query));
                           return recipients;
                         });
}

Result<MailRecipient> SqliteApprovalStore::GetRecipient(int64_t company_id, int64_t user_id) {
  return database_->Read("reading user " + std::to_string(user_id),
                         [&](SQLite::Database& db) -> Result<MailRecipient> {
                           return LoadRecipient(db, company_id, user_id);
                         });
}

Result<MailRecipient> SqliteApprovalStore::FindRecipient(int64_t company_id,
                                                   const std::string& user_name) {
  return database_->Read(
      "finding user '" + user_name + "'", [&](SQLite::Database& db) -> Result<MailRecipient> {
        static const std::string kQuery = std::string(kSelectRecipient) + "AND u.name = ?2";
        SQLite::Statement& query = CachedStatement(db, kQuery);
        query.bind(1, company_id);
        query.bindNoCopy(2, user_name);
        if (!query.executeStep()) return store_internal::RecipientNameNotFoundError(user_name);
        return RecipientFromRow(query);
      });
}

Result<MailRecipient> SqliteApprovalStore::SetPreferences(int64_t company_id, int64_t user_id,
                                                    std::optional<bool> on_send,
                                                    std::optional<bool> on_reject,
                                                    std::optional<bool> daily_digest) {
  return database_->Write(
      "changing the notification preferences of user " + std::to_string(user_id),
      [&](SQLite::Database& db) -> Result<MailRecipient> {
        ERPSYNC_ASSIGN_OR_RETURN(MailRecipient recipient, LoadRecipient(db, company_id, user_id));
        recipient.on_send = on_send.value_or(recipient.on_send);
        recipient.on_reject = on_reject.value_or(recipient.on_reject);
        recipient.daily_digest = daily_digest.value_or(recipient.daily_digest);
        // daily_digest is stored only when chosen (NULL: the default).
        SQLite::Statement& upsert = CachedStatement(
            db,
            "INSERT INTO notification_preferences (user_id, on_send, on_reject, daily_digest) "
            "VALUES (?1, ?2, ?3, ?4) ON CONFLICT (user_id) DO UPDATE SET "
            "on_send = excluded.on_send, on_reject = excluded.on_reject, "
            "daily_digest = COALESCE(excluded.daily_digest, daily_digest)");
        upsert.bind(1, user_id);
        upsert.bind(2, recipient.on_send ? 1 : 0);
        upsert.bind(3, recipient.on_reject ? 1 : 0);
        if (daily_digest) {
          upsert.bind(4, *daily_digest ? 1 : 0);
        } else {
          upsert.bind(4);
        }
        upsert.exec();
        return recipient;
      });
}

}  // namespace erpsync::server
