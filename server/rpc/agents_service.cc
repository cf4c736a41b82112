#include "server/rpc/agents_service.h"

#include "server/rpc/api_method_service.h"

namespace erpsync::server {

grpc::Status AgentsService::Serve(std::string_view name, const grpc::ServerContext& context,
                                  const google::protobuf::Message& request,
                                  google::protobuf::Message* response) {
  return ServeApiMethod(auth_, calls_->methods(), name, context, request, response);
}

grpc::Status AgentsService::ListAgents(grpc::ServerContext* context,
                                       const v1::ListAgentsRequest* request,
                                       v1::ListAgentsResponse* response) {
  return Serve("ListAgents", *context, *request, response);
}

grpc::Status AgentsService::RequestSync(grpc::ServerContext* context,
                                        const v1::RequestSyncRequest* request,
                                        v1::SyncRequestState* response) {
  return Serve("RequestSync", *context, *request, response);
}

grpc::Status AgentsService::GetSyncRequest(grpc::ServerContext* context,
                                           const v1::GetSyncRequestRequest* request,
                                           v1::SyncRequestState* response) {
  return Serve("GetSyncRequest", *context, *request, response);
}

}  // namespace erpsync::server
