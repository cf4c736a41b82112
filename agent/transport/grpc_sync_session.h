// The SyncSession and SessionFactory over gRPC: one AgentSync.Sync stream
// per session on a shared channel. A reader thread queues the server's
// responses; the caller's thread writes requests, waits when its window of
// unacknowledged batches is full, and runs acknowledgement callbacks.
// A session is used from one thread; the factory is thread-compatible.
#ifndef ERPSYNC_AGENT_TRANSPORT_GRPC_SYNC_SESSION_H_
#define ERPSYNC_AGENT_TRANSPORT_GRPC_SYNC_SESSION_H_

#include <grpcpp/grpcpp.h>

#include <chrono>
#include <memory>
#include <string>

#include "agent/sync/sync_session.h"
#include "agent/transport/server_channel.h"
#include "common/status.h"
#include "erpsync/v1/sync.grpc.pb.h"

namespace erpsync::agent {

struct AgentIdentity {
  std::string company;
  std::string connection;
  std::string server_version;
  int64_t server_time_unix = 0;
  // The sync contract version both sides speak.
  uint32_t protocol_version = 1;
  // What the server takes.
  SyncLimits limits;
};

class GrpcSessionFactory : public SessionFactory {
 public:
  // The failures of calls on `channel` are given to `explain` (when not
  // empty) before they are returned.
  GrpcSessionFactory(std::shared_ptr<grpc::Channel> channel, std::string token, int window,
                     std::chrono::seconds ack_timeout, CallFailureExplainer explain = {});

  // Calls AgentSync.Hello: who the token belongs to. UNAUTHENTICATED,
  // PERMISSION_DENIED, UNAVAILABLE, DEADLINE_EXCEEDED (10 s); what `explain`
  // makes of a TLS failure (FAILED_PRECONDITION, origin kTls).
  Result<AgentIdentity> Hello(const std::string& hostname);

  // Opens a Sync stream and exchanges SyncStart/SyncStarted; the first
  // call says Hello first (so a refused token fails fast and clearly).
  Result<std::unique_ptr<SyncSession>> Open(const SessionStart& start) override;

  // Who the server said we are (after the first successful Open).
  const AgentIdentity& identity() const { return identity_; }

 private:
  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<v1::AgentSync::Stub> stub_;
  std::string token_;
  int window_;
  std::chrono::seconds ack_timeout_;
  CallFailureExplainer explain_;
  bool said_hello_ = false;
  AgentIdentity identity_;
};

}  // namespace erpsync::agent

#endif  // ERPSYNC_AGENT_TRANSPORT_GRPC_SYNC_SESSION_H_
