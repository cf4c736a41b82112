#include "server/rpc/erp_integrations_service.h"

#include <string>

#include "server/rpc/api_method_service.h"

namespace erpsync::server {

grpc::Status ErpIntegrationsService::Serve(std::string_view name,
                                           const grpc::ServerContext& context,
                                           const google::protobuf::Message& request,
                                           google::protobuf::Message* response) {
  return ServeApiMethod(auth_, calls_->methods(), name, context, request, response);
}

grpc::Status ErpIntegrationsService::CreateItem(grpc::ServerContext* context,
                                                const v1::CreateItemRequest* request,
                                                v1::Item* response) {
  return Serve("CreateItem", *context, *request, response);
}

grpc::Status ErpIntegrationsService::UpdateItem(grpc::ServerContext* context,
                                                const v1::UpdateItemRequest* request,
                                                v1::Item* response) {
  return Serve("UpdateItem", *context, *request, response);
}

grpc::Status ErpIntegrationsService::GetItem(grpc::ServerContext* context,
                                             const v1::GetItemRequest* request,
                                             v1::Item* response) {
  return Serve("GetItem", *context, *request, response);
}

grpc::Status ErpIntegrationsService::ListItems(grpc::ServerContext* context,
                                               const v1::ListItemsRequest* request,
                                               v1::ListItemsResponse* response) {
  return Serve("ListItems", *context, *request, response);
}

grpc::Status ErpIntegrationsService::CountItems(grpc::ServerContext* context,
                                                const v1::CountItemsRequest* request,
                                                v1::CountItemsResponse* response) {
  return Serve("CountItems", *context, *request, response);
}

grpc::Status ErpIntegrationsService::GetItemHistory(grpc::ServerContext* context,
                                                    const v1::GetItemRequest* request,
                                                    v1::ItemHistory* response) {
  return Serve("GetItemHistory", *context, *request, response);
}

grpc::Status ErpIntegrationsService::Send(grpc::ServerContext* context,
                                          const v1::ItemActionRequest* request,
                                          v1::Item* response) {
  return Serve("Send", *context, *request, response);
}

grpc::Status ErpIntegrationsService::Retrieve(grpc::ServerContext* context,
                                              const v1::ItemActionRequest* request,
                                              v1::Item* response) {
  return Serve("Retrieve", *context, *request, response);
}

grpc::Status ErpIntegrationsService::Resend(grpc::ServerContext* context,
                                            const v1::ItemActionRequest* request,
                                            v1::Item* response) {
  return Serve("Resend", *context, *request, response);
}

grpc::Status ErpIntegrationsService::Accept(grpc::ServerContext* context,
                                            const v1::AcceptRequest* request, v1::Item* response) {
  return Serve("Accept", *context, *request, response);
}

grpc::Status ErpIntegrationsService::Reject(grpc::ServerContext* context,
                                            const v1::ItemActionRequest* request,
                                            v1::Item* response) {
  return Serve("Reject", *context, *request, response);
}

grpc::Status ErpIntegrationsService::Unlink(grpc::ServerContext* context,
                                            const v1::ItemActionRequest* request,
                                            v1::Item* response) {
  return Serve("Unlink", *context, *request, response);
}

grpc::Status ErpIntegrationsService::Archive(grpc::ServerContext* context,
                                             const v1::ItemActionRequest* request,
                                             v1::Item* response) {
  return Serve("Archive", *context, *request, response);
}

grpc::Status ErpIntegrationsService::Unarchive(grpc::ServerContext* context,
                                               const v1::ItemActionRequest* request,
                                               v1::Item* response) {
  return Serve("Unarchive", *context, *request, response);
}

grpc::Status ErpIntegrationsService::LockBudget(grpc::ServerContext* context,
                                                const v1::ItemActionRequest* request,
                                                v1::Item* response) {
  return Serve("LockBudget", *context, *request, response);
}

grpc::Status ErpIntegrationsService::UnlockBudget(grpc::ServerContext* context,
                                                  const v1::ItemActionRequest* request,
                                                  v1::Item* response) {
  return Serve("UnlockBudget", *context, *request, response);
}

grpc::Status ErpIntegrationsService::ListImportable(grpc::ServerContext* context,
                                                    const v1::ListImportableRequest* request,
                                                    v1::ListImportableResponse* response) {
  return Serve("ListImportable", *context, *request, response);
}

grpc::Status ErpIntegrationsService::ImportRecord(grpc::ServerContext* context,
                                                  const v1::ImportRecordRequest* request,
                                                  v1::Item* response) {
  return Serve("ImportRecord", *context, *request, response);
}

grpc::Status ErpIntegrationsService::GetSettings(grpc::ServerContext* context,
                                                 const v1::GetSettingsRequest* request,
                                                 v1::Settings* response) {
  return Serve("GetSettings", *context, *request, response);
}

grpc::Status ErpIntegrationsService::UpdateSettings(grpc::ServerContext* context,
                                                    const v1::UpdateSettingsRequest* request,
                                                    v1::Settings* response) {
  return Serve("UpdateSettings", *context, *request, response);
}

grpc::Status ErpIntegrationsService::GetNotificationPreferences(
    grpc::ServerContext* context, const v1::GetNotificationPreferencesRequest* request,
    v1::NotificationPreferences* response) {
  return Serve("GetNotificationPreferences", *context, *request, response);
}

grpc::Status ErpIntegrationsService::SetNotificationPreferences(
    grpc::ServerContext* context, const v1::SetNotificationPreferencesRequest* request,
    v1::NotificationPreferences* response) {
  return Serve("SetNotificationPreferences", *context, *request, response);
}

}  // namespace erpsync::server
