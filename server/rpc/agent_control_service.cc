#include "server/rpc/agent_control_service.h"

#include <deque>
#include <memory>
#include <string_view>
#include <utility>
#include <vector>

#include "common/grpc/grpc_util.h"
#include "common/log.h"
#include "common/mutex.h"
#include "common/thread_annotations.h"
#include "server/sync/control_delivery.h"

namespace erpsync::server {
namespace {

using ControlReactorBase = grpc::ServerBidiReactor<v1::AgentEvent, v1::ServerCommand>;

// Ends a Connect at once (the token was refused).
class RefusedReactor final : public ControlReactorBase {
 public:
  explicit RefusedReactor(const Status& status) { Finish(ToGrpcStatus(status)); }
  void OnDone() override { delete this; }
};

// One agent's open control channel: the gRPC side of a ControlDelivery.
// Reads events for as long as the agent keeps the stream; writes the
// commands the delivery hands out, one at a time. Finish is deferred while
// a write is in flight. Kept alive by itself (self_) until OnDone, and by
// the hub for the length of a call, so a wake never meets a freed channel;
// its lock guards only the outbox and the stream's state (no I/O under it).
class ControlReactor final : public ControlReactorBase, public ControlSession {
 public:
  ControlReactor(AgentControlStore* store, AgentHub* hub, ApprovalQueues* exports,
                 RevocationWatch* watch, Principal agent)
      : hub_(hub), watch_(watch), agent_(agent), delivery_(store, exports, std::move(agent)) {}

  // `self` owns this reactor until OnDone. `token` is the one the channel
  // was opened with: the channel ends when it is revoked or rotated.
  void Begin(std::shared_ptr<ControlReactor> self, std::string_view token)
      ERPSYNC_EXCLUDES(mutex_) {
    self_ = std::move(self);
    if (watch_ != nullptr) {
      watch_id_ = watch_->Watch(token, [this]() ERPSYNC_EXCLUDES(mutex_) {
        MutexLock lock(mutex_);
        EndLocked(grpc::Status(grpc::StatusCode::UNAUTHENTICATED,
                               "the agent's token was revoked or rotated"));
      });
    }
    hub_->Register(agent_.id, agent_.connection_id, self_);
    StartRead(&event_);
    Wake();
  }

  void Wake() override ERPSYNC_EXCLUDES(mutex_) {
    {
      MutexLock lock(mutex_);
      if (ending_) return;
    }
    // The store work, with no lock held.
    std::vector<v1::ServerCommand> commands = delivery_.TakeNew();
    if (commands.empty()) return;
    MutexLock lock(mutex_);
    // Ending meanwhile: what was handed out is handed out again when the
    // agent reconnects.
    if (ending_) return;
    for (v1::ServerCommand& command : commands) outbox_.push_back(std::move(command));
    WriteNextLocked();
  }

  void End(bool replaced) override ERPSYNC_EXCLUDES(mutex_) {
    MutexLock lock(mutex_);
    EndLocked(replaced ? grpc::Status(grpc::StatusCode::ABORTED,
                                      "replaced by a newer connection of this agent")
                       : grpc::Status(grpc::StatusCode::UNAVAILABLE,
                                      "the server is shutting down; reconnect"));
  }

  void OnReadDone(bool ok) override ERPSYNC_EXCLUDES(mutex_) {
    if (!ok) {
      MutexLock lock(mutex_);
      EndLocked(grpc::Status::OK);
      return;
    }
    const bool more = delivery_.Handle(event_);
    StartRead(&event_);
    if (more) Wake();
  }

  void OnWriteDone(bool ok) override ERPSYNC_EXCLUDES(mutex_) {
    MutexLock lock(mutex_);
    writing_ = false;
    outbox_.pop_front();
    if (!ok) ending_ = true;
    if (ending_) {
      FinishLocked();
    } else {
      WriteNextLocked();
    }
  }

  void OnCancel() override ERPSYNC_EXCLUDES(mutex_) {
    MutexLock lock(mutex_);
    EndLocked(grpc::Status(grpc::StatusCode::CANCELLED, "cancelled"));
  }

  void OnDone() override {
    if (watch_ != nullptr) watch_->Unwatch(watch_id_);
    hub_->Unregister(agent_.id, this);
    // Last: may destroy this (or leave it to a wake still running).
    std::shared_ptr<ControlReactor> self = std::move(self_);
  }

 private:
  void WriteNextLocked() ERPSYNC_REQUIRES(mutex_) {
    if (writing_ || ending_ || outbox_.empty()) return;
    writing_ = true;
    // The delivery recorded each command as handed out before it reached
    // the outbox. A write that fails ends the stream; sent requests and
    // delivered, unanswered exports are handed out again when the agent
    // reconnects.
    StartWrite(&outbox_.front());
  }

  void EndLocked(grpc::Status status) ERPSYNC_REQUIRES(mutex_) {
    if (ending_ && finished_) return;
    if (!ending_) final_status_ = std::move(status);
    ending_ = true;
    if (!writing_) FinishLocked();
  }

  void FinishLocked() ERPSYNC_REQUIRES(mutex_) {
    if (finished_) return;
    finished_ = true;
    Finish(final_status_);
  }

  AgentHub* hub_;
  RevocationWatch* watch_;
  RevocationWatch::Id watch_id_ = 0;  // set in Begin
  const Principal agent_;
  ControlDelivery delivery_;
  std::shared_ptr<ControlReactor> self_;  // set in Begin, dropped in OnDone
  v1::AgentEvent event_;  // the read in flight: OnReadDone's thread only
  Mutex mutex_;
  std::deque<v1::ServerCommand> outbox_ ERPSYNC_GUARDED_BY(mutex_);
  bool writing_ ERPSYNC_GUARDED_BY(mutex_) = false;
  bool ending_ ERPSYNC_GUARDED_BY(mutex_) = false;
  bool finished_ ERPSYNC_GUARDED_BY(mutex_) = false;
  grpc::Status final_status_ ERPSYNC_GUARDED_BY(mutex_);
};


}  // namespace


grpc::ServerBidiReactor<v1::AgentEvent, v1::ServerCommand>* AgentControlService::Connect(
    grpc::CallbackServerContext* context) {
  Result<Principal> agent = auth_->AuthenticateAgent(BearerTokenOf(*context));
  if (!agent.ok()) return new RefusedReactor(agent.status());
  auto reactor = std::make_shared<ControlReactor>(store_, hub_, exports_, watch_, *agent);
  reactor->Begin(reactor, BearerTokenOf(*context));
  return reactor.get();
}

}  // namespace erpsync::server
