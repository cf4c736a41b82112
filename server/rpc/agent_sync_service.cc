#include "server/rpc/agent_sync_service.h"

#include <chrono>

#include "common/grpc_util.h"
#include "common/log.h"
#include "server/sync/sync_stream_handler.h"
#include "server/version.h"

namespace erpsync::server {

grpc::Status AgentSyncService::Hello(grpc::ServerContext* context, const v1::HelloRequest* request,
                                     v1::HelloResponse* response) {
  try {
    Result<Principal> agent = auth_->AuthenticateAgent(BearerTokenOf(*context));
    if (!agent.ok()) return ToGrpcStatus(agent.status());
    const Status touched = directory_->TouchAgent(agent->id, request->hostname(),
                                                  request->agent_version());
    if (!touched.ok()) ERPSYNC_LOG(kWarning) << "recording agent hello: " << touched.ToString();
    response->set_company(agent->company_name);
    response->set_connection(agent->connection_name);
    response->set_server_version(kServerVersion);
    response->set_server_time_unix(std::chrono::duration_cast<std::chrono::seconds>(
                                       std::chrono::system_clock::now().time_since_epoch())
                                       .count());
    return grpc::Status::OK;
  } catch (const std::exception& e) {
    return grpc::Status(grpc::StatusCode::INTERNAL, std::string("Hello: ") + e.what());
  }
}

grpc::Status AgentSyncService::Sync(
    grpc::ServerContext* context,
    grpc::ServerReaderWriter<v1::SyncResponse, v1::SyncRequest>* stream) {
  try {
    Result<Principal> agent = auth_->AuthenticateAgent(BearerTokenOf(*context));
    if (!agent.ok()) return ToGrpcStatus(agent.status());
    const std::string who = agent->company_name + "/" + agent->connection_name;
    SyncStreamHandler handler(records_, *agent);
    v1::SyncRequest request;
    while (stream->Read(&request)) {
      if (shutting_down_.load()) {
        return grpc::Status(grpc::StatusCode::UNAVAILABLE, "the server is shutting down; retry");
      }
      Result<v1::SyncResponse> response = handler.Handle(request);
      if (!response.ok()) {
        ERPSYNC_LOG(kWarning) << "sync stream of " << who << " failed: "
                              << response.status().ToString();
        return ToGrpcStatus(response.status());
      }
      if (!stream->Write(*response)) break;
      if (handler.ended()) return grpc::Status::OK;
    }
    if (context->IsCancelled()) return grpc::Status(grpc::StatusCode::CANCELLED, "cancelled");
    if (!handler.ended()) {
      return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT,
                          "sync protocol: the stream ended before SyncEnd");
    }
    return grpc::Status::OK;
  } catch (const std::exception& e) {
    return grpc::Status(grpc::StatusCode::INTERNAL, std::string("Sync: ") + e.what());
  }
}

}  // namespace erpsync::server
