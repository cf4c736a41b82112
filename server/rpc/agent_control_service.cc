#include "server/rpc/agent_control_service.h"

#include <deque>
#include <set>

#include "common/civil_time.h"
#include "common/grpc/grpc_util.h"
#include "common/log.h"
#include "common/mutex.h"
#include "common/thread_annotations.h"

namespace erpsync::server {
namespace {

using ControlReactorBase = grpc::ServerBidiReactor<v1::AgentEvent, v1::ServerCommand>;

// Ends a Connect at once (the token was refused).
class RefusedReactor final : public ControlReactorBase {
 public:
  explicit RefusedReactor(const Status& status) { Finish(ToGrpcStatus(status)); }
  void OnDone() override { delete this; }
};

// Most exports handed to an agent per wake (the rest follow as it reports).
constexpr int kExportsPerWake = 100;

// One agent's open control channel. Reads events for as long as the agent
// keeps the stream; writes the connection's open sync requests and pending
// exports, one at a time. Finish is deferred while a write is in flight.
class ControlReactor final : public ControlReactorBase, public ControlSession {
 public:
  ControlReactor(AgentControlStore* store, AgentHub* hub, ApprovalQueues* exports,
                 RevocationWatch* watch, Principal agent)
      : store_(store), hub_(hub), exports_(exports), watch_(watch), agent_(std::move(agent)) {}

  // `token` is the one the channel was opened with: the channel ends when
  // it is revoked or rotated.
  void Begin(std::string_view token) ERPSYNC_EXCLUDES(mutex_) {
    if (watch_ != nullptr) {
      watch_id_ = watch_->Watch(token, [this]() ERPSYNC_EXCLUDES(mutex_) {
        MutexLock lock(mutex_);
        EndLocked(grpc::Status(grpc::StatusCode::UNAUTHENTICATED,
                               "the agent's token was revoked or rotated"));
      });
    }
    hub_->Register(agent_.id, agent_.connection_id, this);
    StartRead(&event_);
    Wake();
  }

  void Wake() override ERPSYNC_EXCLUDES(mutex_) {
    MutexLock lock(mutex_);
    if (ending_) return;
    Result<std::vector<SyncRequestRow>> open = store_->OpenSyncRequests(agent_.connection_id);
    if (!open.ok()) {
      ERPSYNC_LOG(kWarning) << "control channel of agent " << agent_.id
                            << ": reading sync requests: " << open.status().ToString();
      return;
    }
    for (const SyncRequestRow& request : *open) {
      if (!delivered_.insert(request.id).second) continue;
      v1::ServerCommand command;
      v1::SyncNow* sync = command.mutable_sync_now();
      sync->set_request_id(request.id);
      for (const std::string& id : request.entity_ids) sync->add_entity_ids(id);
      sync->set_deep(request.deep);
      sync->set_since(request.since);
      sync->set_requested_by(request.requested_by);
      outbox_.push_back(std::move(command));
    }
    QueueExportsLocked();
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
    Handle(event_);
    StartRead(&event_);
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
    delete this;
  }

 private:
  // Records that `command` is being handed to the agent (a request is
  // "sent", an export "delivered"; a redelivered export is already
  // delivered: fine).
  void MarkDelivered(const v1::ServerCommand& command) {
    Status marked;
    if (command.has_sync_now()) {
      marked = store_->UpdateSyncRequest(agent_.connection_id, command.sync_now().request_id(),
                                         SyncRequestState::kSent, "");
    } else if (command.has_export_item() && exports_ != nullptr) {
      marked = exports_->MarkExportDelivered(agent_.connection_id, command.export_item().item_id())
                   .status();
      if (marked.code() == StatusCode::kFailedPrecondition) marked = Status::Ok();
    }
    if (!marked.ok()) {
      ERPSYNC_LOG(kWarning) << "control channel of agent " << agent_.id << ": " << marked.ToString();
    }
  }

