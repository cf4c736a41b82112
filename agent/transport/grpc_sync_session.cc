#include "agent/transport/grpc_sync_session.h"

#include <unistd.h>

#include <algorithm>
#include <deque>
#include <thread>

#include "common/grpc/grpc_util.h"
#include "common/mutex.h"
#include "common/schema_proto.h"
#include "common/sync_protocol.h"
#include "common/thread_annotations.h"
#include "common/version.h"

namespace erpsync::agent {
namespace {


class GrpcSyncSession : public SyncSession {
 public:
  GrpcSyncSession(v1::AgentSync::Stub* stub, const std::string& token, int window,
                  std::chrono::seconds ack_timeout, uint32_t protocol_version, SyncLimits limits,
                  const CallFailureExplainer* explain)
      : explain_(explain),
        window_(window),
        ack_timeout_(ack_timeout),
        protocol_version_(protocol_version),
        limits_(limits) {
    AttachBearerToken(&context_, token);
    stream_ = stub->Sync(&context_);
    reader_ = std::thread([this] { ReadLoop(); });
  }

  ~GrpcSyncSession() override {
    if (!finished_) {
      context_.TryCancel();
      (void)End();
    }
  }

  Status Start(const SessionStart& start) {
    v1::SyncRequest request;
    v1::SyncStart* message = request.mutable_start();
    message->set_run_id(start.run_id);
    message->set_protocol_version(kSyncProtocolVersion);
    message->set_kind(start.kind);
    message->set_since(start.since);
    ERPSYNC_RETURN_IF_ERROR(Write(request));
    ERPSYNC_ASSIGN_OR_RETURN(const v1::SyncResponse response, Next());
    if (!response.has_started()) return Unexpected("SyncStarted", response);
    return Status::Ok();
  }

  Result<uint64_t> OpenEntity(const RecordSchema& schema,
                              const EntityOpenOptions& options) override {
    v1::SyncRequest request;
    v1::EntityStart* message = request.mutable_entity_start();
    SchemaToProto(schema, message->mutable_schema());
    message->set_full_pass(options.full_pass);
    message->set_resume_generation(options.resume_generation);
    message->set_census(options.census);
    entity_id_ = schema.entity_id();
    ERPSYNC_RETURN_IF_ERROR(Write(request));
    ERPSYNC_ASSIGN_OR_RETURN(const v1::SyncResponse response, Next());
    if (!response.has_entity_started()) return Unexpected("EntityStarted", response);
    return response.entity_started().generation();
  }

  Status SendBatch(v1::RecordBatch batch, AckCallback on_ack) override {
    batch.set_entity_id(entity_id_);
    batch.set_sequence(++sequence_);
    v1::SyncRequest request;
    *request.mutable_batch() = std::move(batch);
    ERPSYNC_RETURN_IF_ERROR(Write(request));
    pending_.emplace_back(sequence_, std::move(on_ack));
    while (pending_.size() >= static_cast<size_t>(window_)) {
      ERPSYNC_RETURN_IF_ERROR(ProcessAck());
    }
    return Status::Ok();
  }

  Result<EntityClosed> CloseEntity(bool complete, uint64_t records_sent) override {
    while (!pending_.empty()) ERPSYNC_RETURN_IF_ERROR(ProcessAck());
    v1::SyncRequest request;
    v1::EntityEnd* message = request.mutable_entity_end();
    message->set_entity_id(entity_id_);
    message->set_complete(complete);
    message->set_records_sent(records_sent);
    ERPSYNC_RETURN_IF_ERROR(Write(request));
    ERPSYNC_ASSIGN_OR_RETURN(const v1::SyncResponse response, Next());
    if (!response.has_entity_ended()) return Unexpected("EntityEnded", response);
    const v1::EntityEnded& ended = response.entity_ended();
    return EntityClosed{ended.deleted_by_pass(), ended.record_count(), ended.checksum()};
  }

  Status Finish() override {
    v1::SyncRequest request;
    request.mutable_end();
    ERPSYNC_RETURN_IF_ERROR(Write(request));
    ERPSYNC_ASSIGN_OR_RETURN(const v1::SyncResponse response, Next());
    if (!response.has_ended()) return Unexpected("SyncEnded", response);
    stream_->WritesDone();
    return End();
  }

  uint64_t bytes_sent() const override { return bytes_sent_; }
  uint32_t protocol_version() const override { return protocol_version_; }
  SyncLimits limits() const override { return limits_; }

 private:
  void ReadLoop() ERPSYNC_EXCLUDES(mutex_) {
    v1::SyncResponse response;
    while (stream_->Read(&response)) {
      MutexLock lock(mutex_);
      responses_.push_back(std::move(response));
      response = v1::SyncResponse();
      ready_.NotifyOne();
    }
    MutexLock lock(mutex_);
    read_done_ = true;
    ready_.NotifyOne();
  }

  // Joins the reader and collects the stream's final status.
  Status End() ERPSYNC_EXCLUDES(mutex_) {
    if (finished_) return final_status_;
    finished_ = true;
    if (reader_.joinable()) reader_.join();
    final_status_ = FromGrpcStatus(stream_->Finish());
    if (!final_status_.ok() && *explain_) final_status_ = (*explain_)(final_status_);
    return final_status_;
  }

  // The status that explains a broken stream: the server's, when it ended
  // the stream. Called once the stream is done (a write failed, or the
  // reader saw its end), so there is nothing to cancel: a cancel now would
  // replace the server's status with CANCELLED.
  Status Broken() ERPSYNC_EXCLUDES(mutex_) {
    const Status status = End();
    if (!status.ok() && status.code() != StatusCode::kCancelled) return status;
    return UnavailableError("the server closed the sync stream");
  }

