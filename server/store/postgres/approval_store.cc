#include "server/store/postgres/approval_store.h"

#include <limits>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "server/store/approval_rules.h"
#include "server/store/directory_rules.h"
#include "server/store/postgres/outbox_rows.h"
#include "server/store/store_types.h"

namespace erpsync::server {
namespace {

using store_internal::ItemName;

// Columns read by ItemFromRow; append the WHERE clause, which names
// i.company_id first.
constexpr std::string_view kSelectItem =
    "SELECT i.id, i.company_id, i.connection_id, n.name, i.type, COALESCE(i.project_id, 0), "
    "i.state, i.origin, i.archived, i.budget_locked, i.resent, i.version, i.title, i.content, "
    "i.erp_ref, i.erp_key, i.erp_keys, i.erp_message, i.decision_comment, i.accepted_by, "
    "i.created_by, u.name, i.created_unix, i.updated_unix, i.queued_unix, i.delivered_version "
    "FROM approval_items i "
    "JOIN connections n ON n.company_id = i.company_id AND n.id = i.connection_id "
    "JOIN users u ON u.company_id = i.company_id AND u.id = i.created_by ";

Result<ApprovalItem> ItemFromRow(const PgResult& result, int row) {
  ApprovalItem item;
  item.id = result.Int(row, 0);
  item.company_id = result.Int(row, 1);
  item.connection_id = result.Int(row, 2);
  item.connection_name = std::string(result.Text(row, 3));
  item.type = static_cast<v1::ItemType>(result.Int(row, 4));
  item.project_id = result.Int(row, 5);
  item.state = static_cast<v1::ItemState>(result.Int(row, 6));
  item.origin = static_cast<v1::ItemOrigin>(result.Int(row, 7));
  item.archived = result.Bool(row, 8);
  item.budget_locked = result.Bool(row, 9);
  item.resent = result.Bool(row, 10);
  item.version = result.Int(row, 11);
  item.title = std::string(result.Text(row, 12));
  ERPSYNC_RETURN_IF_ERROR(
      store_internal::ParseItemContent(item.id, result.Bytes(row, 13), &item.content));
  item.erp_ref = std::string(result.Text(row, 14));
  item.erp_key = std::string(result.Text(row, 15));
  item.erp_keys = store_internal::SplitErpKeys(result.Text(row, 16));
  item.erp_message = std::string(result.Text(row, 17));
  item.decision_comment = std::string(result.Text(row, 18));
  item.accepted_by = std::string(result.Text(row, 19));
  item.created_by = result.Int(row, 20);
  item.created_by_name = std::string(result.Text(row, 21));
  item.created_unix = result.Int(row, 22);
  item.updated_unix = result.Int(row, 23);
  item.queued_unix = result.Int(row, 24);
  item.delivered_version = result.Int(row, 25);
  return item;
}

// The condition on approval_items i that puts an item in `queue`, as
// ListItems and CountQueues apply it; empty for a number that is no
// erpsync.v1.Queue. Type 3 is COST_CODE_UPDATE; states 2, 5, 6 are SENT,
// QUEUED_FOR_EXPORT, EXPORT_DELIVERED, 7 SYNCED, 8 FAILED_TO_EXPORT.
std::string_view QueueCondition(v1::Queue queue) {
  switch (queue) {
    case v1::QUEUE_UNSPECIFIED:
      return "NOT i.archived";
    case v1::READY_TO_EXPORT:
      return "NOT i.archived AND i.state IN (2, 5, 6) AND i.type <> 3";
    case v1::READY_TO_UPDATE:
      return "NOT i.archived AND i.state IN (2, 5, 6) AND i.type = 3";
    case v1::FAILED_TO_EXPORT_QUEUE:
      return "NOT i.archived AND i.state = 8";
    case v1::SYNCED_QUEUE:
      return "NOT i.archived AND i.state = 7";
    case v1::ARCHIVED:
      return "i.archived";
    default:
      return "";
  }
}

Result<std::vector<ApprovalItem>> ItemsOf(const PgResult& result) {
  std::vector<ApprovalItem> items;
  items.reserve(static_cast<size_t>(result.rows()));
  for (int row = 0; row < result.rows(); ++row) {
    ERPSYNC_ASSIGN_OR_RETURN(ApprovalItem item, ItemFromRow(result, row));
    items.push_back(std::move(item));
  }
  return items;
}

Result<ApprovalItem> LoadItem(PgConnection& connection, int64_t company_id, int64_t item_id) {
  static const std::string kQuery =
      std::string(kSelectItem) + "WHERE i.company_id = $1 AND i.id = $2";
  ERPSYNC_ASSIGN_OR_RETURN(const PgResult row, connection.Exec("reading " + ItemName(item_id),
                                                               kQuery, {company_id, item_id}));
  if (row.rows() == 0) return store_internal::ItemNotFoundError(item_id);
  return ItemFromRow(row, 0);
}

// The company an item call names, or the item's own when it names none (0).
Result<int64_t> ItemCompany(PgDatabase& database, PgConnection& connection, int64_t company_id,
                            int64_t item_id) {
  if (company_id != 0) return company_id;
  return database.CompanyOf(connection, PgCompanyTable::kApprovalItems, item_id);
}

// The company of a connection; nullopt when there is no such connection
// (the calls that take one find nothing then, as on SQLite).
Result<std::optional<int64_t>> ConnectionCompany(PgDatabase& database, PgConnection& connection,
                                                 int64_t connection_id) {
  Result<int64_t> company =
      database.CompanyOf(connection, PgCompanyTable::kConnections, connection_id);
  if (company.status().code() == StatusCode::kNotFound) return std::optional<int64_t>();
  ERPSYNC_RETURN_IF_ERROR(company.status());
  return std::optional<int64_t>(*company);
}

// The items of a connection that `query` (kSelectItem and a WHERE clause
// with the company as $1, the connection as $2 and `more` after them)
// reads; none when there is no such connection, as on SQLite.
Result<std::vector<ApprovalItem>> ReadConnectionItems(PgDatabase& database,
                                                      PgConnection& connection,
                                                      std::string_view what, std::string_view query,
                                                      int64_t connection_id,
                                                      std::vector<PgParam> more) {
  ERPSYNC_ASSIGN_OR_RETURN(const std::optional<int64_t> company,
                           ConnectionCompany(database, connection, connection_id));
  if (!company) return std::vector<ApprovalItem>();
  std::vector<PgParam> params = {*company, connection_id};
  for (PgParam& param : more) params.push_back(std::move(param));
  ERPSYNC_ASSIGN_OR_RETURN(const PgResult rows, connection.Exec(what, query, params));
  return ItemsOf(rows);
}

// ALREADY_EXISTS when another item of the type links `item.erp_key`.
Status CheckLinkFree(PgConnection& connection, const ApprovalItem& item) {
  if (item.erp_key.empty()) return Status::Ok();
  ERPSYNC_ASSIGN_OR_RETURN(
      const PgResult other,
      connection.Exec("looking for items linked to ERP record '" + item.erp_key + "'",
                      "SELECT id FROM approval_items WHERE company_id = $1 AND connection_id = $2 "
                      "AND type = $3 AND erp_key = $4 AND id <> $5",
                      {item.company_id, item.connection_id, static_cast<int>(item.type),
                       item.erp_key, item.id}));
  if (other.rows() > 0) return store_internal::LinkTakenError(item.erp_key, other.Int(0, 0));
  return Status::Ok();
}

// The status of a write of `item` that the link index (approval_items_links)
// may refuse: CheckLinkFree passed, so a refusal means that a concurrent
// transaction linked the same ERP record and committed meanwhile. ABORTED
// then, so that PgDatabase runs the work again and CheckLinkFree names the
// item that took the link, as on SQLite.
Status LinkRaceAware(Status status, const ApprovalItem& item) {
  if (status.code() != StatusCode::kAlreadyExists || item.erp_key.empty()) return status;
  return AbortedError("ERP record '" + item.erp_key +
                      "' was linked meanwhile: " + status.message());
}

// The history row of `item_id`'s `version`.
Status InsertHistory(PgConnection& connection, int64_t company_id, int64_t item_id,
                     const HistoryRow& history, int64_t version, int64_t now) {
  return connection
      .Exec("recording the history of " + ItemName(item_id),
            "INSERT INTO approval_history (company_id, item_id, version, action, from_state, "
            "to_state, actor_user_id, actor, comment, created_unix) "
            "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
            {company_id, item_id, version, history.action, static_cast<int>(history.from_state),
             static_cast<int>(history.to_state),
             history.actor_user_id != 0 ? PgParam(history.actor_user_id) : PgParam(std::nullopt),
             history.actor, history.comment, now})
      .status();
}

// $1, $2 (given) followed by the mutable columns of `item` as $3..$17, in
// the order of the statements that use them.
std::vector<PgParam> ItemParams(PgParam first, PgParam second, const ApprovalItem& item) {
  return {std::move(first),
          std::move(second),
          static_cast<int>(item.state),
          item.archived,
          item.budget_locked,
          item.resent,
          item.title,
          PgParam::Bytes(item.content.SerializeAsString()),
          item.erp_ref,
          item.erp_key,
          store_internal::JoinErpKeys(item.erp_keys),
          item.erp_message,
          item.decision_comment,
          item.accepted_by,
          item.queued_unix,
          static_cast<int>(item.origin),
          item.delivered_version};
}

// A BOOLEAN column that may be NULL.
std::optional<bool> OptionalBoolAt(const PgResult& result, int row, int column) {
  if (result.IsNull(row, column)) return std::nullopt;
  return result.Bool(row, column);
}

MailRecipient RecipientFromRow(const PgResult& result, int row) {
  MailRecipient recipient;
  recipient.user_id = result.Int(row, 0);
  recipient.name = std::string(result.Text(row, 1));
  recipient.email = std::string(result.Text(row, 2));
  recipient.approver =
      store_internal::IsApprover(static_cast<int>(result.Int(row, 3)), result.Bool(row, 4));
  if (!result.IsNull(row, 5)) {
    recipient.on_send = result.Bool(row, 5);
    recipient.on_reject = result.Bool(row, 6);
  }
  recipient.daily_digest =
      store_internal::DailyDigestOf(OptionalBoolAt(result, row, 7), recipient.approver);
  return recipient;
}

// Columns read by RecipientFromRow; $1 is the company. Append further
// conditions.
constexpr std::string_view kSelectRecipient =
    "SELECT u.id, u.name, u.email, u.level, u.can_push, p.on_send, p.on_reject, p.daily_digest "
    "FROM users u LEFT JOIN notification_preferences p "
    "ON p.company_id = u.company_id AND p.user_id = u.id "
    "WHERE u.company_id = $1 AND NOT u.revoked ";

Result<MailRecipient> LoadRecipient(PgConnection& connection, int64_t company_id, int64_t user_id) {
  static const std::string kQuery = std::string(kSelectRecipient) + "AND u.id = $2";
  ERPSYNC_ASSIGN_OR_RETURN(
      const PgResult row,
      connection.Exec("reading user " + std::to_string(user_id), kQuery, {company_id, user_id}));
  if (row.rows() == 0) return store_internal::RecipientNotFoundError(user_id);
  return RecipientFromRow(row, 0);
}

PgParam OptionalBool(std::optional<bool> value) {
  return value ? PgParam(*value) : PgParam(std::nullopt);
}

}  // namespace

Result<ApprovalItem> PgApprovalStore::InsertItem(ApprovalItem item, HistoryRow history) {
  return database_->Write(
      "adding a " + item.title + " item", [&](PgConnection& connection) -> Result<ApprovalItem> {
        item.id = 0;
        ERPSYNC_RETURN_IF_ERROR(CheckLinkFree(connection, item));
        const int64_t now = database_->NowUnix();
        std::vector<PgParam> params = ItemParams(item.company_id, item.connection_id, item);
        params.emplace_back(static_cast<int>(item.type));
        params.push_back(item.project_id != 0 ? PgParam(item.project_id) : PgParam(std::nullopt));
        params.emplace_back(item.created_by);
        params.emplace_back(now);
        Result<PgResult> inserted = connection.Exec(
            "adding a " + item.title + " item",
            "INSERT INTO approval_items (company_id, connection_id, state, archived, "
            "budget_locked, resent, title, content, erp_ref, erp_key, erp_keys, erp_message, "
            "decision_comment, accepted_by, queued_unix, origin, delivered_version, type, "
            "project_id, version, created_by, created_unix, updated_unix) VALUES ($1, $2, $3, $4, "
            "$5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, 1, $20, $21, "
            "$21) RETURNING id",
            params);
        ERPSYNC_RETURN_IF_ERROR(LinkRaceAware(inserted.status(), item));
        const int64_t id = inserted->Int(0, 0);
        ERPSYNC_RETURN_IF_ERROR(InsertHistory(connection, item.company_id, id, history, 1, now));
        return LoadItem(connection, item.company_id, id);
      });
}

Result<ApprovalItem> PgApprovalStore::CommitChange(ApprovalItem changed, HistoryRow history,
                                                   const std::vector<OutgoingMail>& mails) {
  return database_->Write(
      "changing " + ItemName(changed.id), [&](PgConnection& connection) -> Result<ApprovalItem> {
        ERPSYNC_ASSIGN_OR_RETURN(changed.company_id, ItemCompany(*database_, connection,
                                                                 changed.company_id, changed.id));
        // Locked until the commit: a concurrent change of the item waits
        // here, then finds the version this one writes.
        ERPSYNC_ASSIGN_OR_RETURN(
            const PgResult current,
            connection.Exec("locking " + ItemName(changed.id),
                            "SELECT version FROM approval_items WHERE company_id = $1 AND id = $2 "
                            "FOR UPDATE",
                            {changed.company_id, changed.id}));
        if (current.rows() == 0) return store_internal::ItemNotFoundError(changed.id);
        if (current.Int(0, 0) != changed.version) {
          return store_internal::StaleItemError(changed.id, changed.version, current.Int(0, 0));
        }
        ERPSYNC_RETURN_IF_ERROR(CheckLinkFree(connection, changed));
        const int64_t now = database_->NowUnix();
        std::vector<PgParam> params = ItemParams(changed.id, changed.version, changed);
        params.emplace_back(now);
        params.emplace_back(changed.company_id);
        Result<PgResult> updated = connection.Exec(
            "changing " + ItemName(changed.id),
            "UPDATE approval_items SET state = $3, archived = $4, budget_locked = $5, resent = $6, "
            "title = $7, content = $8, erp_ref = $9, erp_key = $10, erp_keys = $11, "
            "erp_message = $12, decision_comment = $13, accepted_by = $14, queued_unix = $15, "
            "origin = $16, delivered_version = $17, version = version + 1, updated_unix = $18 "
            "WHERE company_id = $19 AND id = $1 AND version = $2",
            params);
        ERPSYNC_RETURN_IF_ERROR(LinkRaceAware(updated.status(), changed));
        if (updated->affected() != 1) {
          return InternalError(ItemName(changed.id) + " changed while locked");
        }
        ERPSYNC_RETURN_IF_ERROR(InsertHistory(connection, changed.company_id, changed.id, history,
                                              changed.version + 1, now));
        ERPSYNC_RETURN_IF_ERROR(pg_internal::InsertOutboxRows(connection, now, mails));
        return LoadItem(connection, changed.company_id, changed.id);
      });
}

Result<ApprovalItem> PgApprovalStore::GetItem(int64_t company_id, int64_t item_id) {
  return database_->Read(
      "reading " + ItemName(item_id), [&](PgConnection& connection) -> Result<ApprovalItem> {
        ERPSYNC_ASSIGN_OR_RETURN(const int64_t company,
                                 ItemCompany(*database_, connection, company_id, item_id));
        return LoadItem(connection, company, item_id);
      });
}

Result<ApprovalItem> PgApprovalStore::GetItemById(int64_t item_id) { return GetItem(0, item_id); }

Result<ItemPage> PgApprovalStore::ListItems(int64_t company_id, const ItemFilter& filter) {
  ERPSYNC_RETURN_IF_ERROR(store_internal::CheckItemPageSize(filter.limit));
  const std::string_view queue = QueueCondition(filter.queue);
  if (queue.empty()) return store_internal::UnknownQueueError(filter.queue);
  // One statement per queue, with or without a type: each gets the plan
  // of its own conditions (the indexes of migrations.cc, version 4, read its
  // first page in id order).
  const bool typed = filter.type != v1::ITEM_TYPE_UNSPECIFIED;
  const std::string sql = std::string(kSelectItem) + "WHERE i.company_id = $1 AND " +
                          std::string(queue) + (typed ? " AND i.type = $6" : "") +
                          " AND ($2::bigint = 0 OR i.project_id = $2 OR i.id = $2) "
                          "AND ($3::integer = 0 OR i.state = $3) AND i.id < $4 "
                          "ORDER BY i.id DESC LIMIT $5";
  std::vector<PgParam> params = {
      company_id, filter.project_id, static_cast<int>(filter.state),
      filter.before_id != 0 ? filter.before_id : std::numeric_limits<int64_t>::max(),
      filter.limit + 1};
  if (typed) params.emplace_back(static_cast<int>(filter.type));
  return database_->Read("listing items", [&](PgConnection& connection) -> Result<ItemPage> {
    ERPSYNC_ASSIGN_OR_RETURN(const PgResult rows, connection.Exec("listing items", sql, params));
    ERPSYNC_ASSIGN_OR_RETURN(std::vector<ApprovalItem> items, ItemsOf(rows));
    return store_internal::PageOfItems(std::move(items), filter.limit);
  });
}

Result<std::map<v1::Queue, int64_t>> PgApprovalStore::CountQueues(int64_t company_id,
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
  sql += " FROM approval_items i WHERE i.company_id = $1";
  std::vector<PgParam> params = {company_id};
  if (type != v1::ITEM_TYPE_UNSPECIFIED) {
    sql += " AND i.type = $2";
    params.emplace_back(static_cast<int>(type));
  }
  const std::string what = "counting the items of each queue";
  return database_->Read(
      what, [&](PgConnection& connection) -> Result<std::map<v1::Queue, int64_t>> {
        ERPSYNC_ASSIGN_OR_RETURN(const PgResult row, connection.Exec(what, sql, params));
        std::map<v1::Queue, int64_t> counts;
        for (size_t i = 0; i < queues.size(); ++i) {
          counts[queues[i]] = row.Int(0, static_cast<int>(i));
        }
        return counts;
      });
}

Result<std::vector<HistoryRow>> PgApprovalStore::GetHistory(int64_t company_id, int64_t item_id) {
  return database_->Read(
      "reading the history of " + ItemName(item_id),
      [&](PgConnection& connection) -> Result<std::vector<HistoryRow>> {
        ERPSYNC_ASSIGN_OR_RETURN(const int64_t company,
                                 ItemCompany(*database_, connection, company_id, item_id));
        ERPSYNC_RETURN_IF_ERROR(LoadItem(connection, company, item_id).status());
        ERPSYNC_ASSIGN_OR_RETURN(
            const PgResult result,
            connection.Exec("reading the history of " + ItemName(item_id),
                            "SELECT version, action, from_state, to_state, actor_user_id, actor, "
                            "comment, created_unix FROM approval_history "
                            "WHERE company_id = $1 AND item_id = $2 ORDER BY id",
                            {company, item_id}));
        std::vector<HistoryRow> rows;
        for (int row = 0; row < result.rows(); ++row) {
          HistoryRow& history = rows.emplace_back();
          history.version = result.Int(row, 0);
          history.action = std::string(result.Text(row, 1));
          history.from_state = static_cast<v1::ItemState>(result.Int(row, 2));
          history.to_state = static_cast<v1::ItemState>(result.Int(row, 3));
          history.actor_user_id = result.IsNull(row, 4) ? 0 : result.Int(row, 4);
          history.actor = std::string(result.Text(row, 5));
          history.comment = std::string(result.Text(row, 6));
          history.created_unix = result.Int(row, 7);
        }
        return rows;
      });
}

Result<std::vector<ApprovalItem>> PgApprovalStore::FindByErpKey(int64_t connection_id,
                                                                v1::ItemType type,
                                                                const std::string& key) {
  return database_->Read("finding items for ERP key '" + key + "'",
                         [&](PgConnection& connection) -> Result<std::vector<ApprovalItem>> {
                           static const std::string kQuery =
                               std::string(kSelectItem) +
                               "WHERE i.company_id = $1 AND i.connection_id = $2 AND i.type = $3 "
                               "AND (i.erp_ref = $4 OR i.erp_key = $4) ORDER BY i.id";
                           return ReadConnectionItems(
                               *database_, connection, "finding items for ERP key '" + key + "'",
                               kQuery, connection_id, {static_cast<int>(type), key});
                         });
}

Result<std::set<std::string>> PgApprovalStore::LinkedKeys(int64_t connection_id,
                                                          v1::ItemType type) {
  return database_->Read(
      "listing linked ERP keys", [&](PgConnection& connection) -> Result<std::set<std::string>> {
        ERPSYNC_ASSIGN_OR_RETURN(const std::optional<int64_t> company,
                                 ConnectionCompany(*database_, connection, connection_id));
        std::set<std::string> keys;
        if (!company) return keys;
        ERPSYNC_ASSIGN_OR_RETURN(
            const PgResult rows,
            connection.Exec("listing linked ERP keys",
                            "SELECT erp_key FROM approval_items WHERE company_id = $1 "
                            "AND connection_id = $2 AND type = $3 AND erp_key <> ''",
                            {*company, connection_id, static_cast<int>(type)}));
        for (int row = 0; row < rows.rows(); ++row) keys.emplace(rows.Text(row, 0));
        return keys;
      });
}

Result<std::vector<ApprovalItem>> PgApprovalStore::ListQueuedExports(int64_t connection_id,
                                                                     bool include_delivered,
                                                                     int limit) {
  ERPSYNC_RETURN_IF_ERROR(store_internal::CheckQueuedExportLimit(limit));
  return database_->Read(
      "listing queued exports", [&](PgConnection& connection) -> Result<std::vector<ApprovalItem>> {
        static const std::string kQuery = std::string(kSelectItem) +
                                          "WHERE i.company_id = $1 AND i.connection_id = $2 "
                                          "AND (i.state = $3 OR ($4 AND i.state = $5)) "
                                          "ORDER BY i.queued_unix, i.id LIMIT $6";
        return ReadConnectionItems(*database_, connection, "listing queued exports", kQuery,
                                   connection_id,
                                   {static_cast<int>(v1::QUEUED_FOR_EXPORT), include_delivered,
                                    static_cast<int>(v1::EXPORT_DELIVERED), limit});
      });
}

Result<std::vector<ItemStateCount>> PgApprovalStore::CountItemsByState() {
  return database_->Read(
      "counting the approval items by state",
      [&](PgConnection& connection) -> Result<std::vector<ItemStateCount>> {
        ERPSYNC_ASSIGN_OR_RETURN(
            const PgResult rows,
            connection.Exec("counting the approval items by state",
                            "SELECT c.name, i.state, COUNT(*) FROM approval_items i "
                            "JOIN companies c ON c.id = i.company_id WHERE NOT i.archived "
                            "GROUP BY c.name, i.state ORDER BY c.name, i.state"));
        std::vector<ItemStateCount> counts;
        for (int row = 0; row < rows.rows(); ++row) {
          counts.push_back({std::string(rows.Text(row, 0)),
                            static_cast<v1::ItemState>(rows.Int(row, 1)), rows.Int(row, 2)});
        }
        return counts;
      });
}

Result<std::set<v1::ItemType>> PgApprovalStore::DirectExportTypes(int64_t company_id) {
  return database_->Read(
      "reading the direct export settings",
      [&](PgConnection& connection) -> Result<std::set<v1::ItemType>> {
        ERPSYNC_ASSIGN_OR_RETURN(
            const PgResult rows,
            connection.Exec("reading the direct export settings",
                            "SELECT type FROM approval_settings WHERE company_id = $1 "
                            "AND direct_export",
                            {company_id}));
        std::set<v1::ItemType> types;
        for (int row = 0; row < rows.rows(); ++row) {
          types.insert(static_cast<v1::ItemType>(rows.Int(row, 0)));
        }
        return types;
      });
}

Status PgApprovalStore::SetDirectExport(int64_t company_id, v1::ItemType type, bool on) {
  return database_
      ->Write("changing the direct export setting",
              [&](PgConnection& connection) -> Result<bool> {
                ERPSYNC_ASSIGN_OR_RETURN(
                    const PgResult company,
                    connection.Exec("changing the direct export setting",
                                    "SELECT 1 FROM companies WHERE id = $1", {company_id}));
                if (company.rows() == 0) return store_internal::CompanyNotFoundError(company_id);
                ERPSYNC_RETURN_IF_ERROR(
                    connection
                        .Exec("changing the direct export setting",
                              "INSERT INTO approval_settings (company_id, type, direct_export) "
                              "VALUES ($1, $2, $3) ON CONFLICT (company_id, type) "
                              "DO UPDATE SET direct_export = excluded.direct_export",
                              {company_id, static_cast<int>(type), on})
                        .status());
                return true;
              })
      .status();
}

Result<std::vector<MailRecipient>> PgApprovalStore::ListRecipients(int64_t company_id) {
  return database_->Read(
      "listing the users of company " + std::to_string(company_id),
      [&](PgConnection& connection) -> Result<std::vector<MailRecipient>> {
        // By name bytewise, as SQLite orders text.
        static const std::string kQuery =
            std::string(kSelectRecipient) + "ORDER BY u.name COLLATE \"C\"";
        ERPSYNC_ASSIGN_OR_RETURN(
            const PgResult rows,
            connection.Exec("listing the users of company " + std::to_string(company_id), kQuery,
                            {company_id}));
        std::vector<MailRecipient> recipients;
        for (int row = 0; row < rows.rows(); ++row) {
          recipients.push_back(RecipientFromRow(rows, row));
        }
        return recipients;
      });
}

Result<MailRecipient> PgApprovalStore::GetRecipient(int64_t company_id, int64_t user_id) {
  return database_->Read("reading user " + std::to_string(user_id),
                         [&](PgConnection& connection) -> Result<MailRecipient> {
                           return LoadRecipient(connection, company_id, user_id);
                         });
}

Result<MailRecipient> PgApprovalStore::FindRecipient(int64_t company_id,
                                                     const std::string& user_name) {
  return database_->Read(
      "finding user '" + user_name + "'", [&](PgConnection& connection) -> Result<MailRecipient> {
        static const std::string kQuery = std::string(kSelectRecipient) + "AND u.name = $2";
        ERPSYNC_ASSIGN_OR_RETURN(
            const PgResult row,
            connection.Exec("finding user '" + user_name + "'", kQuery, {company_id, user_name}));
        if (row.rows() == 0) return store_internal::RecipientNameNotFoundError(user_name);
        return RecipientFromRow(row, 0);
      });
}

Result<MailRecipient> PgApprovalStore::SetPreferences(int64_t company_id, int64_t user_id,
                                                      std::optional<bool> on_send,
                                                      std::optional<bool> on_reject,
                                                      std::optional<bool> daily_digest) {
  return database_->Write(
      "changing the notification preferences of user " + std::to_string(user_id),
      [&](PgConnection& connection) -> Result<MailRecipient> {
        ERPSYNC_ASSIGN_OR_RETURN(MailRecipient recipient,
                                 LoadRecipient(connection, company_id, user_id));
        // One statement changes only the preferences that are set, over
        // what is stored when the row is written (not what was read above),
        // so that concurrent changes of different preferences all stay.
        // daily_digest is stored only when chosen (NULL: the default).
        ERPSYNC_ASSIGN_OR_RETURN(
            const PgResult stored,
            connection.Exec(
                "changing the notification preferences of user " + std::to_string(user_id),
                "INSERT INTO notification_preferences (company_id, user_id, on_send, on_reject, "
                "daily_digest) VALUES ($1, $2, COALESCE($3::boolean, $6::boolean), "
                "COALESCE($4::boolean, $7::boolean), $5::boolean) "
                "ON CONFLICT (company_id, user_id) DO UPDATE SET "
                "on_send = COALESCE($3, notification_preferences.on_send), "
                "on_reject = COALESCE($4, notification_preferences.on_reject), "
                "daily_digest = COALESCE($5, notification_preferences.daily_digest) "
                "RETURNING on_send, on_reject, daily_digest",
                {company_id, user_id, OptionalBool(on_send), OptionalBool(on_reject),
                 OptionalBool(daily_digest), recipient.on_send, recipient.on_reject}));
        recipient.on_send = stored.Bool(0, 0);
        recipient.on_reject = stored.Bool(0, 1);
        recipient.daily_digest =
            store_internal::DailyDigestOf(OptionalBoolAt(stored, 0, 2), recipient.approver);
        return recipient;
      });
}

}  // namespace erpsync::server