  // Queues the exports pending for the connection that this stream has not
  // sent yet; on the stream's first look also those delivered earlier and
  // never answered (the agent may have died holding them).
  void QueueExportsLocked() ERPSYNC_REQUIRES(mutex_) {
    if (exports_ == nullptr) return;
    Result<std::vector<v1::ExportItem>> pending =
        exports_->ListPendingExports(agent_.connection_id, !looked_for_exports_, kExportsPerWake);
    if (!pending.ok()) {
      ERPSYNC_LOG(kWarning) << "control channel of agent " << agent_.id
                            << ": listing exports: " << pending.status().ToString();
      return;
    }
    looked_for_exports_ = true;
    for (v1::ExportItem& item : *pending) {
      if (!delivered_exports_.emplace(item.item_id(), item.version()).second) continue;
      v1::ServerCommand command;
      *command.mutable_export_item() = std::move(item);
      outbox_.push_back(std::move(command));
    }
  }

  void Handle(const v1::AgentEvent& event) ERPSYNC_EXCLUDES(mutex_) {
    Status status;
    switch (event.event_case()) {
      case v1::AgentEvent::kStatus:
        status = store_->PutAgentStatus(agent_.id, event.status().SerializeAsString());
        break;
      case v1::AgentEvent::kSyncResult: {
        const v1::SyncRequestResult& result = event.sync_result();
        status = store_->UpdateSyncRequest(agent_.connection_id, result.request_id(),
                                           result.ok() ? SyncRequestState::kDone
                                                       : SyncRequestState::kFailed,
                                           result.message());
        break;
      }
      case v1::AgentEvent::kExportResult: {
        if (exports_ == nullptr) break;
        // A result that does not match the delivery is refused (logged
        // below) and changes nothing; the stream goes on.
        const v1::ExportResult& result = event.export_result();
        if (result.ok()) {
          status = exports_
                       ->CompleteExport(agent_.connection_id, result.item_id(), result.version(),
                                        {result.erp_keys().begin(), result.erp_keys().end()})
                       .status();
        } else {
          status = exports_
                       ->FailExport(agent_.connection_id, result.item_id(), result.version(),
                                    result.message())
                       .status();
        }
        if (!status.ok()) status = status.WithContext("export result refused");
        // More exports may wait behind the ones this agent was handed.
        Wake();
        break;
      }
      case v1::AgentEvent::EVENT_NOT_SET:
        break;
    }
    if (!status.ok()) {
      ERPSYNC_LOG(kWarning) << "control channel of agent " << agent_.id << ": " << status.ToString();
    }
  }

