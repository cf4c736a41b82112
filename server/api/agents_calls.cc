#include "server/api/agents_calls.h"

#include "common/civil_time.h"
#include "server/approval/permissions.h"

namespace erpsync::server {
namespace {

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

AgentsCalls::AgentsCalls(DirectoryStore* directory, AgentControlStore* store, AgentHub* hub)
    : directory_(directory), store_(store), hub_(hub) {
  methods_ = {
      BindApiMethod("ListAgents", ToolLevel::kReadOnly, this, &AgentsCalls::ListAgents),
      // Any level: the approver privilege is checked in the call.
      BindApiMethod("RequestSync", ToolLevel::kNone, this, &AgentsCalls::RequestSync),
      BindApiMethod("GetSyncRequest", ToolLevel::kReadOnly, this, &AgentsCalls::GetSyncRequest),
  };
}

Status AgentsCalls::ListAgents(const Principal& user, const v1::ListAgentsRequest& /*request*/,
                               v1::ListAgentsResponse* out) {
  ERPSYNC_ASSIGN_OR_RETURN(const std::vector<AgentRow> agents, store_->ListAgents(user.company_id));
  for (const AgentRow& row : agents) {
    v1::AgentSummary* agent = out->add_agents();
    agent->set_agent_id(row.agent_id);
    agent->set_connection(row.connection);
    agent->set_description(row.description);
    // Here, or through another server of the store.
    agent->set_connected(hub_->IsConnected(row.agent_id) || row.channel_held);
    agent->set_last_seen_unix(row.last_seen_unix);
    if (!row.status.empty() && !agent->mutable_status()->ParseFromString(row.status)) {
      return InternalError("the stored status of agent " + std::to_string(row.agent_id) +
                           " is corrupt");
    }
    agent->set_status_unix(row.status_unix);
  }
  return Status::Ok();
}

Status AgentsCalls::RequestSync(const Principal& user, const v1::RequestSyncRequest& request,
                                v1::SyncRequestState* out) {
  ERPSYNC_RETURN_IF_ERROR(RequirePermission(user, Permission::kApprove,
                                            "requesting a sync (the Sync and Refresh buttons)"));
  ERPSYNC_RETURN_IF_ERROR(ValidateSyncSince(request.since()));
  if (!request.deep() && !request.since().empty()) {
    return InvalidArgumentError("since applies to deep syncs only");
  }
  for (const std::string& id : request.entity_ids()) {
    if (id.empty()) return InvalidArgumentError("entity_ids: empty id");
  }
  ERPSYNC_ASSIGN_OR_RETURN(
      const Connection connection,
      directory_->ResolveConnection(user.company_id, user.company_name, request.connection()));
  ERPSYNC_ASSIGN_OR_RETURN(
      const SyncRequestRow row,
      store_->AddSyncRequest(connection.id,
                             {request.entity_ids().begin(), request.entity_ids().end()},
                             request.deep(), request.since(), user.user_name));
  hub_->WakeConnection(connection.id);
  FillState(row, out);
  return Status::Ok();
}

Status AgentsCalls::GetSyncRequest(const Principal& user, const v1::GetSyncRequestRequest& request,
                                   v1::SyncRequestState* out) {
  ERPSYNC_ASSIGN_OR_RETURN(const SyncRequestRow row,
                           store_->GetSyncRequest(user.company_id, request.request_id()));
  FillState(row, out);
  return Status::Ok();
}

}  // namespace erpsync::server
