#include "server/rpc/erp_integrations_service.h"

#include <charconv>

#include "common/grpc/grpc_util.h"
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

Result<Principal> ErpIntegrationsService::User(const grpc::ServerContext& context) {
  return auth_->AuthenticateUser(BearerTokenOf(context), ToolLevel::kReadOnly);
}

Result<Principal> ErpIntegrationsService::AnyUser(const grpc::ServerContext& context) {
  return auth_->AuthenticateUser(BearerTokenOf(context), ToolLevel::kNone);
}

grpc::Status ErpIntegrationsService::Act(const char* method, const grpc::ServerContext& context,
                                         ItemAction action, const v1::ItemActionRequest& request,
                                         v1::Item* response) {
  return GuardedHandler(method, [&]() -> Status {
    ERPSYNC_ASSIGN_OR_RETURN(const Principal user, User(context));
    ERPSYNC_RETURN_IF_ERROR(CheckItemId(request.item_id()));
    ItemActionInput input;
    input.item_id = request.item_id();
    input.expected_version = request.expected_version();
    input.comment = request.comment();
    ERPSYNC_ASSIGN_OR_RETURN(const ApprovalItem item, queues_->Act(user, action, input));
    ItemToProto(item, response);
    return Status::Ok();
  });
}

grpc::Status ErpIntegrationsService::CreateItem(grpc::ServerContext* context,
                                                const v1::CreateItemRequest* request,
                                                v1::Item* response) {
  return GuardedHandler("CreateItem", [&]() -> Status {
    ERPSYNC_ASSIGN_OR_RETURN(const Principal user, User(*context));
    ERPSYNC_RETURN_IF_ERROR(CheckType(request->type(), true));
    ERPSYNC_ASSIGN_OR_RETURN(const ApprovalItem item,
                             queues_->CreateItem(user, request->type(), request->connection(),
                                                 request->project_id(), request->content()));
    ItemToProto(item, response);
    return Status::Ok();
  });
}

grpc::Status ErpIntegrationsService::UpdateItem(grpc::ServerContext* context,
                                                const v1::UpdateItemRequest* request,
                                                v1::Item* response) {
  return GuardedHandler("UpdateItem", [&]() -> Status {
    ERPSYNC_ASSIGN_OR_RETURN(const Principal user, User(*context));
    ERPSYNC_RETURN_IF_ERROR(CheckItemId(request->item_id()));
    ERPSYNC_ASSIGN_OR_RETURN(const ApprovalItem item,
                             queues_->UpdateItem(user, request->item_id(),
                                                 request->expected_version(), request->content()));
    ItemToProto(item, response);
    return Status::Ok();
  });
}

grpc::Status ErpIntegrationsService::GetItem(grpc::ServerContext* context,
                                             const v1::GetItemRequest* request,
                                             v1::Item* response) {
  return GuardedHandler("GetItem", [&]() -> Status {
    ERPSYNC_ASSIGN_OR_RETURN(const Principal user, User(*context));
    ERPSYNC_RETURN_IF_ERROR(CheckItemId(request->item_id()));
    ERPSYNC_ASSIGN_OR_RETURN(const ApprovalItem item, queues_->GetItem(user, request->item_id()));
    ItemToProto(item, response);
    return Status::Ok();
  });
}

grpc::Status ErpIntegrationsService::ListItems(grpc::ServerContext* context,
                                               const v1::ListItemsRequest* request,
                                               v1::ListItemsResponse* response) {
  return GuardedHandler("ListItems", [&]() -> Status {
    ERPSYNC_ASSIGN_OR_RETURN(const Principal user, User(*context));
    ERPSYNC_RETURN_IF_ERROR(CheckType(request->type(), false));
    if (!v1::Queue_IsValid(request->queue())) {
      return InvalidArgumentError("queue: unknown queue " + std::to_string(request->queue()));
    }
    if (!v1::ItemState_IsValid(request->state())) {
      return InvalidArgumentError("state: unknown state " + std::to_string(request->state()));
    }
    ItemFilter filter;
    filter.queue = request->queue();
    filter.type = request->type();
    filter.project_id = request->project_id();
    filter.state = request->state();
    ERPSYNC_ASSIGN_OR_RETURN(filter.limit, PageSize(request->page_size()));
    const PageToken tokens = ItemPageTokens(user, filter);
    ERPSYNC_ASSIGN_OR_RETURN(filter.before_id, ParseItemPageToken(tokens, request->page_token()));
    ERPSYNC_ASSIGN_OR_RETURN(const ItemPage page, queues_->ListItems(user, filter));
    for (const ApprovalItem& item : page.items) ItemToProto(item, response->add_items());
    if (page.next_before_id != 0) {
      ERPSYNC_ASSIGN_OR_RETURN(*response->mutable_next_page_token(),
                               tokens.Encode(std::to_string(page.next_before_id)));
    }
    return Status::Ok();
  });
}

