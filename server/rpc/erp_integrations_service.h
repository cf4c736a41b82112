// ErpIntegrationsService gRPC service (protos/erpsync/v1/
// erp_integrations.proto): authenticates the caller's bearer token against
// the least level of the method's entry in ErpIntegrationsCalls::methods()
// and hands the call to it, as the web tool's JSON API does. No rules and
// no SQL here; no exception escapes a handler. Thread-safe.
#ifndef ERPSYNC_SERVER_RPC_ERP_INTEGRATIONS_SERVICE_H_
#define ERPSYNC_SERVER_RPC_ERP_INTEGRATIONS_SERVICE_H_

#include "erpsync/v1/erp_integrations.grpc.pb.h"
#include "server/api/erp_integrations_calls.h"
#include "server/auth/authenticator.h"

namespace erpsync::server {

class ErpIntegrationsService final : public v1::ErpIntegrations::Service {
 public:
  // `calls` must outlive the service.
  ErpIntegrationsService(Authenticator* auth, ErpIntegrationsCalls* calls)
      : auth_(auth), calls_(calls) {}

  grpc::Status CreateItem(grpc::ServerContext* context, const v1::CreateItemRequest* request,
                          v1::Item* response) override;
  grpc::Status UpdateItem(grpc::ServerContext* context, const v1::UpdateItemRequest* request,
                          v1::Item* response) override;
  grpc::Status GetItem(grpc::ServerContext* context, const v1::GetItemRequest* request,
                       v1::Item* response) override;
  grpc::Status ListItems(grpc::ServerContext* context, const v1::ListItemsRequest* request,
                         v1::ListItemsResponse* response) override;
  grpc::Status CountItems(grpc::ServerContext* context, const v1::CountItemsRequest* request,
                          v1::CountItemsResponse* response) override;
  grpc::Status GetItemHistory(grpc::ServerContext* context, const v1::GetItemRequest* request,
                              v1::ItemHistory* response) override;
  grpc::Status Send(grpc::ServerContext* context, const v1::ItemActionRequest* request,
                    v1::Item* response) override;
  grpc::Status Retrieve(grpc::ServerContext* context, const v1::ItemActionRequest* request,
                        v1::Item* response) override;
  grpc::Status Resend(grpc::ServerContext* context, const v1::ItemActionRequest* request,
                      v1::Item* response) override;
  grpc::Status Accept(grpc::ServerContext* context, const v1::AcceptRequest* request,
                      v1::Item* response) override;
  grpc::Status Reject(grpc::ServerContext* context, const v1::ItemActionRequest* request,
                      v1::Item* response) override;
  grpc::Status Unlink(grpc::ServerContext* context, const v1::ItemActionRequest* request,
                      v1::Item* response) override;
  grpc::Status Archive(grpc::ServerContext* context, const v1::ItemActionRequest* request,
                       v1::Item* response) override;
  grpc::Status Unarchive(grpc::ServerContext* context, const v1::ItemActionRequest* request,
                         v1::Item* response) override;
  grpc::Status LockBudget(grpc::ServerContext* context, const v1::ItemActionRequest* request,
                          v1::Item* response) override;
  grpc::Status UnlockBudget(grpc::ServerContext* context, const v1::ItemActionRequest* request,
                            v1::Item* response) override;
  grpc::Status ListImportable(grpc::ServerContext* context,
                              const v1::ListImportableRequest* request,
                              v1::ListImportableResponse* response) override;
  grpc::Status ImportRecord(grpc::ServerContext* context, const v1::ImportRecordRequest* request,
                            v1::Item* response) override;
  grpc::Status GetSettings(grpc::ServerContext* context, const v1::GetSettingsRequest* request,
                           v1::Settings* response) override;
  grpc::Status UpdateSettings(grpc::ServerContext* context,
                              const v1::UpdateSettingsRequest* request,
                              v1::Settings* response) override;
  grpc::Status GetNotificationPreferences(grpc::ServerContext* context,
                                          const v1::GetNotificationPreferencesRequest* request,
                                          v1::NotificationPreferences* response) override;
  grpc::Status SetNotificationPreferences(grpc::ServerContext* context,
                                          const v1::SetNotificationPreferencesRequest* request,
                                          v1::NotificationPreferences* response) override;

 private:
  // Authenticates the caller to the method `name`'s least level and calls
  // it.
  grpc::Status Serve(std::string_view name, const grpc::ServerContext& context,
                     const google::protobuf::Message& request, google::protobuf::Message* response);

  Authenticator* auth_;
  ErpIntegrationsCalls* calls_;
};

}  // namespace erpsync::server

#endif  // ERPSYNC_SERVER_RPC_ERP_INTEGRATIONS_SERVICE_H_
