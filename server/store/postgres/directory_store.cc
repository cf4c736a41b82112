#include "server/store/postgres/directory_store.h"

namespace erpsync::server {

Result<Company> PgDirectoryStore::AddCompany(const std::string& /*name*/) {
  return UnimplementedError("PgDirectoryStore::AddCompany");
}

Result<Company> PgDirectoryStore::FindCompany(const std::string& /*name*/) {
  return UnimplementedError("PgDirectoryStore::FindCompany");
}

Result<std::vector<Company>> PgDirectoryStore::ListCompanies() {
  return UnimplementedError("PgDirectoryStore::ListCompanies");
}

Result<Connection> PgDirectoryStore::EnsureConnection(int64_t /*company_id*/, const std::string& /*name*/) {
  return UnimplementedError("PgDirectoryStore::EnsureConnection");
}

Result<Connection> PgDirectoryStore::FindConnection(int64_t /*company_id*/, const std::string& /*name*/) {
  return UnimplementedError("PgDirectoryStore::FindConnection");
}

Result<Connection> PgDirectoryStore::GetConnection(int64_t /*connection_id*/) {
  return UnimplementedError("PgDirectoryStore::GetConnection");
}

Result<std::vector<Connection>> PgDirectoryStore::ListConnections(int64_t /*company_id*/) {
  return UnimplementedError("PgDirectoryStore::ListConnections");
}

Result<Connection> PgDirectoryStore::ResolveConnection(int64_t /*company_id*/, const std::string& /*company_name*/, const std::string& /*name*/) {
  return UnimplementedError("PgDirectoryStore::ResolveConnection");
}

Result<int64_t> PgDirectoryStore::AddAgent(int64_t /*company_id*/, const std::string& /*connection*/, const std::string& /*token_hash*/, const std::string& /*description*/) {
  return UnimplementedError("PgDirectoryStore::AddAgent");
}

Result<int64_t> PgDirectoryStore::AddUser(int64_t /*company_id*/, const NewUser& /*user*/, const std::string& /*token_hash*/) {
  return UnimplementedError("PgDirectoryStore::AddUser");
}

Result<Principal> PgDirectoryStore::FindPrincipal(const std::string& /*token_hash*/) {
  return UnimplementedError("PgDirectoryStore::FindPrincipal");
}

Status PgDirectoryStore::TouchAgent(int64_t /*agent_id*/, const std::string& /*hostname*/, const std::string& /*version*/) {
  return UnimplementedError("PgDirectoryStore::TouchAgent");
}

Status PgDirectoryStore::RevokeAgent(int64_t /*agent_id*/, const std::string& /*actor*/) {
  return UnimplementedError("PgDirectoryStore::RevokeAgent");
}

Status PgDirectoryStore::RevokeUser(int64_t /*user_id*/, const std::string& /*actor*/) {
  return UnimplementedError("PgDirectoryStore::RevokeUser");
}

Result<std::vector<AgentInfo>> PgDirectoryStore::ListAgents(std::optional<int64_t> /*company_id*/) {
  return UnimplementedError("PgDirectoryStore::ListAgents");
}

Result<std::vector<UserInfo>> PgDirectoryStore::ListUsers(std::optional<int64_t> /*company_id*/) {
  return UnimplementedError("PgDirectoryStore::ListUsers");
}

Status PgDirectoryStore::RotateAgentToken(int64_t /*agent_id*/, const std::string& /*new_token_hash*/, const std::string& /*actor*/) {
  return UnimplementedError("PgDirectoryStore::RotateAgentToken");
}

Result<UserInfo> PgDirectoryStore::UpdateUser(int64_t /*user_id*/, const UserChange& /*change*/, const std::string& /*actor*/) {
  return UnimplementedError("PgDirectoryStore::UpdateUser");
}

Result<std::vector<AuditEntry>> PgDirectoryStore::ListAudit(std::optional<int64_t> /*company_id*/) {
  return UnimplementedError("PgDirectoryStore::ListAudit");
}

}  // namespace erpsync::server
