#include "server/rpc/agent_sync_service.h"

#include <chrono>
#include <optional>
#include <string>
#include <utility>

#include "common/grpc/grpc_util.h"
#include "common/log.h"
#include "common/sync_protocol.h"
#include "common/version.h"
#include "server/sync/sync_stream_handler.h"
#include "server/sync/sync_stream_loop.h"

namespace erpsync::server {
namespace {

// A gRPC server stream as the sync loop's transport.
class GrpcSyncStreamIo final : public SyncStreamIo {
 public:
  GrpcSyncStreamIo(grpc::ServerContext* context,
                   grpc::ServerReaderWriter<v1::SyncResponse, v1::SyncRequest>* stream)
      : context_(context), stream_(stream) {}
  bool Read(v1::SyncRequest* request) override { return stream_->Read(request); }
  bool Write(const v1::SyncResponse& response) override { return stream_->Write(response); }
  bool Cancelled() const override { return context_->IsCancelled(); }
  // The agent sees CANCELLED and reconnects; the next call is told why.
  void Interrupt() override { context_->TryCancel(); }

 private:
  grpc::ServerContext* context_;
  grpc::ServerReaderWriter<v1::SyncResponse, v1::SyncRequest>* stream_;
};

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
    SyncStreamHandler handler(records_, *agent, limits_, budget_, metrics_);
    GrpcSyncStreamIo io(context, stream);
    const auto began = std::chrono::steady_clock::now();
    // Open streams, counted until this one ends (also by an exception).
    struct OpenStream {
      const SyncMetrics* metrics;
      explicit OpenStream(const SyncMetrics* m) : metrics(m) {
        if (metrics != nullptr) metrics->StreamOpened();
      }
      ~OpenStream() {
        if (metrics != nullptr) metrics->StreamClosed();
      }
    };
    std::optional<OpenStream> open(std::in_place, metrics_);
    const Status status = RunSyncStream(&handler, &io, limits_, shutting_down_);
    open.reset();
    const SyncStreamHandler::Totals& totals = handler.totals();
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - began).count();
    ERPSYNC_LOG(kInfo) << "sync of " << who << " (agent " << agent->id << ", run "
                       << (totals.run_id.empty() ? "-" : totals.run_id) << "): "
                       << totals.entities << " record types, " << totals.records
                       << " records (" << totals.inserted << " new, " << totals.updated
                       << " changed, " << totals.deleted << " deleted) in "
                       << static_cast<int64_t>(seconds * 1000) << " ms: "
                       << (status.ok() ? "complete" : status.ToString());
    // A cancelled call and a shutdown are not failures of the stream.
    const bool cancelled = status.code() == StatusCode::kCancelled || shutting_down_.load();
    if (metrics_ != nullptr) {
      metrics_->StreamEnded(agent->company_name,
                            status.ok() ? "complete"
                            : cancelled ? "cancelled"
                                        : "failed",
                            seconds);
    }
    if (status.ok() || cancelled) return ToGrpcStatus(status);
    return failed(status);
  } catch (const std::exception& e) {
    return grpc::Status(grpc::StatusCode::INTERNAL, std::string("Sync: ") + e.what());
  }
}

}  // namespace erpsync::server
