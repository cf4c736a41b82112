// The AgentControl gRPC service: the agents' control channel (sync requests
// and exports to the agent, status and outcomes back). Users' view of the
// agents is AgentsService (agents_service.h). Connect is served with the
// callback API: a control channel is idle almost all the time and must not
// hold a thread. Thread-safe.
#ifndef ERPSYNC_SERVER_RPC_AGENT_CONTROL_SERVICE_H_
#define ERPSYNC_SERVER_RPC_AGENT_CONTROL_SERVICE_H_

#include "erpsync/v1/agents.grpc.pb.h"
#include "server/approval/approval_queues.h"
#include "server/auth/authenticator.h"
#include "server/auth/revocation_watch.h"
#include "server/store/agent_control_store.h"
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

}  // namespace erpsync::server

#endif  // ERPSYNC_SERVER_RPC_AGENT_CONTROL_SERVICE_H_
