#include "server/api/erp_integrations_calls.h"

#include <charconv>
#include <string>

#include "common/page_token.h"
#include "common/text_encoding.h"

namespace erpsync::server {
namespace {

constexpr uint32_t kDefaultPageSize = 50;
constexpr uint32_t kMaxPageSize = 500;

Result<int> PageSize(uint32_t requested) {
  if (requested > kMaxPageSize) {
    return InvalidArgumentError("page_size: at most " + std::to_string(kMaxPageSize) + ", not " +
                                std::to_string(requested));
  }
  return static_cast<int>(requested == 0 ? kDefaultPageSize : requested);
}

Status CheckType(v1::ItemType type, bool required) {
  if (!v1::ItemType_IsValid(type)) {
    return InvalidArgumentError("type: unknown item type " + std::to_string(type));
  }
  if (required && type == v1::ITEM_TYPE_UNSPECIFIED) {
    return InvalidArgumentError("type: an item type is required");
  }
  return Status::Ok();
}

Status CheckItemId(int64_t item_id) {
  if (item_id <= 0) return InvalidArgumentError("item_id: a positive item id is required");
  return Status::Ok();
}

void HistoryToProto(const HistoryRow& row, v1::HistoryEntry* out) {
  out->set_version(row.version);
  out->set_action(row.action);
  out->set_from_state(row.from_state);
  out->set_to_state(row.to_state);
  out->set_actor(row.actor);
  out->set_comment(row.comment);
  out->set_created_unix(row.created_unix);
}

void PreferencesToProto(const MailRecipient& recipient, v1::NotificationPreferences* out) {
  out->set_user(recipient.name);
  out->set_email(recipient.email);
  out->set_on_send(recipient.on_send);
  out->set_on_reject(recipient.on_reject);
  out->set_daily_digest(recipient.daily_digest);
}

void SettingsToProto(const std::set<v1::ItemType>& direct, v1::Settings* out) {
  for (const v1::ItemType type : direct) out->add_direct_export(type);
}

// The page tokens of ListItems of `user` with `filter` (position: the id
// to list below, in decimal).
PageToken ItemPageTokens(const Principal& user, const ItemFilter& filter) {
  PageToken tokens("items");
  tokens.Bind(user.company_id).Bind(int64_t{filter.queue}).Bind(int64_t{filter.type});
  tokens.Bind(filter.project_id).Bind(int64_t{filter.state});
  return tokens;
}

// The id a ListItems page token lists below; 0 for the first page.
Result<int64_t> ParseItemPageToken(const PageToken& tokens, const std::string& token) {
  ERPSYNC_ASSIGN_OR_RETURN(const std::string position, tokens.Decode(token));
  if (position.empty()) return int64_t{0};
  int64_t id = 0;
  const auto [end, error] = std::from_chars(position.data(), position.data() + position.size(), id);
  if (error != std::errc() || end != position.data() + position.size() || id <= 0) {
    return InvalidArgumentError("page_token: damaged (no item position in it)");
  }
  return id;
}

}  // namespace

void ItemToProto(const ApprovalItem& item, v1::Item* out) {
  out->set_id(item.id);
  out->set_type(item.type);
  out->set_state(item.state);
  out->set_version(item.version);
  out->set_project_id(item.project_id);
  out->set_connection(item.connection_name);
  out->set_origin(item.origin);
  out->set_archived(item.archived);
  const bool in_export = item.state == v1::SENT || item.state == v1::QUEUED_FOR_EXPORT ||
                         item.state == v1::EXPORT_DELIVERED || item.state == v1::SYNCED;
  out->set_locked(item.type == v1::BUDGET ? item.budget_locked : in_export);
  *out->mutable_content() = item.content;
  out->set_title(item.title);
  out->set_erp_key(item.erp_key);
  for (const std::string& key : item.erp_keys) out->add_erp_keys(key);
  out->set_erp_message(item.erp_message);
  out->set_decision_comment(item.decision_comment);
  out->set_created_by(item.created_by_name);
  out->set_created_unix(item.created_unix);
  out->set_updated_unix(item.updated_unix);
  out->set_resent(item.resent);
}

ErpIntegrationsCalls::ErpIntegrationsCalls(ApprovalQueues* queues) : queues_(queues) {
  using C = ErpIntegrationsCalls;
  constexpr ToolLevel kReadOnly = ToolLevel::kReadOnly;
  methods_ = {
      BindApiMethod("CreateItem", kReadOnly, this, &C::CreateItem),
      BindApiMethod("UpdateItem", kReadOnly, this, &C::UpdateItem),
      BindApiMethod("GetItem", kReadOnly, this, &C::GetItem),
      BindApiMethod("ListItems", kReadOnly, this, &C::ListItems),
      BindApiMethod("CountItems", kReadOnly, this, &C::CountItems),
      BindApiMethod("GetItemHistory", kReadOnly, this, &C::GetItemHistory),
      BindApiMethod("Send", kReadOnly, this, &C::Send),
      BindApiMethod("Retrieve", kReadOnly, this, &C::Retrieve),
      BindApiMethod("Resend", kReadOnly, this, &C::Resend),
      BindApiMethod("Accept", kReadOnly, this, &C::Accept),
      BindApiMethod("Reject", kReadOnly, this, &C::Reject),
      BindApiMethod("Unlink", kReadOnly, this, &C::Unlink),
      BindApiMethod("Archive", kReadOnly, this, &C::Archive),
      BindApiMethod("Unarchive", kReadOnly, this, &C::Unarchive),
      BindApiMethod("LockBudget", kReadOnly, this, &C::LockBudget),
      BindApiMethod("UnlockBudget", kReadOnly, this, &C::UnlockBudget),
      BindApiMethod("ListImportable", kReadOnly, this, &C::ListImportable),
      BindApiMethod("ImportRecord", kReadOnly, this, &C::ImportRecord),
      BindApiMethod("GetSettings", kReadOnly, this, &C::GetSettings),
      BindApiMethod("UpdateSettings", kReadOnly, this, &C::UpdateSettings),
      // One's own preferences at any level, None included (the domain
      // checks whose).
      BindApiMethod("GetNotificationPreferences", ToolLevel::kNone, this,
                    &C::GetNotificationPreferences),
      BindApiMethod("SetNotificationPreferences", ToolLevel::kNone, this,
                    &C::SetNotificationPreferences),
  };
}

Status ErpIntegrationsCalls::Act(const Principal& user, ItemAction action,
                                 const v1::ItemActionRequest& request, v1::Item* out) {
  ItemActionInput input;
  input.item_id = request.item_id();
  input.expected_version = request.expected_version();
  input.comment = request.comment();
  return Act(user, action, input, out);
}

Status ErpIntegrationsCalls::Act(const Principal& user, ItemAction action,
                                 const ItemActionInput& input, v1::Item* out) {
  ERPSYNC_RETURN_IF_ERROR(CheckItemId(input.item_id));
  ERPSYNC_ASSIGN_OR_RETURN(const ApprovalItem item, queues_->Act(user, action, input));
  ItemToProto(item, out);
  return Status::Ok();
}

Status ErpIntegrationsCalls::CreateItem(const Principal& user, const v1::CreateItemRequest& request,
                                        v1::Item* out) {
  ERPSYNC_RETURN_IF_ERROR(CheckType(request.type(), true));
  ERPSYNC_ASSIGN_OR_RETURN(const ApprovalItem item,
                           queues_->CreateItem(user, request.type(), request.connection(),
                                               request.project_id(), request.content()));
  ItemToProto(item, out);
  return Status::Ok();
}

Status ErpIntegrationsCalls::UpdateItem(const Principal& user, const v1::UpdateItemRequest& request,
                                        v1::Item* out) {
  ERPSYNC_RETURN_IF_ERROR(CheckItemId(request.item_id()));
  ERPSYNC_ASSIGN_OR_RETURN(
      const ApprovalItem item,
      queues_->UpdateItem(user, request.item_id(), request.expected_version(), request.content()));
  ItemToProto(item, out);
  return Status::Ok();
}

Status ErpIntegrationsCalls::GetItem(const Principal& user, const v1::GetItemRequest& request,
                                     v1::Item* out) {
  ERPSYNC_RETURN_IF_ERROR(CheckItemId(request.item_id()));
  ERPSYNC_ASSIGN_OR_RETURN(const ApprovalItem item, queues_->GetItem(user, request.item_id()));
  ItemToProto(item, out);
  return Status::Ok();
}

Status ErpIntegrationsCalls::ListItems(const Principal& user, const v1::ListItemsRequest& request,
                                       v1::ListItemsResponse* out) {
  ERPSYNC_RETURN_IF_ERROR(CheckType(request.type(), false));
  if (!v1::Queue_IsValid(request.queue())) {
    return InvalidArgumentError("queue: unknown queue " + std::to_string(request.queue()));
  }
  if (!v1::ItemState_IsValid(request.state())) {
    return InvalidArgumentError("state: unknown state " + std::to_string(request.state()));
  }
  ItemFilter filter;
  filter.queue = request.queue();
  filter.type = request.type();
  filter.project_id = request.project_id();
  filter.state = request.state();
  ERPSYNC_ASSIGN_OR_RETURN(filter.limit, PageSize(request.page_size()));
  const PageToken tokens = ItemPageTokens(user, filter);
  ERPSYNC_ASSIGN_OR_RETURN(filter.before_id, ParseItemPageToken(tokens, request.page_token()));
  ERPSYNC_ASSIGN_OR_RETURN(const ItemPage page, queues_->ListItems(user, filter));
  for (const ApprovalItem& item : page.items) ItemToProto(item, out->add_items());
  if (page.next_before_id != 0) {
    ERPSYNC_ASSIGN_OR_RETURN(*out->mutable_next_page_token(),
                             tokens.Encode(std::to_string(page.next_before_id)));
  }
  return Status::Ok();
}

Status ErpIntegrationsCalls::CountItems(const Principal& user, const v1::CountItemsRequest& request,
                                        v1::CountItemsResponse* out) {
  ERPSYNC_RETURN_IF_ERROR(CheckType(request.type(), false));
  ERPSYNC_ASSIGN_OR_RETURN(const auto counts, queues_->CountQueues(user, request.type()));
  for (const auto& [queue, count] : counts) {
    v1::QueueCount* row = out->add_counts();
    row->set_queue(queue);
    row->set_count(count);
  }
  return Status::Ok();
}

Status ErpIntegrationsCalls::GetItemHistory(const Principal& user,
                                            const v1::GetItemRequest& request,
                                            v1::ItemHistory* out) {
  ERPSYNC_RETURN_IF_ERROR(CheckItemId(request.item_id()));
  ERPSYNC_ASSIGN_OR_RETURN(const std::vector<HistoryRow> rows,
                           queues_->GetHistory(user, request.item_id()));
  for (const HistoryRow& row : rows) HistoryToProto(row, out->add_entries());
  return Status::Ok();
}

Status ErpIntegrationsCalls::Send(const Principal& user, const v1::ItemActionRequest& request,
                                  v1::Item* out) {
  return Act(user, ItemAction::kSend, request, out);
}

Status ErpIntegrationsCalls::Retrieve(const Principal& user, const v1::ItemActionRequest& request,
                                      v1::Item* out) {
  return Act(user, ItemAction::kRetrieve, request, out);
}

Status ErpIntegrationsCalls::Resend(const Principal& user, const v1::ItemActionRequest& request,
                                    v1::Item* out) {
  return Act(user, ItemAction::kResend, request, out);
}

Status ErpIntegrationsCalls::Accept(const Principal& user, const v1::AcceptRequest& request,
                                    v1::Item* out) {
  ItemActionInput input;
  input.item_id = request.item_id();
  input.expected_version = request.expected_version();
  input.comment = request.comment();
  input.transaction_date = request.transaction_date();
  return Act(user, ItemAction::kAccept, input, out);
}

Status ErpIntegrationsCalls::Reject(const Principal& user, const v1::ItemActionRequest& request,
                                    v1::Item* out) {
  return Act(user, ItemAction::kReject, request, out);
}

Status ErpIntegrationsCalls::Unlink(const Principal& user, const v1::ItemActionRequest& request,
                                    v1::Item* out) {
  return Act(user, ItemAction::kUnlink, request, out);
}

Status ErpIntegrationsCalls::Archive(const Principal& user, const v1::ItemActionRequest& request,
                                     v1::Item* out) {
  return Act(user, ItemAction::kArchive, request, out);
}

Status ErpIntegrationsCalls::Unarchive(const Principal& user, const v1::ItemActionRequest& request,
                                       v1::Item* out) {
  return Act(user, ItemAction::kUnarchive, request, out);
}

Status ErpIntegrationsCalls::LockBudget(const Principal& user, const v1::ItemActionRequest& request,
                                        v1::Item* out) {
  return Act(user, ItemAction::kLock, request, out);
}

Status ErpIntegrationsCalls::UnlockBudget(const Principal& user,
                                          const v1::ItemActionRequest& request, v1::Item* out) {
  return Act(user, ItemAction::kUnlock, request, out);
}

Status ErpIntegrationsCalls::ListImportable(const Principal& user,
                                            const v1::ListImportableRequest& request,
                                            v1::ListImportableResponse* out) {
  ERPSYNC_RETURN_IF_ERROR(CheckType(request.type(), true));
  ERPSYNC_ASSIGN_OR_RETURN(const int limit, PageSize(request.page_size()));
  PageToken tokens("importable");
  tokens.Bind(user.company_id).Bind(request.connection()).Bind(int64_t{request.type()});
  tokens.Bind(int64_t{request.hide_closed()});
  ERPSYNC_ASSIGN_OR_RETURN(const std::string after_key, tokens.Decode(request.page_token()));
  ERPSYNC_ASSIGN_OR_RETURN(const ImportablePage page,
                           queues_->ListImportable(user, request.type(), request.connection(),
                                                   after_key, limit, request.hide_closed()));
  for (const ImportableRecord& record : page.records) {
    v1::ImportableRecord* row = out->add_records();
    row->set_key(Utf8OrReplaced(record.key));
    row->set_description(Utf8OrReplaced(record.description));
    row->set_closed(record.closed);
  }
  if (!page.next_after_key.empty()) {
    ERPSYNC_ASSIGN_OR_RETURN(*out->mutable_next_page_token(), tokens.Encode(page.next_after_key));
  }
  return Status::Ok();
}

Status ErpIntegrationsCalls::ImportRecord(const Principal& user,
                                          const v1::ImportRecordRequest& request, v1::Item* out) {
  ERPSYNC_RETURN_IF_ERROR(CheckType(request.type(), true));
  ERPSYNC_ASSIGN_OR_RETURN(
      const ImportedRecord imported,
      queues_->ImportRecord(user, request.type(), request.connection(), request.key()));
  ItemToProto(imported.item, out);
  for (const std::string& warning : imported.warnings) out->add_warnings(warning);
  return Status::Ok();
}

Status ErpIntegrationsCalls::GetSettings(const Principal& user,
                                         const v1::GetSettingsRequest& /*request*/,
                                         v1::Settings* out) {
  ERPSYNC_ASSIGN_OR_RETURN(const std::set<v1::ItemType> direct, queues_->DirectExportTypes(user));
  SettingsToProto(direct, out);
  return Status::Ok();
}

Status ErpIntegrationsCalls::UpdateSettings(const Principal& user,
                                            const v1::UpdateSettingsRequest& request,
                                            v1::Settings* out) {
  ERPSYNC_RETURN_IF_ERROR(CheckType(request.type(), true));
  ERPSYNC_ASSIGN_OR_RETURN(const std::set<v1::ItemType> direct,
                           queues_->SetDirectExport(user, request.type(), request.direct_export()));
  SettingsToProto(direct, out);
  return Status::Ok();
}

Status ErpIntegrationsCalls::GetNotificationPreferences(
    const Principal& user, const v1::GetNotificationPreferencesRequest& request,
    v1::NotificationPreferences* out) {
  ERPSYNC_ASSIGN_OR_RETURN(const MailRecipient preferences,
                           queues_->GetPreferences(user, request.user()));
  PreferencesToProto(preferences, out);
  return Status::Ok();
}

Status ErpIntegrationsCalls::SetNotificationPreferences(
    const Principal& user, const v1::SetNotificationPreferencesRequest& request,
    v1::NotificationPreferences* out) {
  auto optional = [](bool has, bool value) {
    return has ? std::optional<bool>(value) : std::nullopt;
  };
  ERPSYNC_ASSIGN_OR_RETURN(
      const MailRecipient preferences,
      queues_->SetPreferences(user, request.user(),
                              optional(request.has_on_send(), request.on_send()),
                              optional(request.has_on_reject(), request.on_reject()),
                              optional(request.has_daily_digest(), request.daily_digest())));
  PreferencesToProto(preferences, out);
  return Status::Ok();
}

}  // namespace erpsync::server
