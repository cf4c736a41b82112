// The AgentControl (agents' control channel: sync requests and exports to
// the agent, status and outcomes back) and AgentsService (users' view of
// agents, sync requests) gRPC services. Connect is served with the
// callback API: a control channel is idle almost all the time and must not
// hold a thread. Thread-safe.
#ifndef ERPSYNC_SERVER_RPC_AGENT_CONTROL_SERVICE_H_
#define ERPSYNC_SERVER_RPC_AGENT_CONTROL_SERVICE_H_

#include "erpsync/v1/agents.grpc.pb.h"
#include "server/approval/approval_queues.h"
#include "server/auth/authenticator.h"
#include "server/auth/revocation_watch.h"
#include "server/store/agent_control_store.h"
#include "server/store/directory_store.h"
#include "server/sync/agent_hub.h"

namespace erpsync::server {

class AgentControlService final : public v1::AgentControl::CallbackService {
 public:
  // `exports` may be null (no approval queues: nothing to export).
  // `watch`, when given, ends a channel whose token is revoked or rotated.
  AgentControlService(Authenticator* auth, AgentControlStore* store, AgentHub* hub,
                      ApprovalQueues* exports, RevocationWatch* watch = nullptr)
      : auth_(auth), store_(store), hub_(hub), exports_(exports), watch_(watch) {}

  grpc::ServerBidiReactor<v1::AgentEvent, v1::ServerCommand>* Connect(
      grpc::CallbackServerContext* context) override;

 private:
  Authenticator* auth_;
  AgentControlStore* store_;
  AgentHub* hub_;
  ApprovalQueues* exports_;
  RevocationWatch* watch_;
};

class AgentsService final : public v1::AgentsService::Service {
 public:
  AgentsService(Authenticator* auth, DirectoryStore* directory, AgentControlStore* store,
                AgentHub* hub)
      : auth_(auth), directory_(directory), store_(store), hub_(hub) {}

  grpc::Status ListAgents(grpc::ServerContext* context, const v1::ListAgentsRequest* request,
                          v1::ListAgentsResponse* response) override;
  grpc::Status RequestSync(grpc::ServerContext* context, const v1::RequestSyncRequest* request,
                           v1::SyncRequestState* response) override;
  grpc::Status GetSyncRequest(grpc::ServerContext* context,
                              const v1::GetSyncRequestRequest* request,
                              v1::SyncRequestState* response) override;

 private:
  Authenticator* auth_;
  DirectoryStore* directory_;
  AgentControlStore* store_;
  AgentHub* hub_;
};

// A sync request's timeframe: beginning, today, week, month, year or a date
// YYYY-MM-DD. INVALID_ARGUMENT otherwise.
Status ValidateSyncSince(const std::string& since);

}  // namespace erpsync::server

#endif  // ERPSYNC_SERVER_RPC_AGENT_CONTROL_SERVICE_H_
