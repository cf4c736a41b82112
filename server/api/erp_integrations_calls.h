// ErpIntegrationsCalls: the ErpIntegrations API (protos/erpsync/v1/
// erp_integrations.proto) for a user already authenticated: request
// messages in, response messages out, over ApprovalQueues. The one
// implementation behind both the gRPC service (server/rpc) and the web
// tool's JSON API (server/web): each checks its own credentials (a bearer
// token, a session) to the least level the method's table entry names, and
// everything after that is here. No rules and no SQL here (the domain has
// them); no exception is caught here (the callers guard). Thread-safe.
#ifndef ERPSYNC_SERVER_API_ERP_INTEGRATIONS_CALLS_H_
#define ERPSYNC_SERVER_API_ERP_INTEGRATIONS_CALLS_H_

#include <google/protobuf/message.h>

#include <functional>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "erpsync/v1/erp_integrations.pb.h"
#include "server/approval/approval_queues.h"
#include "server/store/store_types.h"

namespace erpsync::server {

class ErpIntegrationsCalls {
 public:
  explicit ErpIntegrationsCalls(ApprovalQueues* queues) : queues_(queues) {}

  Status CreateItem(const Principal& user, const v1::CreateItemRequest& request, v1::Item* out);
  Status UpdateItem(const Principal& user, const v1::UpdateItemRequest& request, v1::Item* out);
  Status GetItem(const Principal& user, const v1::GetItemRequest& request, v1::Item* out);
  Status ListItems(const Principal& user, const v1::ListItemsRequest& request,
                   v1::ListItemsResponse* out);
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
  Status Act(const Principal& user, ItemAction action, const v1::ItemActionRequest& request,
             v1::Item* out);

  ApprovalQueues* queues_;
};

// One method of the API: its name in service ErpIntegrations, the least
// tool level a caller must have before the call (the domain checks the
// rest: privileges, Admin-only settings, whose preferences), and the call
// over type-erased messages of the method's own request and response types
// (`request_prototype` and `response_prototype` make them).
struct ErpIntegrationsMethod {
  std::string_view name;
  ToolLevel minimum_level = ToolLevel::kReadOnly;
  const google::protobuf::Message* request_prototype = nullptr;
  const google::protobuf::Message* response_prototype = nullptr;
  std::function<Status(ErpIntegrationsCalls&, const Principal&, const google::protobuf::Message&,
                       google::protobuf::Message*)>
      call;
};

// Every method of service ErpIntegrations, in the proto's order.
const std::vector<ErpIntegrationsMethod>& ErpIntegrationsMethods();
// The method named `name`; nullptr when the service has none.
const ErpIntegrationsMethod* FindErpIntegrationsMethod(std::string_view name);

// The wire form of an item.
void ItemToProto(const ApprovalItem& item, v1::Item* out);

}  // namespace erpsync::server

#endif  // ERPSYNC_SERVER_API_ERP_INTEGRATIONS_CALLS_H_
