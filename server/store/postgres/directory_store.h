// PgDirectoryStore: the DirectoryStore of the PostgreSQL backend
// (server/store/directory_store.h says what each call does), over the
// PgDatabase it is given, which must outlive it. Stateless and thread-safe;
// several servers may use one database at once: every call is one
// transaction whose conflicts with other servers' are settled by the
// schema's unique constraints and row locks (see directory_store.cc).
// Token hashes live in erpsync_tokens; a principal and its token row are
// written together.
#ifndef ERPSYNC_SERVER_STORE_POSTGRES_DIRECTORY_STORE_H_
#define ERPSYNC_SERVER_STORE_POSTGRES_DIRECTORY_STORE_H_

#include "server/store/directory_store.h"
#include "server/store/postgres/pg_database.h"

namespace erpsync::server {

class PgDirectoryStore final : public DirectoryStore {
 public:
  explicit PgDirectoryStore(PgDatabase* database) : database_(database) {}

  Result<Company> AddCompany(const std::string& name) override;
  Result<Company> FindCompany(const std::string& name) override;
  Result<std::vector<Company>> ListCompanies() override;
  Result<Connection> EnsureConnection(int64_t company_id, const std::string& name) override;
  Result<Connection> FindConnection(int64_t company_id, const std::string& name) override;
  Result<Connection> GetConnection(int64_t connection_id) override;
  Result<std::vector<Connection>> ListConnections(int64_t company_id) override;
  Result<Connection> ResolveConnection(int64_t company_id, const std::string& company_name,
                                       const std::string& name) override;
  Result<int64_t> AddAgent(int64_t company_id, const std::string& connection_name,
                           const std::string& token_hash, const std::string& description) override;
  Result<int64_t> AddUser(int64_t company_id, const NewUser& user,
                          const std::string& token_hash) override;
  Result<Principal> FindPrincipal(const std::string& token_hash) override;
  Status TouchAgent(int64_t agent_id, const std::string& hostname,
                    const std::string& version) override;
  Status RevokeAgent(int64_t agent_id, const std::string& actor = "") override;
  Status RevokeUser(int64_t user_id, const std::string& actor = "") override;
  Result<std::vector<AgentInfo>> ListAgents(std::optional<int64_t> company_id) override;
  Result<std::vector<UserInfo>> ListUsers(std::optional<int64_t> company_id) override;
  Status RotateAgentToken(int64_t agent_id, const std::string& new_token_hash,
                          const std::string& actor) override;
  Result<UserInfo> UpdateUser(int64_t user_id, const UserChange& change,
                              const std::string& actor) override;
  Result<std::vector<AuditEntry>> ListAudit(std::optional<int64_t> company_id) override;

 private:
  PgDatabase* database_;
};

}  // namespace erpsync::server

#endif  // ERPSYNC_SERVER_STORE_POSTGRES_DIRECTORY_STORE_H_