  Status Write(const v1::SyncRequest& request) ERPSYNC_EXCLUDES(mutex_) {
    if (finished_) return Broken();
    bytes_sent_ += request.ByteSizeLong();
    if (!stream_->Write(request)) return Broken();
    return Status::Ok();
  }

  Result<v1::SyncResponse> Next() ERPSYNC_EXCLUDES(mutex_) {
    MutexLock lock(mutex_);
    if (!ready_.WaitFor(mutex_, ack_timeout_, [this]() ERPSYNC_REQUIRES(mutex_) {
          return !responses_.empty() || read_done_;
        })) {
      lock.Unlock();
      context_.TryCancel();
      (void)End();
      return DeadlineExceededError();
    }
    if (responses_.empty()) {
      lock.Unlock();
      return Broken();
    }
    v1::SyncResponse response = std::move(responses_.front());
    responses_.pop_front();
    lock.Unlock();
    if (response.has_failed()) return Failed(response.failed());
    return response;
  }

  Status DeadlineExceededError() const {
    return Status(StatusCode::kDeadlineExceeded,
                  "no answer from the server within " + std::to_string(ack_timeout_.count()) + " s");
  }

  Status ProcessAck() ERPSYNC_EXCLUDES(mutex_) {
    ERPSYNC_ASSIGN_OR_RETURN(const v1::SyncResponse response, Next());
    if (!response.has_batch_ack()) return Unexpected("BatchAck", response);
    const v1::BatchAck& ack = response.batch_ack();
    auto [sequence, callback] = std::move(pending_.front());
    pending_.pop_front();
    if (ack.sequence() != sequence) {
      return InternalError("server acknowledged batch " + std::to_string(ack.sequence()) +
                           ", expected " + std::to_string(sequence));
    }
    return callback(BatchAckInfo{ack.sequence(), ack.inserted(), ack.updated(), ack.unchanged(),
                                 ack.deleted(), ack.kept()});
  }

  // The server's word that it cannot go on (it then ends the call): that
  // status, not the CANCELLED the call ends with.
  Status Failed(const v1::SyncFailed& failed) ERPSYNC_EXCLUDES(mutex_) {
    context_.TryCancel();
    (void)End();
    const int code = failed.code();
    const bool known = code > 0 && code <= static_cast<int>(StatusCode::kUnauthenticated);
    Status status(known ? static_cast<StatusCode>(code) : StatusCode::kInternal,
                  failed.message());
    return *explain_ ? (*explain_)(status) : status;
  }

  Status Unexpected(const char* wanted, const v1::SyncResponse& got) {
    context_.TryCancel();
    return InternalError(std::string("protocol error: expected ") + wanted + " from the server, got " +
                         got.ShortDebugString());
  }

  // The factory's, which outlives its sessions.
  const CallFailureExplainer* const explain_;
  const int window_;
  const std::chrono::seconds ack_timeout_;
  const uint32_t protocol_version_;
  const SyncLimits limits_;
  grpc::ClientContext context_;
  std::unique_ptr<grpc::ClientReaderWriter<v1::SyncRequest, v1::SyncResponse>> stream_;
  std::thread reader_;
  Mutex mutex_;
  CondVar ready_;
  // From the reader thread to the caller's.
  std::deque<v1::SyncResponse> responses_ ERPSYNC_GUARDED_BY(mutex_);
  bool read_done_ ERPSYNC_GUARDED_BY(mutex_) = false;
  // The caller's thread only, from here on.
  bool finished_ = false;
  Status final_status_;
  std::deque<std::pair<uint64_t, AckCallback>> pending_;
  std::string entity_id_;
  uint64_t sequence_ = 0;
  uint64_t bytes_sent_ = 0;
};

}  // namespace

GrpcSessionFactory::GrpcSessionFactory(std::shared_ptr<grpc::Channel> channel, std::string token,
                                       int window, std::chrono::seconds ack_timeout,
                                       CallFailureExplainer explain)
    : channel_(std::move(channel)),
      stub_(v1::AgentSync::NewStub(channel_)),
      token_(std::move(token)),
      window_(window),
      ack_timeout_(ack_timeout),
      explain_(std::move(explain)) {}

Result<AgentIdentity> GrpcSessionFactory::Hello(const std::string& hostname) {
  grpc::ClientContext context;
  AttachBearerToken(&context, token_);
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
  v1::HelloRequest request;
  request.set_agent_version(kErpsyncVersion);
  request.set_hostname(hostname);
  request.set_protocol_version(kSyncProtocolVersion);
  v1::HelloResponse response;
  const Status said = FromGrpcStatus(stub_->Hello(&context, request, &response));
  if (!said.ok()) return explain_ ? explain_(said) : said;
  return AgentIdentity{response.company(), response.connection(), response.server_version(),
                       response.server_time_unix(),
                       std::min(kSyncProtocolVersion, SyncProtocolOf(response.protocol_version())),
                       SyncLimitsFromProto(response.limits())};
}

Result<std::unique_ptr<SyncSession>> GrpcSessionFactory::Open(const SessionStart& start) {
  // The runner retries on its own schedule: connect now, not when the
  // channel's backoff says.
  ConnectNow(channel_.get(), std::chrono::seconds(2));
  if (!said_hello_) {
    char hostname[256] = {};
    ::gethostname(hostname, sizeof(hostname) - 1);
    ERPSYNC_ASSIGN_OR_RETURN(identity_, Hello(hostname));
    said_hello_ = true;
  }
  auto session =
      std::make_unique<GrpcSyncSession>(stub_.get(), token_, window_, ack_timeout_,
                                        identity_.protocol_version, identity_.limits, &explain_);
  ERPSYNC_RETURN_IF_ERROR(session->Start(start));
  return std::unique_ptr<SyncSession>(std::move(session));
}

}  // namespace erpsync::agent