grpc::Status ErpIntegrationsService::GetItemHistory(grpc::ServerContext* context,
                                                    const v1::GetItemRequest* request,
                                                    v1::ItemHistory* response) {
  return GuardedHandler("GetItemHistory", [&]() -> Status {
    ERPSYNC_ASSIGN_OR_RETURN(const Principal user, User(*context));
    ERPSYNC_RETURN_IF_ERROR(CheckItemId(request->item_id()));
    ERPSYNC_ASSIGN_OR_RETURN(const std::vector<HistoryRow> rows,
                             queues_->GetHistory(user, request->item_id()));
    for (const HistoryRow& row : rows) HistoryToProto(row, response->add_entries());
    return Status::Ok();
  });
}

grpc::Status ErpIntegrationsService::Send(grpc::ServerContext* context,
                                          const v1::ItemActionRequest* request,
                                          v1::Item* response) {
  return Act("Send", *context, ItemAction::kSend, *request, response);
}

grpc::Status ErpIntegrationsService::Retrieve(grpc::ServerContext* context,
                                              const v1::ItemActionRequest* request,
                                              v1::Item* response) {
  return Act("Retrieve", *context, ItemAction::kRetrieve, *request, response);
}

grpc::Status ErpIntegrationsService::Resend(grpc::ServerContext* context,
                                            const v1::ItemActionRequest* request,
                                            v1::Item* response) {
  return Act("Resend", *context, ItemAction::kResend, *request, response);
}

grpc::Status ErpIntegrationsService::Accept(grpc::ServerContext* context,
                                            const v1::AcceptRequest* request, v1::Item* response) {
  return GuardedHandler("Accept", [&]() -> Status {
    ERPSYNC_ASSIGN_OR_RETURN(const Principal user, User(*context));
    ERPSYNC_RETURN_IF_ERROR(CheckItemId(request->item_id()));
    ItemActionInput input;
    input.item_id = request->item_id();
    input.expected_version = request->expected_version();
    input.comment = request->comment();
    input.transaction_date = request->transaction_date();
    ERPSYNC_ASSIGN_OR_RETURN(const ApprovalItem item,
                             queues_->Act(user, ItemAction::kAccept, input));
    ItemToProto(item, response);
    return Status::Ok();
  });
}

grpc::Status ErpIntegrationsService::Reject(grpc::ServerContext* context,
                                            const v1::ItemActionRequest* request,
                                            v1::Item* response) {
  return Act("Reject", *context, ItemAction::kReject, *request, response);
}

grpc::Status ErpIntegrationsService::Unlink(grpc::ServerContext* context,
                                            const v1::ItemActionRequest* request,
                                            v1::Item* response) {
  return Act("Unlink", *context, ItemAction::kUnlink, *request, response);
}

grpc::Status ErpIntegrationsService::Archive(grpc::ServerContext* context,
                                             const v1::ItemActionRequest* request,
                                             v1::Item* response) {
  return Act("Archive", *context, ItemAction::kArchive, *request, response);
}

grpc::Status ErpIntegrationsService::Unarchive(grpc::ServerContext* context,
                                               const v1::ItemActionRequest* request,
                                               v1::Item* response) {
  return Act("Unarchive", *context, ItemAction::kUnarchive, *request, response);
}

grpc::Status ErpIntegrationsService::LockBudget(grpc::ServerContext* context,
                                                const v1::ItemActionRequest* request,
                                                v1::Item* response) {
  return Act("LockBudget", *context, ItemAction::kLock, *request, response);
}

grpc::Status ErpIntegrationsService::UnlockBudget(grpc::ServerContext* context,
                                                  const v1::ItemActionRequest* request,
                                                  v1::Item* response) {
  return Act("UnlockBudget", *context, ItemAction::kUnlock, *request, response);
}

