#include "server/approval/approval_queues.h"

#include <cctype>
#include <functional>
#include <utility>

#include "common/civil_time.h"
#include "common/log.h"
#include "common/record_codec.h"
#include "server/approval/budget_import.h"
#include "server/approval/item_content.h"
#include "server/approval/notifications.h"
#include "server/approval/permissions.h"

namespace erpsync::server {
namespace {

// The agent's outcome of an export must not be lost to a change of the item
// that committed between loading and writing it (a stale version): a change
// refused with FAILED_PRECONDITION runs again on the reloaded item, up to
// three times. A transition that is really invalid fails the same way each
// time and is returned as such.
Result<ApprovalItem> RetryExportChange(const std::function<Result<ApprovalItem>()>& change) {
  Result<ApprovalItem> result = change();
  for (int attempt = 1; attempt < 3 && !result.ok() &&
                        result.status().code() == StatusCode::kFailedPrecondition;
       ++attempt) {
    result = change();
  }
  return result;
}

constexpr int kMaxImportablePage = 1000;
constexpr int kDigestItemsLimit = 1000;

std::string ItemName(int64_t item_id) { return "item " + std::to_string(item_id); }

Permission PermissionFor(ItemAction action) {
  switch (action) {
    case ItemAction::kAccept:
    case ItemAction::kReject:
    case ItemAction::kUnlink:
      return Permission::kApprove;
    default:
      return Permission::kEdit;
  }
}

// "accepting item 7", "updating the cost codes of item 7".
std::string Doing(ItemAction action, const ApprovalItem& item) {
  if (action == ItemAction::kAccept && item.type == v1::COST_CODE_UPDATE) {
    return "updating the cost codes of " + ItemName(item.id);
  }
  std::string verb(ItemActionName(action));
  if (verb.back() == 'e') verb.pop_back();  // retrieve -> retrieving
  return verb + "ing " + ItemName(item.id);
}

// The entity an importable type comes from, and the field that describes
// its records.
struct ImportSource {
  std::string_view entity;
  std::string_view description_field;
};

Result<ImportSource> ImportSourceOf(v1::ItemType type) {
  switch (type) {
    case v1::JOB:
      return ImportSource{kErpJobs, "description"};
    case v1::SUB_JOB:
      return ImportSource{kErpExtras, "description"};
    case v1::VENDOR:
      return ImportSource{kErpVendors, "name"};
    case v1::PRIME_CONTRACT_CHANGE_ORDER:
      return InvalidArgumentError(
          "type: prime contract change orders are export only: they are "
          "created in the cloud and exported, never imported");
    default:
      return InvalidArgumentError("type: " + ItemTypeName(type) +
                                  " items are not imported; only jobs, sub jobs and vendors are");
  }
}

// The content of an item imported from `row`.
v1::ItemContent ImportedContent(v1::ItemType type, const ErpRow& row) {
  v1::ItemContent content;
  switch (type) {
    case v1::JOB: {
      v1::JobContent* job = content.mutable_job();
      job->set_job(row.Text("job"));
      job->set_description(row.Text("description"));
      job->set_address(row.Text("address_1"));
      job->set_city(row.Text("city"));
      job->set_state(row.Text("state"));
      job->set_zip_code(row.Text("zip_code"));
      job->set_contract_amount(row.Text("original_contract_amount"));
      break;
    }
    case v1::SUB_JOB:
      content.mutable_sub_job()->set_extra(row.Text("extra"));
      content.mutable_sub_job()->set_description(row.Text("description"));
      break;
    case v1::VENDOR: {
      v1::VendorContent* vendor = content.mutable_vendor();
      vendor->set_vendor(row.Text("vendor"));
      vendor->set_name(row.Text("name"));
      vendor->set_address(row.Text("address_1"));
      vendor->set_city(row.Text("city"));
      vendor->set_state(row.Text("state"));
      vendor->set_zip_code(row.Text("zip_code"));
      vendor->set_telephone(row.Text("telephone"));
      break;
    }
    default:
      break;
  }
  return content;
}

// A rule's refusal that does not say yet what it refused gets "cannot send
// item 7: " in front.
Status Explained(const Status& status, std::string_view verb, int64_t item_id) {
  if (status.ok() || status.code() != StatusCode::kFailedPrecondition ||
      status.message().starts_with("cannot ")) {
    return status;
  }
  return status.WithContext("cannot " + std::string(verb) + " " + ItemName(item_id));
}

// Whether the mirrored Job (CV) record `row` is Closed in the ERP (its
// status, in any case).
bool IsClosedJob(const ErpRow& row) {
  std::string status = row.Text("status");
  for (char& c : status) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return status == "closed";
}

bool LinksRecord(v1::ItemType type) {
  return type == v1::JOB || type == v1::SUB_JOB || type == v1::VENDOR || type == v1::COMMITMENT ||
         type == v1::SUBCONTRACTOR_INVOICE;
}

}  // namespace

ApprovalQueues::ApprovalQueues(ApprovalStore* store, OutboxStore* outbox, DirectoryStore* directory,
                               RecordStore* records, AgentControlStore* agents)
    : store_(store),
      outbox_(outbox),
      directory_(directory),
      erp_(records, directory, agents),
      rules_(store, &erp_) {}

Result<Connection> ApprovalQueues::ResolveConnection(const Principal& user,
                                                     const std::string& name) {
  return directory_->ResolveConnection(user.company_id, user.company_name, name);
}

Result<ApprovalItem> ApprovalQueues::Commit(ApprovalItem item, v1::ItemState from,
                                            std::string_view action, const Principal* actor,
                                            const std::string& comment,
                                            const std::vector<OutgoingMail>& mails) {
  HistoryRow history;
  history.action = std::string(action);
  history.from_state = from;
  history.to_state = item.state;
  if (actor != nullptr) {
    history.actor_user_id = actor->id;
    history.actor = actor->user_name;
  } else {
    history.actor = "agent " + item.connection_name;
  }
  history.comment = comment;
  ERPSYNC_ASSIGN_OR_RETURN(ApprovalItem stored,
                           store_->CommitChange(std::move(item), std::move(history), mails));
  if (!mails.empty() && mail_queued_) mail_queued_();
  if (stored.state == v1::QUEUED_FOR_EXPORT && from != v1::QUEUED_FOR_EXPORT && export_queued_) {
    export_queued_(stored.connection_id);
  }
  return stored;
}

Result<ApprovalItem> ApprovalQueues::CreateItem(const Principal& user, v1::ItemType type,
                                                const std::string& connection, int64_t project_id,
                                                v1::ItemContent content) {
  ERPSYNC_RETURN_IF_ERROR(RequirePermission(user, Permission::kEdit, "creating items"));
  ERPSYNC_RETURN_IF_ERROR(NormalizeContent(type, &content));
  ApprovalItem item;
  item.company_id = user.company_id;
  item.type = type;
  const bool needs_project = type != v1::JOB && type != v1::VENDOR;
  if (!needs_project && project_id != 0) {
    return InvalidArgumentError("project_id: a " + ItemTypeName(type) +
                                " item belongs to no project; leave project_id unset");
  }
  if (needs_project) {
    if (project_id == 0) {
      return InvalidArgumentError("project_id: a " + ItemTypeName(type) +
                                  " item belongs to a project: give the id of its job item");
    }
    Result<ApprovalItem> project = store_->GetItem(user.company_id, project_id);
    if (!project.ok()) {
      if (project.status().code() == StatusCode::kNotFound) {
        return NotFoundError("project " + std::to_string(project_id) + " does not exist");
      }
      return project.status();
    }
    if (project->type != v1::JOB) {
      return InvalidArgumentError("project_id: item " + std::to_string(project_id) + " is a " +
                                  ItemTypeName(project->type) + ", not a job");
    }
    if (!connection.empty() && connection != project->connection_name) {
      return InvalidArgumentError("connection: project " + std::to_string(project_id) +
                                  " is on connection '" + project->connection_name + "', not '" +
                                  connection + "'");
    }
    item.project_id = project_id;
    item.connection_id = project->connection_id;
  } else {
    ERPSYNC_ASSIGN_OR_RETURN(const Connection resolved, ResolveConnection(user, connection));
    item.connection_id = resolved.id;
  }
  item.state = v1::DRAFT;
  item.origin = v1::CREATED;
  item.title = ItemTitle(type, content);
  item.erp_ref = ContentErpRef(type, content);
  item.content = std::move(content);
  item.created_by = user.id;
  HistoryRow history;
  history.action = "create";
  history.from_state = v1::ITEM_STATE_UNSPECIFIED;
  history.to_state = v1::DRAFT;
  history.actor_user_id = user.id;
  history.actor = user.user_name;
  return store_->InsertItem(std::move(item), std::move(history));
}

Status ApprovalQueues::CheckVersion(const ApprovalItem& item, int64_t expected_version) {
  if (expected_version < 0) {
    return InvalidArgumentError("expected_version: must not be negative");
  }
  if (expected_version != 0 && expected_version != item.version) {
    return FailedPreconditionError(ItemName(item.id) + " changed since version " +
                                   std::to_string(expected_version) + " (now " +
                                   std::to_string(item.version) + "); reload and retry");
  }
  return Status::Ok();
}

Result<ApprovalItem> ApprovalQueues::UpdateItem(const Principal& user, int64_t item_id,
                                                int64_t expected_version, v1::ItemContent content) {
  ERPSYNC_ASSIGN_OR_RETURN(ApprovalItem item, store_->GetItem(user.company_id, item_id));
  ERPSYNC_RETURN_IF_ERROR(
      RequirePermission(user, Permission::kEdit, "changing " + ItemName(item_id)));
  ERPSYNC_RETURN_IF_ERROR(CheckVersion(item, expected_version));
  ERPSYNC_RETURN_IF_ERROR(
      NextItemState(item.id, item.type, item.state, item.archived, ItemAction::kUpdate, false)
          .status());
  if (item.type == v1::BUDGET && item.budget_locked) {
    return FailedPreconditionError("budget " + std::to_string(item.id) +
                                   " is locked; unlock it to change it (erpsync-ctl items unlock " +
                                   std::to_string(item.id) + ")");
  }
  ERPSYNC_RETURN_IF_ERROR(NormalizeContent(item.type, &content));
  item.title = ItemTitle(item.type, content);
  item.erp_ref = ContentErpRef(item.type, content);
  item.content = std::move(content);
  const v1::ItemState from = item.state;
  return Commit(std::move(item), from, "update", &user, "", {});
}

Result<ApprovalItem> ApprovalQueues::GetItem(const Principal& user, int64_t item_id) {
  ERPSYNC_RETURN_IF_ERROR(RequirePermission(user, Permission::kView, "viewing items"));
  return store_->GetItem(user.company_id, item_id);
}

Result<ItemPage> ApprovalQueues::ListItems(const Principal& user, const ItemFilter& filter) {
  ERPSYNC_RETURN_IF_ERROR(RequirePermission(user, Permission::kView, "viewing items"));
  return store_->ListItems(user.company_id, filter);
}

Result<std::map<v1::Queue, int64_t>> ApprovalQueues::CountQueues(const Principal& user,
                                                                 v1::ItemType type) {
  ERPSYNC_RETURN_IF_ERROR(RequirePermission(user, Permission::kView, "viewing items"));
  return store_->CountQueues(user.company_id, type);
}

Result<std::vector<HistoryRow>> ApprovalQueues::GetHistory(const Principal& user, int64_t item_id) {
  ERPSYNC_RETURN_IF_ERROR(RequirePermission(user, Permission::kView, "viewing items"));
  return store_->GetHistory(user.company_id, item_id);
}

Status ApprovalQueues::CheckActionInput(const ApprovalItem& item, ItemAction action,
                                        const ItemActionInput& input) {
  if (Utf8Length(input.comment) > kMaxCommentChars) {
    return InvalidArgumentError("comment: at most " + std::to_string(kMaxCommentChars) +
                                " characters");
  }
  if (action == ItemAction::kReject && input.comment.empty()) {
    return InvalidArgumentError("comment: rejecting " + ItemName(item.id) +
                                " needs a comment telling the creator what to fix (--comment)");
  }
  const bool wants_date =
      action == ItemAction::kAccept && item.type == v1::PRIME_CONTRACT_CHANGE_ORDER;
  if (!wants_date && !input.transaction_date.empty()) {
    return InvalidArgumentError(
        "transaction_date: only accepting a prime contract change order takes a transaction date");
  }
  if (wants_date) {
    if (input.transaction_date.empty()) {
      return InvalidArgumentError(
          "transaction_date: accepting prime contract change order " + std::to_string(item.id) +
          " needs the ERP transaction date (--transaction-date YYYY-MM-DD)");
    }
    if (!ParseDate(input.transaction_date).ok()) {
      return InvalidArgumentError("transaction_date: '" + input.transaction_date +
                                  "' is not a date YYYY-MM-DD");
    }
  }
  return Status::Ok();
}

Status ApprovalQueues::CheckBudgetLock(const ApprovalItem& item, ItemAction action) {
  if (item.type != v1::BUDGET) return Status::Ok();
  const std::string budget = "budget " + std::to_string(item.id);
  if (action == ItemAction::kLock && item.budget_locked) {
    return FailedPreconditionError(budget + " is already locked");
  }
  if (action != ItemAction::kUnlock) return Status::Ok();
  if (item.state == v1::QUEUED_FOR_EXPORT || item.state == v1::EXPORT_DELIVERED ||
      item.state == v1::SYNCED) {
    bool posted = false;
    if (item.state == v1::SYNCED) {
      ERPSYNC_ASSIGN_OR_RETURN(posted, rules_.BudgetEntriesPosted(item));
    }
    if (!posted) {
      return FailedPreconditionError(
          budget +
          " was exported; it cannot be unlocked until its entries are posted in the ERP "
          "and synced back (post the batch in Sage 300 CRE, then sync Transaction (JC))");
    }
  }
  if (!item.budget_locked) return FailedPreconditionError(budget + " is not locked");
  return Status::Ok();
}

Result<std::vector<OutgoingMail>> ApprovalQueues::MailsFor(const Principal& user, ItemAction action,
                                                           v1::ItemState from,
                                                           const ApprovalItem& item,
                                                           const std::string& comment) {
  const bool to_approvers =
      item.state == v1::SENT &&
      (action == ItemAction::kSend || (action == ItemAction::kResend && from != v1::REJECTED));
  if (to_approvers) {
    ERPSYNC_ASSIGN_OR_RETURN(const std::vector<MailRecipient> users,
                             store_->ListRecipients(item.company_id));
    return SentForApprovalMails(item, user.user_name, users, web_url_);
  }
  if (action == ItemAction::kReject) {
    Result<MailRecipient> creator = store_->GetRecipient(item.company_id, item.created_by);
    if (!creator.ok()) {
      // A revoked creator gets no mail.
      if (creator.status().code() == StatusCode::kNotFound) return std::vector<OutgoingMail>();
      return creator.status();
    }
    return RejectedMails(item, user.user_name, comment, *creator, web_url_);
  }
  return std::vector<OutgoingMail>();
}

Result<ApprovalItem> ApprovalQueues::Act(const Principal& user, ItemAction action,
                                         const ItemActionInput& input) {
  if (IsExportSideAction(action) || action == ItemAction::kUpdate) {
    return InvalidArgumentError("'" + std::string(ItemActionName(action)) +
                                "' is not a user action on an item");
  }
  ERPSYNC_ASSIGN_OR_RETURN(ApprovalItem item, store_->GetItem(user.company_id, input.item_id));
  ERPSYNC_RETURN_IF_ERROR(RequirePermission(user, PermissionFor(action), Doing(action, item)));
  ERPSYNC_RETURN_IF_ERROR(CheckVersion(item, input.expected_version));
  ERPSYNC_RETURN_IF_ERROR(CheckActionInput(item, action, input));
  bool direct_export = false;
  if (action == ItemAction::kSend || action == ItemAction::kResend) {
    ERPSYNC_ASSIGN_OR_RETURN(const std::set<v1::ItemType> direct,
                             store_->DirectExportTypes(item.company_id));
    direct_export = direct.contains(item.type);
  }
  if (!item.archived) ERPSYNC_RETURN_IF_ERROR(CheckBudgetLock(item, action));
  const v1::ItemState from = item.state;
  ERPSYNC_ASSIGN_OR_RETURN(
      item.state, NextItemState(item.id, item.type, from, item.archived, action, direct_export));
  std::string comment = input.comment;
  switch (action) {
    case ItemAction::kSend:
    case ItemAction::kResend:
      ERPSYNC_RETURN_IF_ERROR(Explained(rules_.PrepareSend(&item), "send", item.id));
      item.resent = action == ItemAction::kResend;
      item.decision_comment.clear();
      item.erp_message.clear();
      item.accepted_by.clear();
      if (item.state == v1::QUEUED_FOR_EXPORT) {
        ERPSYNC_RETURN_IF_ERROR(Explained(rules_.CheckExport(item), "export", item.id));
        item.queued_unix = store_->NowUnix();
        if (comment.empty()) comment = "direct export";
      }
      break;
    case ItemAction::kAccept:
      ERPSYNC_RETURN_IF_ERROR(Explained(rules_.CheckExport(item), "accept", item.id));
      if (item.type == v1::PRIME_CONTRACT_CHANGE_ORDER) {
        item.content.mutable_prime_contract_change_order()->set_transaction_date(
            FormatDate(*ParseDate(input.transaction_date)));
      }
      item.accepted_by = user.user_name;
      item.queued_unix = store_->NowUnix();
      break;
    case ItemAction::kReject:
      item.decision_comment = input.comment;
      break;
    case ItemAction::kUnlink:
      ERPSYNC_RETURN_IF_ERROR(Explained(rules_.CheckUnlink(item), "unlink", item.id));
      item.erp_key.clear();
      break;
    case ItemAction::kArchive:
      item.archived = true;
      break;
    case ItemAction::kUnarchive:
      item.archived = false;
      break;
    case ItemAction::kLock:
      item.budget_locked = true;
      break;
    case ItemAction::kUnlock:
      item.budget_locked = false;
      break;
    default:
      break;
  }
  ERPSYNC_ASSIGN_OR_RETURN(const std::vector<OutgoingMail> mails,
                           MailsFor(user, action, from, item, input.comment));
  return Commit(std::move(item), from, ItemActionName(action), &user, comment, mails);
}

Result<ImportablePage> ApprovalQueues::ListImportable(const Principal& user, v1::ItemType type,
                                                      const std::string& connection,
                                                      const std::string& after_key, int limit,
                                                      bool hide_closed) {
  ERPSYNC_RETURN_IF_ERROR(RequirePermission(user, Permission::kView, "viewing Ready to Import"));
  if (limit < 1 || limit > kMaxImportablePage) {
    return InvalidArgumentError("page_size: must be 1.." + std::to_string(kMaxImportablePage));
  }
  ERPSYNC_ASSIGN_OR_RETURN(const ImportSource source, ImportSourceOf(type));
  if (hide_closed && type != v1::JOB) {
    return InvalidArgumentError("hide_closed: only jobs are closed; leave it unset for " +
                                ItemTypeName(type) + " records");
  }
  ERPSYNC_ASSIGN_OR_RETURN(const Connection resolved, ResolveConnection(user, connection));
  ERPSYNC_ASSIGN_OR_RETURN(const std::set<std::string> linked,
                           store_->LinkedKeys(resolved.id, type));
  ImportablePage page;
  bool more = false;
  ERPSYNC_RETURN_IF_ERROR(
      erp_.ForEachLive(resolved.id, source.entity, after_key, [&](const ErpRow& row) {
        if (linked.contains(row.key)) return true;
        const bool closed = type == v1::JOB && IsClosedJob(row);
        if (closed && hide_closed) return true;
        if (page.records.size() == static_cast<size_t>(limit)) {
          more = true;
          return false;
        }
        page.records.push_back({row.key, row.Text(source.description_field), closed});
        return true;
      }));
  if (more) page.next_after_key = page.records.back().key;
  return page;
}

Result<ImportedRecord> ApprovalQueues::ImportRecord(const Principal& user, v1::ItemType type,
                                                    const std::string& connection,
                                                    const std::string& key) {
  ERPSYNC_RETURN_IF_ERROR(RequirePermission(user, Permission::kEdit, "importing ERP records"));
  if (type == v1::BUDGET) {
    ERPSYNC_ASSIGN_OR_RETURN(ApprovalItem budget, ImportBudget(user, connection, key));
    return ImportedRecord{std::move(budget), {}};
  }
  ERPSYNC_ASSIGN_OR_RETURN(const ImportSource source, ImportSourceOf(type));
  if (key.empty()) return InvalidArgumentError("key: the ERP key of the record is required");
  ERPSYNC_ASSIGN_OR_RETURN(const Connection resolved, ResolveConnection(user, connection));
  const std::string what = ItemTypeName(type) + " '" + key + "'";
  ERPSYNC_ASSIGN_OR_RETURN(const std::optional<ErpRow> row,
                           erp_.FindLive(resolved.id, source.entity, key));
  if (!row) return NotFoundError("the ERP has no " + what + " (in the mirrored records)");
  ERPSYNC_ASSIGN_OR_RETURN(const std::vector<ApprovalItem> others,
                           store_->FindByErpKey(resolved.id, type, key));
  for (const ApprovalItem& other : others) {
    if (other.erp_key == key) {
      return AlreadyExistsError("ERP " + what + " is already linked to item " +
                                std::to_string(other.id));
    }
    if (other.origin == v1::CREATED && other.state != v1::DRAFT && other.state != v1::UNLINKED) {
      return FailedPreconditionError(
          "cannot import ERP " + what + ": item " + std::to_string(other.id) +
          " was created for the ERP as " + what + " (" + ItemStateName(other.state) +
          "); a record is never both imported from and created for the ERP");
    }
  }
  ApprovalItem item;
  item.company_id = user.company_id;
  item.connection_id = resolved.id;
  item.type = type;
  if (type == v1::SUB_JOB) {
    const std::vector<std::string> parts = SplitKey(key);
    ERPSYNC_ASSIGN_OR_RETURN(item.project_id, LinkedProjectId(resolved.id, parts.front()));
    if (item.project_id == 0) {
      return FailedPreconditionError("cannot import sub job '" + key + "': its job '" +
                                     parts.front() +
                                     "' is not imported yet (erpsync-ctl import "
                                     "job " +
                                     parts.front() + ")");
    }
  }
  item.content = ImportedContent(type, *row);
  ImportedRecord imported;
  if (type == v1::JOB && IsClosedJob(*row)) {
    imported.warnings.push_back(
        "ERP job '" + key +
        "' is Closed in the ERP (its Job (CV) status); it was imported, but a closed job takes no "
        "new costs: reopen it in Sage 300 CRE before sending items of this project");
  }
  ERPSYNC_ASSIGN_OR_RETURN(imported.item,
                           InsertImported(user, std::move(item), key, "imported from ERP " + what));
  return imported;
}

Result<ApprovalItem> ApprovalQueues::InsertImported(const Principal& user, ApprovalItem item,
                                                    const std::string& erp_key,
                                                    const std::string& comment) {
  item.state = v1::SYNCED;
  item.origin = v1::IMPORTED;
  item.title = ItemTitle(item.type, item.content);
  item.erp_ref = erp_key;
  item.erp_key = erp_key;
  item.erp_keys = {erp_key};
  item.created_by = user.id;
  HistoryRow history;
  history.action = "import";
  history.from_state = v1::ITEM_STATE_UNSPECIFIED;
  history.to_state = v1::SYNCED;
  history.actor_user_id = user.id;
  history.actor = user.user_name;
  history.comment = comment;
  return store_->InsertItem(std::move(item), std::move(history));
}

Result<int64_t> ApprovalQueues::LinkedProjectId(int64_t connection_id,
                                                const std::string& erp_job) {
  ERPSYNC_ASSIGN_OR_RETURN(const std::vector<ApprovalItem> projects,
                           store_->FindByErpKey(connection_id, v1::JOB, erp_job));
  for (const ApprovalItem& project : projects) {
    if (project.erp_key == erp_job) return project.id;
  }
  return int64_t{0};
}

Result<ApprovalItem> ApprovalQueues::ImportBudget(const Principal& user,
                                                  const std::string& connection,
                                                  const std::string& erp_job) {
  if (erp_job.empty()) {
    return InvalidArgumentError("key: the ERP job whose estimates to import is required");
  }
  ERPSYNC_ASSIGN_OR_RETURN(const Connection resolved, ResolveConnection(user, connection));
  ERPSYNC_ASSIGN_OR_RETURN(const int64_t project_id, LinkedProjectId(resolved.id, erp_job));
  if (project_id == 0) {
    return FailedPreconditionError("ERP job '" + erp_job + "' is not linked to a project yet; " +
                                   "import it first (erpsync-ctl import job " + erp_job + ")");
  }
  ERPSYNC_ASSIGN_OR_RETURN(v1::BudgetContent budget,
                           BudgetFromEstimates(erp_, resolved.id, erp_job));
  v1::ItemContent content;
  *content.mutable_budget() = std::move(budget);
  ItemFilter filter;
  filter.type = v1::BUDGET;
  filter.project_id = project_id;
  filter.limit = 1000;
  ERPSYNC_ASSIGN_OR_RETURN(const ItemPage budgets, store_->ListItems(user.company_id, filter));
  for (const ApprovalItem& existing : budgets.items) {
    if (existing.origin == v1::IMPORTED) {
      // Re-import: the item takes the ERP's current estimates.
      if (existing.content.SerializeAsString() == content.SerializeAsString()) return existing;
      ApprovalItem item = existing;
      item.content = content;
      item.title = ItemTitle(v1::BUDGET, item.content);
      return Commit(std::move(item), existing.state, "reimport", &user,
                    "re-imported from the ERP's estimates of job " + erp_job, {});
    }
    if (existing.state != v1::DRAFT && existing.state != v1::UNLINKED) {
      return FailedPreconditionError(
          "cannot import the budget of ERP job '" + erp_job + "': item " +
          std::to_string(existing.id) + " is a budget created for the ERP (" +
          ItemStateName(existing.state) + "); a budget is never both imported and created");
    }
  }
  ApprovalItem item;
  item.company_id = user.company_id;
  item.connection_id = resolved.id;
  item.type = v1::BUDGET;
  item.project_id = project_id;
  item.content = std::move(content);
  return InsertImported(user, std::move(item), erp_job,
                        "imported from the ERP's estimates of job " + erp_job);
}

Result<std::set<v1::ItemType>> ApprovalQueues::DirectExportTypes(const Principal& user) {
  ERPSYNC_RETURN_IF_ERROR(RequirePermission(user, Permission::kView, "viewing settings"));
  return store_->DirectExportTypes(user.company_id);
}

Result<std::set<v1::ItemType>> ApprovalQueues::SetDirectExport(const Principal& user,
                                                               v1::ItemType type, bool on) {
  ERPSYNC_RETURN_IF_ERROR(RequirePermission(user, Permission::kAdmin, "changing settings"));
  if (type != v1::COMMITMENT && type != v1::COMMITMENT_CHANGE_ORDER &&
      type != v1::SUBCONTRACTOR_INVOICE) {
    return InvalidArgumentError(
        "type: direct export exists only for commitments, commitment change orders and "
        "subcontractor invoices");
  }
  ERPSYNC_RETURN_IF_ERROR(store_->SetDirectExport(user.company_id, type, on));
  return store_->DirectExportTypes(user.company_id);
}

Result<MailRecipient> ApprovalQueues::GetPreferences(const Principal& user,
                                                     const std::string& user_name) {
  if (user_name.empty() || user_name == user.user_name) {
    ERPSYNC_RETURN_IF_ERROR(
        RequirePermission(user, Permission::kOwn, "viewing one's notification preferences"));
    return store_->GetRecipient(user.company_id, user.id);
  }
  ERPSYNC_RETURN_IF_ERROR(RequirePermission(user, Permission::kAdmin,
                                            "viewing another user's notification preferences"));
  return store_->FindRecipient(user.company_id, user_name);
}

Result<MailRecipient> ApprovalQueues::SetPreferences(const Principal& user,
                                                     const std::string& user_name,
                                                     std::optional<bool> on_send,
                                                     std::optional<bool> on_reject,
                                                     std::optional<bool> daily_digest) {
  int64_t user_id = user.id;
  if (user_name.empty() || user_name == user.user_name) {
    ERPSYNC_RETURN_IF_ERROR(
        RequirePermission(user, Permission::kOwn, "changing one's notification preferences"));
  } else {
    ERPSYNC_RETURN_IF_ERROR(RequirePermission(user, Permission::kAdmin,
                                              "changing another user's notification preferences"));
    ERPSYNC_ASSIGN_OR_RETURN(const MailRecipient other,
                             store_->FindRecipient(user.company_id, user_name));
    user_id = other.user_id;
  }
  return store_->SetPreferences(user.company_id, user_id, on_send, on_reject, daily_digest);
}

Result<int> ApprovalQueues::EnqueueDailyDigests(const std::string& date, bool force) {
  ERPSYNC_ASSIGN_OR_RETURN(const std::vector<Company> companies, directory_->ListCompanies());
  std::vector<OutgoingMail> mails;
  for (const Company& company : companies) {
    ItemFilter filter;
    filter.state = v1::SENT;
    filter.limit = kDigestItemsLimit;
    ERPSYNC_ASSIGN_OR_RETURN(ItemPage awaiting, store_->ListItems(company.id, filter));
    if (awaiting.items.empty()) continue;
    ERPSYNC_ASSIGN_OR_RETURN(const std::vector<MailRecipient> users,
                             store_->ListRecipients(company.id));
    std::vector<ApprovalItem> oldest_first(awaiting.items.rbegin(), awaiting.items.rend());
    for (OutgoingMail& mail : DigestMails(company.id, company.name, date, oldest_first, users, web_url_)) {
      mails.push_back(std::move(mail));
    }
  }
  ERPSYNC_ASSIGN_OR_RETURN(const bool enqueued, outbox_->EnqueueDigest(date, force, mails));
  if (!enqueued) return 0;
  if (!mails.empty() && mail_queued_) mail_queued_();
  return static_cast<int>(mails.size());
}

Result<ApprovalItem> ApprovalQueues::LoadExport(int64_t connection_id, int64_t item_id) {
  Result<ApprovalItem> item = store_->GetItemById(item_id);
  if (!item.ok()) return item.status();
  if (item->connection_id != connection_id) {
    return NotFoundError(ItemName(item_id) + " does not exist");
  }
  return item;
}

Result<std::vector<OutgoingMail>> ApprovalQueues::FailedExportMails(const ApprovalItem& item) {
  ERPSYNC_ASSIGN_OR_RETURN(const std::vector<HistoryRow> history,
                           store_->GetHistory(item.company_id, item.id));
  // The sender: whoever last sent or re-sent it.
  int64_t sender_id = 0;
  for (const HistoryRow& row : history) {
    if (row.action == ItemActionName(ItemAction::kSend) ||
        row.action == ItemActionName(ItemAction::kResend)) {
      sender_id = row.actor_user_id;
    }
  }
  ERPSYNC_ASSIGN_OR_RETURN(const std::vector<MailRecipient> users,
                           store_->ListRecipients(item.company_id));
  return FailedToExportMails(item, item.erp_message, sender_id, users, web_url_);
}

Result<ApprovalItem> ApprovalQueues::CommitExportChange(ApprovalItem item, ItemAction action,
                                                        const std::string& comment) {
  const v1::ItemState from = item.state;
  ERPSYNC_ASSIGN_OR_RETURN(item.state,
                           NextItemState(item.id, item.type, from, item.archived, action, false));
  std::vector<OutgoingMail> mails;
  if (item.state == v1::FAILED_TO_EXPORT) {
    ERPSYNC_ASSIGN_OR_RETURN(mails, FailedExportMails(item));
  }
  return Commit(std::move(item), from, ItemActionName(action), nullptr, comment, mails);
}

Result<std::vector<v1::ExportItem>> ApprovalQueues::ListPendingExports(int64_t connection_id,
                                                                       bool include_delivered,
                                                                       int limit) {
  ERPSYNC_ASSIGN_OR_RETURN(const std::vector<ApprovalItem> items,
                           store_->ListQueuedExports(connection_id, include_delivered, limit));
  std::vector<v1::ExportItem> exports;
  for (const ApprovalItem& item : items) {
    Result<v1::ExportItem> exported = rules_.BuildExport(item);
    if (exported.ok()) {
      exports.push_back(std::move(exported).value());
      continue;
    }
    if (exported.status().code() != StatusCode::kFailedPrecondition) return exported.status();
    ERPSYNC_LOG(kWarning) << ItemName(item.id)
                          << " cannot be exported: " << exported.status().message();
    ApprovalItem failed = item;
    failed.erp_message = exported.status().message();
    ERPSYNC_RETURN_IF_ERROR(
        CommitExportChange(std::move(failed), ItemAction::kFail, exported.status().message())
            .status());
  }
  return exports;
}

Result<ApprovalItem> ApprovalQueues::MarkExportDelivered(int64_t connection_id, int64_t item_id) {
  ERPSYNC_ASSIGN_OR_RETURN(ApprovalItem item, LoadExport(connection_id, item_id));
  item.delivered_version = item.version;
  return CommitExportChange(std::move(item), ItemAction::kDeliver, "");
}

Result<ApprovalItem> ApprovalQueues::CompleteExport(int64_t connection_id, int64_t item_id,
                                                    int64_t version,
                                                    const std::vector<std::string>& erp_keys) {
  for (const std::string& key : erp_keys) {
    if (key.empty()) return InvalidArgumentError("erp_keys: an ERP key must not be empty");
  }
  return ApplyExportResult(connection_id, {item_id, version, true, erp_keys, ""});
}

Result<ApprovalItem> ApprovalQueues::FailExport(int64_t connection_id, int64_t item_id,
                                                int64_t version, const std::string& erp_message) {
  if (erp_message.empty()) {
    return InvalidArgumentError("erp_message: the ERP's error message is required");
  }
  return ApplyExportResult(connection_id, {item_id, version, false, {}, erp_message});
}

Result<ApprovalItem> ApprovalQueues::ApplyExportResult(int64_t connection_id,
                                                       const ExportOutcome& outcome) {
  ERPSYNC_ASSIGN_OR_RETURN(const Connection reporter, directory_->GetConnection(connection_id));
  return RetryExportChange([&]() -> Result<ApprovalItem> {
    ERPSYNC_ASSIGN_OR_RETURN(ApprovalItem item, store_->GetItemById(outcome.item_id));
    ERPSYNC_ASSIGN_OR_RETURN(const ExportResultMatch match,
                             MatchExportResult(item, reporter, outcome));
    if (match == ExportResultMatch::kRepeat) return item;
    if (!outcome.ok) {
      item.erp_message = outcome.erp_message;
      Result<ApprovalItem> failed =
          CommitExportChange(std::move(item), ItemAction::kFail, outcome.erp_message);
      if (failed.ok() && export_outcome_) export_outcome_(*failed, false);
      return failed;
    }
    if (LinksRecord(item.type) && outcome.erp_keys.empty()) {
      return InvalidArgumentError("erp_keys: the ERP key of the new " + ItemTypeName(item.type) +
                                  " record is required");
    }
    item.erp_keys = outcome.erp_keys;
    if (LinksRecord(item.type)) item.erp_key = outcome.erp_keys.front();
    item.erp_message.clear();
    std::string comment = "ERP keys:";
    for (const std::string& key : outcome.erp_keys) comment += " " + key;
    Result<ApprovalItem> exported =
        CommitExportChange(std::move(item), ItemAction::kComplete, comment);
    if (exported.ok() && export_outcome_) export_outcome_(*exported, true);
    return exported;
  });
}

Result<bool> ApprovalQueues::ErpRecordExists(int64_t item_id) {
  ERPSYNC_ASSIGN_OR_RETURN(const ApprovalItem item, store_->GetItemById(item_id));
  ERPSYNC_ASSIGN_OR_RETURN(const MirroredState state, rules_.LinkedRecordState(item));
  return state == MirroredState::kLive;
}

Result<bool> ApprovalQueues::BudgetEntriesPosted(int64_t item_id) {
  ERPSYNC_ASSIGN_OR_RETURN(const ApprovalItem item, store_->GetItemById(item_id));
  if (item.type != v1::BUDGET && item.type != v1::BUDGET_CHANGE) {
    return FailedPreconditionError(ItemName(item_id) + " is a " + ItemTypeName(item.type) +
                                   ", not a budget");
  }
  return rules_.BudgetEntriesPosted(item);
}

}  // namespace erpsync::server
