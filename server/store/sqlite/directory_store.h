// SqliteDirectoryStore: the DirectoryStore of the SQLite backend (server/store/directory_store.h
// says what each call does), over the Database it is given, which must
// outlive it. Stateless and thread-safe.
#ifndef ERPSYNC_SERVER_STORE_SQLITE_DIRECTORY_STORE_H_
#define ERPSYNC_SERVER_STORE_SQLITE_DIRECTORY_STORE_H_

#include "server/store/directory_store.h"
#include "server/store/sqlite/database.h"

namespace erpsync::server {

class SqliteDirectoryStore final : public DirectoryStore {
 public:
  explicit SqliteDirectoryStore(Database* database) : database_(database) {}

  Result<Company> AddCompany(const std::string& name) override;
  Result<Company> FindCompany(const std::string& name) override;
  Result<std::vector<Company>> ListCompanies() override;
  Result<Connection> EnsureConnection(int64_t company_id, const std::string& name) override;
  Result<Connection> FindConnection(int64_t company_id, const std::string& name) override;
  Result<Connection> GetConnection(int64_t connection_id) override;
  Result<std::vector<Connection>> ListConnections(int64_t company_id) override;
  Result<Connection> ResolveConnection(int64_t company_id, const std::string& company_name,
                                       const std::string& name) override;
  Result<int64_t> AddAgent(int64_t company_id, const std::string& connection,
                           const std::string& token_hash, const std::string& description) override;
  Result<int64_t> AddUser(int64_t company_id, const NewUser& user, const std::string& token_hash) override;
  Result<Principal> FindPrincipal(const std::string& token_hash) override;
  Status TouchAgent(int64_t agent_id, const std::string& hostname, const std::string& version) override;
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
  Database* database_;
};

}  // namespace erpsync::server

#endif  // ERPSYNC_SERVER_STORE_SQLITE_DIRECTORY_STORE_H_
