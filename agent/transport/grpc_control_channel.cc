#include "agent/transport/grpc_control_channel.h"

#include "common/grpc/grpc_util.h"
#include "common/log.h"

namespace erpsync::agent {

GrpcControlChannel::GrpcControlChannel(std::shared_ptr<grpc::Channel> channel, std::string token,
                                       BackoffPolicy backoff, CommandHandler on_command,
                                       StatusSource status, CallFailureExplainer explain)
    : channel_(channel),
      stub_(v1::AgentControl::NewStub(channel)),
      token_(std::move(token)),
      backoff_(backoff),
      on_command_(std::move(on_command)),
      status_(std::move(status)),
      explain_(std::move(explain)) {}

GrpcControlChannel::~GrpcControlChannel() { Stop(); }

void GrpcControlChannel::Start() { thread_ = std::thread([this] { Loop(); }); }

void GrpcControlChannel::Stop() {
  {
    MutexLock lock(mutex_);
    stopping_ = true;
    if (context_ != nullptr) context_->TryCancel();
    wake_.NotifyAll();
  }
  if (thread_.joinable()) thread_.join();
}

bool GrpcControlChannel::connected() const {
  MutexLock lock(mutex_);
  return connected_;
}

void GrpcControlChannel::PublishStatus() {
  MutexLock lock(mutex_);
  status_pending_ = true;
  if (connected_) FlushLocked();
}

void GrpcControlChannel::Publish(v1::AgentEvent event) {
  MutexLock lock(mutex_);
  events_.push_back(std::move(event));
  if (connected_) FlushLocked();
}

bool GrpcControlChannel::FlushLocked() {
  if (status_pending_) {
    v1::AgentEvent event;
    *event.mutable_status() = status_();
    if (!stream_->Write(event)) return false;
    status_pending_ = false;
  }
  while (!events_.empty()) {
    if (!stream_->Write(events_.front())) return false;
    events_.pop_front();
  }
  return true;
}

void GrpcControlChannel::Loop() {
  Backoff backoff(backoff_);
  while (true) {
    grpc::ClientContext context;
    AttachBearerToken(&context, token_);
    std::unique_ptr<grpc::ClientReaderWriter<v1::AgentEvent, v1::ServerCommand>> stream;
    // This loop's backoff decides when to connect, not the channel's.
    ConnectNow(channel_.get(), std::chrono::seconds(2));
    {
      MutexLock lock(mutex_);
      if (stopping_) return;
      stream = stub_->Connect(&context);
      context_ = &context;
      stream_ = stream.get();
      status_pending_ = true;
      connected_ = FlushLocked();
    }
    const auto opened = std::chrono::steady_clock::now();
    v1::ServerCommand command;
    while (connected() && stream->Read(&command)) on_command_(command);
    // A connection that held for a while was healthy: start backing off
    // from the beginning again.
    if (std::chrono::steady_clock::now() - opened > std::chrono::seconds(30)) backoff.Reset();
    Status status;
    {
      MutexLock lock(mutex_);
      connected_ = false;
      context_->TryCancel();
    }
    status = FromGrpcStatus(stream->Finish());
    if (!status.ok() && explain_) status = explain_(status);
    {
      MutexLock lock(mutex_);
      context_ = nullptr;
      stream_ = nullptr;
      if (stopping_) return;
    }
    const std::chrono::milliseconds delay = backoff.NextDelay();
    if (status.origin() == ErrorOrigin::kTls) {
      ERPSYNC_LOG(kError) << "control channel: " << status.message() << "; trying again in "
                          << delay.count() << " ms";
    } else {
      ERPSYNC_LOG(kWarning) << "control channel closed (" << status.ToString()
                            << "); reconnecting in " << delay.count() << " ms";
    }
    MutexLock lock(mutex_);
    wake_.WaitFor(mutex_, delay, [this]() ERPSYNC_REQUIRES(mutex_) { return stopping_; });
    if (stopping_) return;
  }
}

}  // namespace erpsync::agent