grpc::Status ErpIntegrationsService::ListImportable(grpc::ServerContext* context,
                                                    const v1::ListImportableRequest* request,
                                                    v1::ListImportableResponse* response) {
  return GuardedHandler("ListImportable", [&]() -> Status {
    ERPSYNC_ASSIGN_OR_RETURN(const Principal user, User(*context));
    ERPSYNC_RETURN_IF_ERROR(CheckType(request->type(), true));
    ERPSYNC_ASSIGN_OR_RETURN(const int limit, PageSize(request->page_size()));
    PageToken tokens("importable");
    tokens.Bind(user.company_id).Bind(request->connection()).Bind(int64_t{request->type()});
    tokens.Bind(int64_t{request->hide_closed()});
    ERPSYNC_ASSIGN_OR_RETURN(const std::string after_key, tokens.Decode(request->page_token()));
    ERPSYNC_ASSIGN_OR_RETURN(const ImportablePage page,
                             queues_->ListImportable(user, request->type(), request->connection(),
                                                     after_key, limit, request->hide_closed()));
    for (const ImportableRecord& record : page.records) {
      v1::ImportableRecord* out = response->add_records();
      out->set_key(Utf8OrReplaced(record.key));
      out->set_description(Utf8OrReplaced(record.description));
      out->set_closed(record.closed);
    }
    if (!page.next_after_key.empty()) {
      ERPSYNC_ASSIGN_OR_RETURN(*response->mutable_next_page_token(),
                               tokens.Encode(page.next_after_key));
    }
    return Status::Ok();
  });
}

grpc::Status ErpIntegrationsService::ImportRecord(grpc::ServerContext* context,
                                                  const v1::ImportRecordRequest* request,
                                                  v1::Item* response) {
  return GuardedHandler("ImportRecord", [&]() -> Status {
    ERPSYNC_ASSIGN_OR_RETURN(const Principal user, User(*context));
    ERPSYNC_RETURN_IF_ERROR(CheckType(request->type(), true));
    ERPSYNC_ASSIGN_OR_RETURN(
        const ImportedRecord imported,
        queues_->ImportRecord(user, request->type(), request->connection(), request->key()));
    ItemToProto(imported.item, response);
    for (const std::string& warning : imported.warnings) response->add_warnings(warning);
    return Status::Ok();
  });
}

grpc::Status ErpIntegrationsService::GetSettings(grpc::ServerContext* context,
                                                 const v1::GetSettingsRequest* /*request*/,
                                                 v1::Settings* response) {
  return GuardedHandler("GetSettings", [&]() -> Status {
    ERPSYNC_ASSIGN_OR_RETURN(const Principal user, User(*context));
    ERPSYNC_ASSIGN_OR_RETURN(const std::set<v1::ItemType> direct, queues_->DirectExportTypes(user));
    SettingsToProto(direct, response);
    return Status::Ok();
  });
}

grpc::Status ErpIntegrationsService::UpdateSettings(grpc::ServerContext* context,
                                                    const v1::UpdateSettingsRequest* request,
                                                    v1::Settings* response) {
  return GuardedHandler("UpdateSettings", [&]() -> Status {
    ERPSYNC_ASSIGN_OR_RETURN(const Principal user, User(*context));
    ERPSYNC_RETURN_IF_ERROR(CheckType(request->type(), true));
    ERPSYNC_ASSIGN_OR_RETURN(
        const std::set<v1::ItemType> direct,
        queues_->SetDirectExport(user, request->type(), request->direct_export()));
    SettingsToProto(direct, response);
    return Status::Ok();
  });
}

grpc::Status ErpIntegrationsService::GetNotificationPreferences(
    grpc::ServerContext* context, const v1::GetNotificationPreferencesRequest* request,
    v1::NotificationPreferences* response) {
  return GuardedHandler("GetNotificationPreferences", [&]() -> Status {
    ERPSYNC_ASSIGN_OR_RETURN(const Principal user, AnyUser(*context));
    ERPSYNC_ASSIGN_OR_RETURN(const MailRecipient preferences,
                             queues_->GetPreferences(user, request->user()));
    PreferencesToProto(preferences, response);
    return Status::Ok();
  });
}

grpc::Status ErpIntegrationsService::SetNotificationPreferences(
    grpc::ServerContext* context, const v1::SetNotificationPreferencesRequest* request,
    v1::NotificationPreferences* response) {
  return GuardedHandler("SetNotificationPreferences", [&]() -> Status {
    ERPSYNC_ASSIGN_OR_RETURN(const Principal user, AnyUser(*context));
    auto optional = [](bool has, bool value) {
      return has ? std::optional<bool>(value) : std::nullopt;
    };
    ERPSYNC_ASSIGN_OR_RETURN(
        const MailRecipient preferences,
        queues_->SetPreferences(user, request->user(),
                                optional(request->has_on_send(), request->on_send()),
                                optional(request->has_on_reject(), request->on_reject()),
                                optional(request->has_daily_digest(), request->daily_digest())));
    PreferencesToProto(preferences, response);
    return Status::Ok();
  });
}

}  // namespace erpsync::server
