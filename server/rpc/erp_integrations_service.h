// ErpIntegrationsService gRPC service (protos/erpsync/v1/
// erp_integrations.proto): a thin adapter that authenticates the user,
// converts requests into ApprovalQueues calls and results back. No rules
// and no SQL here; no exception escapes a handler. Thread-safe.
#ifndef ERPSYNC_SERVER_RPC_ERP_INTEGRATIONS_SERVICE_H_
#define ERPSYNC_SERVER_RPC_ERP_INTEGRATIONS_SERVICE_H_

#include "erpsync/v1/erp_integrations.grpc.pb.h"
#include "server/approval/approval_queues.h"
#include "server/auth/authenticator.h"

namespace erpsync::server {

class ErpIntegrationsService final : public v1::ErpIntegrations::Service {
 public:
  ErpIntegrationsService(Authenticator* auth, ApprovalQueues* queues)
      : auth_(auth), queues_(queues) {}

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
  // The calling user (Read Only or higher; the domain checks the rest).
  Result<Principal> User(const grpc::ServerContext& context);
  // The calling user at any level, None included: for what one may do to
  // one's own account (notification preferences); the domain checks the
  // rest.
  Result<Principal> AnyUser(const grpc::ServerContext& context);
  grpc::Status Act(const char* method, const grpc::ServerContext& context, ItemAction action,
                   const v1::ItemActionRequest& request, v1::Item* response);

  Authenticator* auth_;
  ApprovalQueues* queues_;
};

// The wire form of an item.
void ItemToProto(const ApprovalItem& item, v1::Item* out);

}  // namespace erpsync::server

#endif  // ERPSYNC_SERVER_RPC_ERP_INTEGRATIONS_SERVICE_H_
