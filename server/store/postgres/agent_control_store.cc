#include "server/store/postgres/agent_control_store.h"

namespace erpsync::server {

Result<SyncRequestRow> PgAgentControlStore::AddSyncRequest(int64_t /*connection_id*/, const std::vector<std::string>& /*entity_ids*/, bool /*deep*/, const std::string& /*since*/, const std::string& /*requested_by*/) {
  return UnimplementedError("PgAgentControlStore::AddSyncRequest");
}

Result<std::vector<SyncRequestRow>> PgAgentControlStore::OpenSyncRequests(int64_t /*connection_id*/) {
  return UnimplementedError("PgAgentControlStore::OpenSyncRequests");
}

Result<SyncRequestRow> PgAgentControlStore::GetSyncRequest(int64_t /*company_id*/, const std::string& /*id*/) {
  return UnimplementedError("PgAgentControlStore::GetSyncRequest");
}

Status PgAgentControlStore::UpdateSyncRequest(int64_t /*connection_id*/, const std::string& /*id*/, SyncRequestState /*state*/, const std::string& /*message*/) {
  return UnimplementedError("PgAgentControlStore::UpdateSyncRequest");
}

Status PgAgentControlStore::PutAgentStatus(int64_t /*agent_id*/, const std::string& /*serialized_status*/) {
  return UnimplementedError("PgAgentControlStore::PutAgentStatus");
}

Result<std::vector<AgentRow>> PgAgentControlStore::ListAgents(int64_t /*company_id*/) {
  return UnimplementedError("PgAgentControlStore::ListAgents");
}

}  // namespace erpsync::server
