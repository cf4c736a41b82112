// AgentsCalls: the AgentsService API (protos/erpsync/v1/agents.proto) for a
// user already authenticated: the company's agents and their last status
// (the Sync Schedule), and sync requests (the Sync and Refresh buttons).
// Behind both the gRPC service (server/rpc/agents_service.h) and the web
// tool's JSON API, through methods(), as ErpIntegrationsCalls. No
// exception is caught here (the callers guard). Thread-safe.
#ifndef ERPSYNC_SERVER_API_AGENTS_CALLS_H_
#define ERPSYNC_SERVER_API_AGENTS_CALLS_H_

#include <string>
#include <vector>

#include "common/status.h"
#include "erpsync/v1/agents.pb.h"
#include "server/api/api_method.h"
#include "server/store/agent_control_store.h"
#include "server/store/directory_store.h"
#include "server/sync/agent_hub.h"

namespace erpsync::server {

class AgentsCalls {
 public:
  // The stores and the hub must outlive the object.
  AgentsCalls(DirectoryStore* directory, AgentControlStore* store, AgentHub* hub);
  // methods() point at this object.
  AgentsCalls(const AgentsCalls&) = delete;
  AgentsCalls& operator=(const AgentsCalls&) = delete;

  // Every method of AgentsService, in the proto's order.
  const std::vector<ApiMethod>& methods() const { return methods_; }

  Status ListAgents(const Principal& user, const v1::ListAgentsRequest& request,
                    v1::ListAgentsResponse* out);
  // An accounting approver's (RequirePermission kApprove: the seeds' FAQ).
  Status RequestSync(const Principal& user, const v1::RequestSyncRequest& request,
                     v1::SyncRequestState* out);
  Status GetSyncRequest(const Principal& user, const v1::GetSyncRequestRequest& request,
                        v1::SyncRequestState* out);

 private:
  DirectoryStore* directory_;
  AgentControlStore* store_;
  AgentHub* hub_;
  std::vector<ApiMethod> methods_;
};

// A sync request's timeframe: beginning, today, week, month, year or a date
// YYYY-MM-DD. INVALID_ARGUMENT otherwise.
Status ValidateSyncSince(const std::string& since);

}  // namespace erpsync::server

#endif  // ERPSYNC_SERVER_API_AGENTS_CALLS_H_
