// AgentsService gRPC service (protos/erpsync/v1/agents.proto): users' view
// of the company's agents and their sync requests. Authenticates the
// caller's bearer token against the least level of the method's entry in
// AgentsCalls::methods() and hands the call to it, as the web tool's JSON
// API does. No exception escapes a handler. Thread-safe.
#ifndef ERPSYNC_SERVER_RPC_AGENTS_SERVICE_H_
#define ERPSYNC_SERVER_RPC_AGENTS_SERVICE_H_

#include <string_view>

#include "erpsync/v1/agents.grpc.pb.h"
#include "server/api/agents_calls.h"
#include "server/auth/authenticator.h"

namespace erpsync::server {

class AgentsService final : public v1::AgentsService::Service {
 public:
  // `calls` must outlive the service.
  AgentsService(Authenticator* auth, AgentsCalls* calls) : auth_(auth), calls_(calls) {}

  grpc::Status ListAgents(grpc::ServerContext* context, const v1::ListAgentsRequest* request,
                          v1::ListAgentsResponse* response) override;
  grpc::Status RequestSync(grpc::ServerContext* context, const v1::RequestSyncRequest* request,
                           v1::SyncRequestState* response) override;
  grpc::Status GetSyncRequest(grpc::ServerContext* context,
                              const v1::GetSyncRequestRequest* request,
                              v1::SyncRequestState* response) override;

 private:
  grpc::Status Serve(std::string_view name, const grpc::ServerContext& context,
                     const google::protobuf::Message& request, google::protobuf::Message* response);

  Authenticator* auth_;
  AgentsCalls* calls_;
};

}  // namespace erpsync::server

#endif  // ERPSYNC_SERVER_RPC_AGENTS_SERVICE_H_
