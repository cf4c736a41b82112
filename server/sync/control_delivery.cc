#include "server/sync/control_delivery.h"

#include "common/log.h"

namespace erpsync::server {

std::vector<v1::ServerCommand> ControlDelivery::TakeNew() {
  bool first_look = false;
  {
    MutexLock lock(mutex_);
    first_look = !looked_for_exports_;
  }
  // Reads first, with no lock held.
  std::vector<v1::ServerCommand> found;
  Result<std::vector<SyncRequestRow>> open = store_->OpenSyncRequests(agent_.connection_id);
  if (open.ok()) {
    for (const SyncRequestRow& request : *open) {
      v1::ServerCommand command;
      v1::SyncNow* sync = command.mutable_sync_now();
      sync->set_request_id(request.id);
      for (const std::string& id : request.entity_ids) sync->add_entity_ids(id);
      sync->set_deep(request.deep);
      sync->set_since(request.since);
      sync->set_requested_by(request.requested_by);
      found.push_back(std::move(command));
    }
  } else {
    ERPSYNC_LOG(kWarning) << "control channel of agent " << agent_.id
                          << ": reading sync requests: " << open.status().ToString();
  }
  bool listed_exports = false;
  if (exports_ != nullptr) {
    Result<std::vector<v1::ExportItem>> pending =
        exports_->ListPendingExports(agent_.connection_id, first_look, kExportsPerTake);
    if (pending.ok()) {
      listed_exports = true;
      for (v1::ExportItem& item : *pending) {
        v1::ServerCommand command;
        *command.mutable_export_item() = std::move(item);
        found.push_back(std::move(command));
      }
    } else {
      ERPSYNC_LOG(kWarning) << "control channel of agent " << agent_.id
                            << ": listing exports: " << pending.status().ToString();
    }
  }
  // Then the claim: what no other take of this channel handed out.
  std::vector<v1::ServerCommand> taken;
  {
    MutexLock lock(mutex_);
    if (listed_exports) looked_for_exports_ = true;
    for (v1::ServerCommand& command : found) {
      const bool fresh =
          command.has_sync_now()
              ? requests_.insert(command.sync_now().request_id()).second
              : exports_handed_
                    .emplace(command.export_item().item_id(), command.export_item().version())
                    .second;
      if (fresh) taken.push_back(std::move(command));
    }
  }
  // Recorded before the channel writes them: the agent may act on a command
  // and answer before the write completes, and its answer must find the
  // command handed out. A channel that breaks first leaves them to be
  // handed out again when the agent reconnects.
  for (const v1::ServerCommand& command : taken) MarkHandedOut(command);
  return taken;
}

void ControlDelivery::MarkHandedOut(const v1::ServerCommand& command) {
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

bool ControlDelivery::Handle(const v1::AgentEvent& event) {
  Status status;
  bool more = false;
  switch (event.event_case()) {
    case v1::AgentEvent::kStatus:
      status = store_->PutAgentStatus(agent_.id, event.status().SerializeAsString());
      break;
    case v1::AgentEvent::kSyncResult: {
      const v1::SyncRequestResult& result = event.sync_result();
      status = store_->UpdateSyncRequest(
          agent_.connection_id, result.request_id(),
          result.ok() ? SyncRequestState::kDone : SyncRequestState::kFailed, result.message());
      break;
    }
    case v1::AgentEvent::kExportResult: {
      if (exports_ == nullptr) break;
      // A result that does not match the delivery is refused (logged
      // below) and changes nothing; the channel goes on.
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
      if (status.ok()) {
        ERPSYNC_LOG(kInfo) << "export of item " << result.item_id() << " version "
                           << result.version() << " by agent " << agent_.id << ": "
                           << (result.ok() ? "written into the ERP" : "failed: " + result.message());
      } else {
        status = status.WithContext("export result refused");
      }
      // More exports may wait behind the ones this agent was handed.
      more = true;
      break;
    }
    case v1::AgentEvent::EVENT_NOT_SET:
      break;
  }
  if (!status.ok()) {
    ERPSYNC_LOG(kWarning) << "control channel of agent " << agent_.id << ": " << status.ToString();
  }
  return more;
}

}  // namespace erpsync::server