  void WriteNextLocked() ERPSYNC_REQUIRES(mutex_) {
    if (writing_ || ending_ || outbox_.empty()) return;
    writing_ = true;
    // Recorded before the write, not in OnWriteDone: the agent may act on a
    // command and answer (OnReadDone, another thread) before OnWriteDone
    // runs, and its answer must find the command delivered, not race with
    // the delivery mark. A write that fails ends the stream; sent requests
    // and delivered, unanswered exports are handed out again when the agent
    // reconnects.
    MarkDelivered(outbox_.front());
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

  AgentControlStore* store_;
  AgentHub* hub_;
  ApprovalQueues* exports_;
  RevocationWatch* watch_;
  RevocationWatch::Id watch_id_ = 0;  // set in Begin
  const Principal agent_;
  v1::AgentEvent event_;  // the read in flight: OnReadDone's thread only
  Mutex mutex_;
  std::deque<v1::ServerCommand> outbox_ ERPSYNC_GUARDED_BY(mutex_);
  std::set<std::string> delivered_ ERPSYNC_GUARDED_BY(mutex_);
  // (item id, version)
  std::set<std::pair<int64_t, int64_t>> delivered_exports_ ERPSYNC_GUARDED_BY(mutex_);
  bool looked_for_exports_ ERPSYNC_GUARDED_BY(mutex_) = false;
  bool writing_ ERPSYNC_GUARDED_BY(mutex_) = false;
  bool ending_ ERPSYNC_GUARDED_BY(mutex_) = false;
  bool finished_ ERPSYNC_GUARDED_BY(mutex_) = false;
  grpc::Status final_status_ ERPSYNC_GUARDED_BY(mutex_);
};

void FillState(const SyncRequestRow& row, v1::SyncRequestState* state) {
  state->set_request_id(row.id);
  state->set_state(std::string(SyncRequestStateName(row.state)));
  state->set_message(row.message);
  state->set_created_unix(row.created_unix);
  state->set_updated_unix(row.updated_unix);
}

}  // namespace

Status ValidateSyncSince(const std::string& since) {
  if (since.empty() || since == "beginning" || since == "today" || since == "week" ||
      since == "month" || since == "year") {
    return Status::Ok();
  }
  if (since.size() == 10 && ParseDate(since).ok()) return Status::Ok();
  return InvalidArgumentError("since: '" + since +
                              "' is not beginning, today, week, month, year or a date YYYY-MM-DD");
}

grpc::ServerBidiReactor<v1::AgentEvent, v1::ServerCommand>* AgentControlService::Connect(
    grpc::CallbackServerContext* context) {
  Result<Principal> agent = auth_->AuthenticateAgent(BearerTokenOf(*context));
  if (!agent.ok()) return new RefusedReactor(agent.status());
  auto* reactor = new ControlReactor(store_, hub_, exports_, watch_, *agent);
  reactor->Begin(BearerTokenOf(*context));
  return reactor;
}

grpc::Status AgentsService::ListAgents(grpc::ServerContext* context, const v1::ListAgentsRequest*,
                                       v1::ListAgentsResponse* response) {
  return GuardedHandler("ListAgents", [&]() -> Status {
    ERPSYNC_ASSIGN_OR_RETURN(const Principal user,
                             auth_->AuthenticateUser(BearerTokenOf(*context), ToolLevel::kReadOnly));
    ERPSYNC_ASSIGN_OR_RETURN(const std::vector<AgentRow> agents, store_->ListAgents(user.company_id));
    for (const AgentRow& row : agents) {
      v1::AgentSummary* agent = response->add_agents();
      agent->set_agent_id(row.agent_id);
      agent->set_connection(row.connection);
      agent->set_description(row.description);
      agent->set_connected(hub_->IsConnected(row.agent_id));
      agent->set_last_seen_unix(row.last_seen_unix);
      if (!row.status.empty() && !agent->mutable_status()->ParseFromString(row.status)) {
        return InternalError("the stored status of agent " + std::to_string(row.agent_id) +
                             " is corrupt");
      }
      agent->set_status_unix(row.status_unix);
    }
    return Status::Ok();
  });
}

grpc::Status AgentsService::RequestSync(grpc::ServerContext* context,
                                        const v1::RequestSyncRequest* request,
                                        v1::SyncRequestState* response) {
  return GuardedHandler("RequestSync", [&]() -> Status {
    ERPSYNC_ASSIGN_OR_RETURN(const Principal user,
                             auth_->AuthenticateUser(BearerTokenOf(*context), ToolLevel::kStandard));
    ERPSYNC_RETURN_IF_ERROR(ValidateSyncSince(request->since()));
    if (!request->deep() && !request->since().empty()) {
      return InvalidArgumentError("since applies to deep syncs only");
    }
    for (const std::string& id : request->entity_ids()) {
      if (id.empty()) return InvalidArgumentError("entity_ids: empty id");
    }
    ERPSYNC_ASSIGN_OR_RETURN(const Connection connection,
                             directory_->ResolveConnection(user.company_id, user.company_name,
                                                           request->connection()));
    ERPSYNC_ASSIGN_OR_RETURN(
        const SyncRequestRow row,
        store_->AddSyncRequest(connection.id, {request->entity_ids().begin(), request->entity_ids().end()},
                               request->deep(), request->since(), user.user_name));
    hub_->WakeConnection(connection.id);
    FillState(row, response);
    return Status::Ok();
  });
}

grpc::Status AgentsService::GetSyncRequest(grpc::ServerContext* context,
                                           const v1::GetSyncRequestRequest* request,
                                           v1::SyncRequestState* response) {
  return GuardedHandler("GetSyncRequest", [&]() -> Status {
    ERPSYNC_ASSIGN_OR_RETURN(const Principal user,
                             auth_->AuthenticateUser(BearerTokenOf(*context), ToolLevel::kReadOnly));
    ERPSYNC_ASSIGN_OR_RETURN(const SyncRequestRow row,
                             store_->GetSyncRequest(user.company_id, request->request_id()));
    FillState(row, response);
    return Status::Ok();
  });
}

}  // namespace erpsync::server
