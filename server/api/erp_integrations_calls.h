// ErpIntegrationsCalls: the ErpIntegrations API (protos/erpsync/v1/
// erp_integrations.proto) for a user already authenticated: request
// messages in, response messages out, over ApprovalQueues. The one
// implementation behind both the gRPC service (server/rpc) and the web
// tool's JSON API (server/web), through the table of methods(): each
// transport checks its own credential (a bearer token, a session) against
// the least level of the method's entry, and everything after that is
// here. No rules and no SQL here (the domain has
// them); no exception is caught here (the callers guard). Thread-safe.
#ifndef ERPSYNC_SERVER_API_ERP_INTEGRATIONS_CALLS_H_
#define ERPSYNC_SERVER_API_ERP_INTEGRATIONS_CALLS_H_

#include <vector>

#include "common/status.h"
#include "erpsync/v1/erp_integrations.pb.h"
#include "server/api/api_method.h"
#include "server/approval/approval_queues.h"
#include "server/store/store_types.h"

namespace erpsync::server {

class ErpIntegrationsCalls {
 public:
  explicit ErpIntegrationsCalls(ApprovalQueues* queues);
  // methods() point at this object.
  ErpIntegrationsCalls(const ErpIntegrationsCalls&) = delete;
  ErpIntegrationsCalls& operator=(const ErpIntegrationsCalls&) = delete;

  // Every method of service ErpIntegrations, in the proto's order, bound
  // to this object.
  const std::vector<ApiMethod>& methods() const { return methods_; }

  Status CreateItem(const Principal& user, const v1::CreateItemRequest& request, v1::Item* out);
  Status UpdateItem(const Principal& user, const v1::UpdateItemRequest& request, v1::Item* out);
  Status GetItem(const Principal& user, const v1::GetItemRequest& request, v1::Item* out);
  Status ListItems(const Principal& user, const v1::ListItemsRequest& request,
                   v1::ListItemsResponse* out);
  Status CountItems(const Principal& user, const v1::CountItemsRequest& request,
                    v1::CountItemsResponse* out);
  Status GetItemHistory(const Principal& user, const v1::GetItemRequest& request,
                        v1::ItemHistory* out);
  Status Send(const Principal& user, const v1::ItemActionRequest& request, v1::Item* out);
  Status Retrieve(const Principal& user, const v1::ItemActionRequest& request, v1::Item* out);
  Status Resend(const Principal& user, const v1::ItemActionRequest& request, v1::Item* out);
  Status Accept(const Principal& user, const v1::AcceptRequest& request, v1::Item* out);
  Status Reject(const Principal& user, const v1::ItemActionRequest& request, v1::Item* out);
  Status Unlink(const Principal& user, const v1::ItemActionRequest& request, v1::Item* out);
  Status Archive(const Principal& user, const v1::ItemActionRequest& request, v1::Item* out);
  Status Unarchive(const Principal& user, const v1::ItemActionRequest& request, v1::Item* out);
  Status LockBudget(const Principal& user, const v1::ItemActionRequest& request, v1::Item* out);
  Status UnlockBudget(const Principal& user, const v1::ItemActionRequest& request, v1::Item* out);
  Status ListImportable(const Principal& user, const v1::ListImportableRequest& request,
                        v1::ListImportableResponse* out);
  Status ImportRecord(const Principal& user, const v1::ImportRecordRequest& request, v1::Item* out);
  Status GetSettings(const Principal& user, const v1::GetSettingsRequest& request,
                     v1::Settings* out);
  Status UpdateSettings(const Principal& user, const v1::UpdateSettingsRequest& request,
                        v1::Settings* out);
  Status GetNotificationPreferences(const Principal& user,
                                    const v1::GetNotificationPreferencesRequest& request,
                                    v1::NotificationPreferences* out);
  Status SetNotificationPreferences(const Principal& user,
                                    const v1::SetNotificationPreferencesRequest& request,
                                    v1::NotificationPreferences* out);

 private:
  // `action` on the item `request` names, with its version and comment.
  Status Act(const Principal& user, ItemAction action, const v1::ItemActionRequest& request,
             v1::Item* out);
  // `action` with `input` (an item id checked here).
  Status Act(const Principal& user, ItemAction action, const ItemActionInput& input,
             v1::Item* out);

  ApprovalQueues* queues_;
  std::vector<ApiMethod> methods_;
};

// The wire form of an item.
void ItemToProto(const ApprovalItem& item, v1::Item* out);

}  // namespace erpsync::server

#endif  // ERPSYNC_SERVER_API_ERP_INTEGRATIONS_CALLS_H_
