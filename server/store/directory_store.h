// DirectoryStore: companies, their ERP connections, agents and users, and
// the token hashes that identify them. A stateless view of the Database it
// is given (which must outlive it); thread-safe. Every call may also return
// INTERNAL (or UNAVAILABLE when the file is locked) for store failures.
#ifndef ERPSYNC_SERVER_STORE_DIRECTORY_STORE_H_
#define ERPSYNC_SERVER_STORE_DIRECTORY_STORE_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/status.h"
#include "server/store/store_types.h"

namespace erpsync::server {

struct NewUser {
  std::string name;   // unique within the company
  std::string email;  // may be empty
  ToolLevel level = ToolLevel::kReadOnly;
  bool can_push_to_accounting = false;
};

// An agent as the admin commands list it.
struct AgentInfo {
  int64_t id = 0;
  int64_t company_id = 0;
  std::string company_name;
  std::string connection_name;
  std::string description;
  int64_t created_unix = 0;
  int64_t last_seen_unix = 0;  // last hello; 0: never
  std::string hostname;        // from the last hello
  std::string version;         // from the last hello
  bool revoked = false;
};

// A user as the admin commands list it.
struct UserInfo {
  int64_t id = 0;
  int64_t company_id = 0;
  std::string company_name;
  std::string name;
  std::string email;
  ToolLevel level = ToolLevel::kNone;
  bool can_push_to_accounting = false;
  int64_t created_unix = 0;
  bool revoked = false;
};

// What `user set` changes; an empty member stays as it is.
struct UserChange {
  std::optional<ToolLevel> level;
  std::optional<bool> can_push_to_accounting;
};

// One row of the admin audit (see migrations.cc, version 6).
struct AuditEntry {
  int64_t id = 0;
  int64_t at_unix = 0;
  std::string actor;
  std::string action;       // "agent revoke", "agent rotate", "user set", "user revoke"
  std::string target_kind;  // "agent" or "user"
  int64_t target_id = 0;
  int64_t company_id = 0;
  std::string company_name;
  std::string old_value;
  std::string new_value;
};

// The admin commands' spelling of a level: "none", "read-only", "standard",
// "admin".
std::string_view ToolLevelKeyword(ToolLevel level);

class DirectoryStore {
 public:
  virtual ~DirectoryStore() = default;

  // Adds a company. ALREADY_EXISTS when the name is taken; INVALID_ARGUMENT
  // for an empty name or one longer than 30 characters (Sage's company name
  // limit; characters, not bytes).
  virtual Result<Company> AddCompany(const std::string& name) = 0;
  // NOT_FOUND when there is no such company.
  virtual Result<Company> FindCompany(const std::string& name) = 0;
  // Every company, by name.
  virtual Result<std::vector<Company>> ListCompanies() = 0;

  // The connection `name` of the company, created when it does not exist
  // yet. NOT_FOUND for an unknown company; INVALID_ARGUMENT for an empty name
  // or one longer than 64 characters.
  virtual Result<Connection> EnsureConnection(int64_t company_id, const std::string& name) = 0;
  // NOT_FOUND when missing.
  virtual Result<Connection> FindConnection(int64_t company_id, const std::string& name) = 0;
  // The connection with id `connection_id` (an agent's). NOT_FOUND when
  // missing.
  virtual Result<Connection> GetConnection(int64_t connection_id) = 0;
  // The company's connections, by name. NOT_FOUND for an unknown company.
  virtual Result<std::vector<Connection>> ListConnections(int64_t company_id) = 0;
  // The connection a request of the company is about: the one named `name`,
  // or the company's only one when `name` is empty. NOT_FOUND for an unknown
  // name; FAILED_PRECONDITION when the company has no connection yet;
  // INVALID_ARGUMENT when no name is given and it has several.
  // `company_name` is for messages.
  virtual Result<Connection> ResolveConnection(int64_t company_id, const std::string& company_name,
                                       const std::string& name) = 0;

  // Registers an agent for (company, connection) with the SHA-256 hex of its
  // token, creating the connection when missing. Returns the agent id.
  // ALREADY_EXISTS when an agent or user already has that token hash;
  // NOT_FOUND for an unknown company; INVALID_ARGUMENT when `token_hash` is
  // not 64 lower-case hex digits or the connection name is invalid.
  virtual Result<int64_t> AddAgent(int64_t company_id, const std::string& connection,
                           const std::string& token_hash, const std::string& description) = 0;
  // Returns the user id. ALREADY_EXISTS when the name is taken in the
  // company (revoked users included) or an agent or user already has the
  // token hash; NOT_FOUND for an unknown company; INVALID_ARGUMENT for an
  // empty name or one longer than 128 characters, a level outside ToolLevel
  // or a malformed token hash.
  virtual Result<int64_t> AddUser(int64_t company_id, const NewUser& user, const std::string& token_hash) = 0;

  // The agent or user whose token hashes to `token_hash`; NOT_FOUND when none
  // (or revoked).
  virtual Result<Principal> FindPrincipal(const std::string& token_hash) = 0;

  // Records that an agent was seen (hello), for status pages: sets its last
  // seen time to now, its hostname and version. NOT_FOUND for an unknown
  // agent id.
  virtual Status TouchAgent(int64_t agent_id, const std::string& hostname, const std::string& version) = 0;

  // Revokes an agent's or user's token: FindPrincipal no longer finds it, and
  // the hash stays taken. OK when already revoked (and then not audited
  // again); NOT_FOUND for an unknown id. Audited as done by `actor`.
  virtual Status RevokeAgent(int64_t agent_id, const std::string& actor = "") = 0;
  virtual Status RevokeUser(int64_t user_id, const std::string& actor = "") = 0;

  // The agents (of `company_id` when given), by id, revoked ones included.
  virtual Result<std::vector<AgentInfo>> ListAgents(std::optional<int64_t> company_id) = 0;
  // The users (of `company_id` when given), by id, revoked ones included.
  virtual Result<std::vector<UserInfo>> ListUsers(std::optional<int64_t> company_id) = 0;

  // Replaces the agent's token hash with `new_token_hash`: the old token is
  // no longer found, the new one is. Audited as done by `actor`. NOT_FOUND
  // for an unknown id; FAILED_PRECONDITION for a revoked agent;
  // ALREADY_EXISTS when an agent or user has the new hash; INVALID_ARGUMENT
  // for a malformed hash.
  virtual Status RotateAgentToken(int64_t agent_id, const std::string& new_token_hash,
                          const std::string& actor) = 0;
  // Applies `change` to the user and returns the user as changed. Audited
  // as done by `actor` when something changed. NOT_FOUND for an unknown id;
  // FAILED_PRECONDITION for a revoked user; INVALID_ARGUMENT when `change`
  // changes nothing or names a level outside ToolLevel.
  virtual Result<UserInfo> UpdateUser(int64_t user_id, const UserChange& change,
                              const std::string& actor) = 0;

  // The admin audit (of `company_id` when given), oldest first.
  virtual Result<std::vector<AuditEntry>> ListAudit(std::optional<int64_t> company_id) = 0;
};

}  // namespace erpsync::server

#endif  // ERPSYNC_SERVER_STORE_DIRECTORY_STORE_H_
