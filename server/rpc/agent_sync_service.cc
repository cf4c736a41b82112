#include "server/rpc/agent_sync_service.h"

#include <chrono>
#include <optional>
#include <string>
#include <utility>

#include "common/grpc/grpc_util.h"
#include "common/log.h"
#include "common/sync_protocol.h"
#include "common/version.h"
#include "server/sync/store_stage.h"
#include "server/sync/sync_stream_handler.h"

namespace erpsync::server {
namespace {

// Prepared batches a sync stream holds ahead of its store. Preparing takes
// about a third of the time storing does, so two keep the store busy while
// the agent keeps sending (its own window covers the rest); each holds a
// decompressed batch (1 MiB at most, 0.2 MiB as the agent sends them), so
// twenty agents syncing at once cost the server a few tens of MiB.
constexpr size_t kStoreQueueDepth = 2;

}  // namespace

grpc::Status AgentSyncService::Hello(grpc::ServerContext* context, const v1::HelloRequest* request,
                                     v1::HelloResponse* response) {
  try {
    Result<Principal> agent = auth_->AuthenticateAgent(BearerTokenOf(*context));
    if (!agent.ok()) return ToGrpcStatus(agent.status());
    const uint32_t protocol = SyncProtocolOf(request->protocol_version());
    if (protocol < kOldestSyncProtocolVersion || protocol > kSyncProtocolVersion) {
      return ToGrpcStatus(FailedPreconditionError(
          "the agent speaks sync protocol " + std::to_string(protocol) + "; this server (" +
          kErpsyncVersion + ") speaks " + std::to_string(kOldestSyncProtocolVersion) + " to " +
          std::to_string(kSyncProtocolVersion) + ": upgrade the " +
          (protocol > kSyncProtocolVersion ? "server" : "agent")));
    }
    const Status touched =
        directory_->TouchAgent(agent->id, request->hostname(), request->agent_version());
    if (!touched.ok()) ERPSYNC_LOG(kWarning) << "recording agent hello: " << touched.ToString();
    response->set_company(agent->company_name);
    response->set_connection(agent->connection_name);
    response->set_server_version(kErpsyncVersion);
    response->set_protocol_version(kSyncProtocolVersion);
    SyncLimitsToProto(limits_, response->mutable_limits());
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
    // A revoked or rotated token cancels the stream (its next call is
    // refused); Unwatch runs before `context` goes.
    std::optional<RevocationWatch::Id> watched;
    if (watch_ != nullptr) watched = watch_->Watch(BearerTokenOf(*context), [context] {
      context->TryCancel();
    });
    struct Unwatch {
      RevocationWatch* watch;
      std::optional<RevocationWatch::Id>* id;
      ~Unwatch() {
        if (id->has_value()) watch->Unwatch(**id);
      }
    } unwatch{watch_, &watched};
    const std::string who = agent->company_name + "/" + agent->connection_name;
    const auto failed = [&who](const Status& status) {
      ERPSYNC_LOG(kWarning) << "sync stream of " << who << " failed: " << status.ToString();
      return ToGrpcStatus(status);
    };
    std::optional<InflightBudget::StreamSlot> slot;
    if (budget_ != nullptr) {
      Result<InflightBudget::StreamSlot> opened = budget_->OpenStream();
      if (!opened.ok()) return failed(opened.status());
      slot.emplace(std::move(*opened));
    }
    SyncStreamHandler handler(records_, *agent, limits_, budget_);
    // Batches are stored on the stage's thread while this one reads and
    // prepares the next; every other message waits until the batches
    // before it are stored and answered, so responses stay in order.
    StoreStage stage(
        &handler, [stream](const v1::SyncResponse& response) { return stream->Write(response); },
        kStoreQueueDepth);
    // Each message is read into a spare batch, kept for the next message
    // unless it was a batch handed to the stage.
    std::unique_ptr<PreparedBatch> batch;
    while (true) {
      if (batch == nullptr) batch = stage.Spare();
      v1::SyncRequest& request = batch->request;
      if (!stream->Read(&request)) break;
      if (shutting_down_.load()) {
        // The stage stores what it holds as it is destroyed.
        return grpc::Status(grpc::StatusCode::UNAVAILABLE, "the server is shutting down; retry");
      }
      if (request.ByteSizeLong() > limits_.max_message_bytes) {
        const Status drained = stage.Drain();
        return failed(drained.ok() ? InvalidArgumentError(
                                         "a SyncRequest of " +
                                         std::to_string(request.ByteSizeLong()) +
                                         " bytes, more than the server's limit of " +
                                         std::to_string(limits_.max_message_bytes) +
                                         " (max_message_bytes)")
                                   : drained);
      }
      if (request.has_batch()) {
        const Status prepared = handler.PrepareBatch(request.batch(), batch.get());
        if (!prepared.ok()) {
          // The batches before this one are stored and answered first.
          const Status drained = stage.Drain();
          return failed(drained.ok() ? prepared : drained);
        }
        const Status submitted = stage.Submit(std::move(batch));
        if (!submitted.ok()) return failed(submitted);
        continue;
      }
      if (const Status drained = stage.Drain(); !drained.ok()) return failed(drained);
      Result<v1::SyncResponse> response = handler.Handle(request);
      if (!response.ok()) return failed(response.status());
      if (!stream->Write(*response)) break;
      if (handler.ended()) return grpc::Status::OK;
    }
    const Status drained = stage.Drain();
    if (!drained.ok() && drained.code() != StatusCode::kCancelled) return failed(drained);
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
