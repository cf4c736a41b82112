// DirectoryStore: companies, their ERP connections, agents and users, and
// the token hashes that identify them. Thread-safe.
#ifndef ERPSYNC_SERVER_STORE_DIRECTORY_STORE_H_
#define ERPSYNC_SERVER_STORE_DIRECTORY_STORE_H_

#include <optional>
#include <string>
#include <vector>

#include "common/status.h"
#include "server/store/database.h"
#include "server/store/store_types.h"

namespace erpsync::server {

struct NewUser {
  std::string name;   // unique within the company
  std::string email;  // may be empty
  ToolLevel level = ToolLevel::kReadOnly;
  bool can_push_to_accounting = false;
};

class DirectoryStore {
 public:
  explicit DirectoryStore(Database* database) : database_(database) {}

  // ALREADY_EXISTS when the name is taken; INVALID_ARGUMENT for an empty name
  // or one longer than 30 characters (Sage's company name limit).
  Result<Company> AddCompany(const std::string& name);
  // NOT_FOUND when there is no such company.
  Result<Company> FindCompany(const std::string& name);
  Result<std::vector<Company>> ListCompanies();

  // Creates the connection when it does not exist yet.
  Result<Connection> EnsureConnection(int64_t company_id, const std::string& name);
  // NOT_FOUND when missing.
  Result<Connection> FindConnection(int64_t company_id, const std::string& name);
  Result<std::vector<Connection>> ListConnections(int64_t company_id);

  // Registers an agent for (company, connection) with the SHA-256 hex of its
  // token. Returns the agent id. ALREADY_EXISTS for a duplicate token hash.
  Result<int64_t> AddAgent(int64_t company_id, const std::string& connection,
                           const std::string& token_hash, const std::string& description);
  // Returns the user id. ALREADY_EXISTS when the name is taken in the
  // company.
  Result<int64_t> AddUser(int64_t company_id, const NewUser& user, const std::string& token_hash);

  // The agent or user whose token hashes to `token_hash`; NOT_FOUND when none
  // (or revoked).
  Result<Principal> FindPrincipal(const std::string& token_hash);

  // Records that an agent was seen (hello), for status pages.
  Status TouchAgent(int64_t agent_id, const std::string& hostname, const std::string& version);

 private:
  Database* database_;
};

}  // namespace erpsync::server

#endif  // ERPSYNC_SERVER_STORE_DIRECTORY_STORE_H_
