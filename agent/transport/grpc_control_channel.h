// GrpcControlChannel: the agent's persistent AgentControl.Connect stream
// over the same channel its syncs use (one outbound connection). A
// background thread keeps the stream open, reconnecting with backoff;
// commands from the server are handed to `on_command` on that thread. On
// every (re)connect the current status is sent first, then the events (sync
// and export outcomes) not yet delivered. Thread-safe.
#ifndef ERPSYNC_AGENT_TRANSPORT_GRPC_CONTROL_CHANNEL_H_
#define ERPSYNC_AGENT_TRANSPORT_GRPC_CONTROL_CHANNEL_H_

#include <grpcpp/grpcpp.h>

#include <deque>
#include <functional>
#include <memory>
#include <string>
#include <thread>

#include "agent/transport/server_channel.h"
#include "common/backoff.h"
#include "common/mutex.h"
#include "common/status.h"
#include "common/thread_annotations.h"
#include "erpsync/v1/agents.grpc.pb.h"

namespace erpsync::agent {

class GrpcControlChannel {
 public:
  using CommandHandler = std::function<void(const v1::ServerCommand&)>;
  using StatusSource = std::function<v1::AgentStatus()>;

  // A stream that fails is logged as `explain` (when not empty) explains
  // it (a TLS set-up that does not work, named; common/grpc/tls_failure.h).
  GrpcControlChannel(std::shared_ptr<grpc::Channel> channel, std::string token,
                     BackoffPolicy backoff, CommandHandler on_command, StatusSource status,
                     CallFailureExplainer explain = {});
  ~GrpcControlChannel();
  GrpcControlChannel(const GrpcControlChannel&) = delete;
  GrpcControlChannel& operator=(const GrpcControlChannel&) = delete;

  void Start();
  // Closes the stream and joins the thread.
  void Stop() ERPSYNC_EXCLUDES(mutex_);

  // Sends the current status now if connected (else on the next connect).
  void PublishStatus() ERPSYNC_EXCLUDES(mutex_);
  // Sends an event (a sync or export outcome); kept until delivered.
  void Publish(v1::AgentEvent event) ERPSYNC_EXCLUDES(mutex_);

  bool connected() const ERPSYNC_EXCLUDES(mutex_);

 private:
  void Loop() ERPSYNC_EXCLUDES(mutex_);
  // Writes what is pending; false when the stream broke.
  bool FlushLocked() ERPSYNC_REQUIRES(mutex_);

  const std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<v1::AgentControl::Stub> stub_;
  const std::string token_;
  const BackoffPolicy backoff_;
  const CommandHandler on_command_;
  const StatusSource status_;
  const CallFailureExplainer explain_;

  mutable Mutex mutex_;
  CondVar wake_;
  bool stopping_ ERPSYNC_GUARDED_BY(mutex_) = false;
  bool connected_ ERPSYNC_GUARDED_BY(mutex_) = false;
  bool status_pending_ ERPSYNC_GUARDED_BY(mutex_) = true;
  std::deque<v1::AgentEvent> events_ ERPSYNC_GUARDED_BY(mutex_);
  // The open stream's, set by Loop(); Loop() reads the stream unlocked (one
  // reader and one writer at a time are allowed).
  grpc::ClientContext* context_ ERPSYNC_GUARDED_BY(mutex_) = nullptr;
  grpc::ClientReaderWriter<v1::AgentEvent, v1::ServerCommand>* stream_ ERPSYNC_GUARDED_BY(mutex_) =
      nullptr;
  std::thread thread_;
};

}  // namespace erpsync::agent

#endif  // ERPSYNC_AGENT_TRANSPORT_GRPC_CONTROL_CHANNEL_H_
