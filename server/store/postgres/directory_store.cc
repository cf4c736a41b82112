#include "server/store/postgres/directory_store.h"

#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "server/store/directory_rules.h"

namespace erpsync::server {
namespace {

namespace rules = store_internal;

constexpr std::string_view kAgentInfoQuery =
    "SELECT a.id, a.company_id, c.name, n.name, a.description, a.created_unix, a.last_seen_unix, "
    "a.hostname, a.version, a.revoked FROM agents a JOIN companies c ON c.id = a.company_id "
    "JOIN connections n ON n.company_id = a.company_id AND n.id = a.connection_id ";
constexpr std::string_view kUserInfoQuery =
    "SELECT u.id, u.company_id, c.name, u.name, u.email, u.level, u.can_push, u.created_unix, "
    "u.revoked FROM users u JOIN companies c ON c.id = u.company_id ";
// The principal a token names (company, id), unless revoked.
constexpr std::string_view kAgentPrincipalQuery =
    "SELECT c.name, a.connection_id, n.name FROM agents a "
    "JOIN companies c ON c.id = a.company_id "
    "JOIN connections n ON n.company_id = a.company_id AND n.id = a.connection_id "
    "WHERE a.company_id = $1 AND a.id = $2 AND NOT a.revoked";
constexpr std::string_view kUserPrincipalQuery =
    "SELECT c.name, u.name, u.email, u.level, u.can_push FROM users u "
    "JOIN companies c ON c.id = u.company_id "
    "WHERE u.company_id = $1 AND u.id = $2 AND NOT u.revoked";
constexpr std::string_view kAuditQuery =
    "SELECT a.id, a.at_unix, a.actor, a.action, a.target_kind, a.target_id, a.company_id, c.name, "
    "a.old_value, a.new_value FROM admin_audit a JOIN companies c ON c.id = a.company_id ";

std::string TextAt(const PgResult& rows, int row, int column) {
  return std::string(rows.Text(row, column));
}

Company CompanyAt(const PgResult& rows, int row) {
  return Company{rows.Int(row, 0), TextAt(rows, row, 1), rows.Int(row, 2)};
}

Connection ConnectionAt(const PgResult& rows, int row) {
  return Connection{rows.Int(row, 0), rows.Int(row, 1), TextAt(rows, row, 2)};
}

// A row of kUserInfoQuery.
UserInfo UserInfoAt(const PgResult& rows, int row) {
  return UserInfo{
      rows.Int(row, 0),     rows.Int(row, 1),     TextAt(rows, row, 2),
      TextAt(rows, row, 3), TextAt(rows, row, 4), static_cast<ToolLevel>(rows.Int(row, 5)),
      rows.Bool(row, 6),    rows.Int(row, 7),     rows.Bool(row, 8)};
}

// A row of kAgentInfoQuery.
AgentInfo AgentInfoAt(const PgResult& rows, int row) {
  return AgentInfo{rows.Int(row, 0),     rows.Int(row, 1),     TextAt(rows, row, 2),
                   TextAt(rows, row, 3), TextAt(rows, row, 4), rows.Int(row, 5),
                   rows.Int(row, 6),     TextAt(rows, row, 7), TextAt(rows, row, 8),
                   rows.Bool(row, 9)};
}

// A row of kAuditQuery.
AuditEntry AuditEntryAt(const PgResult& rows, int row) {
  return AuditEntry{rows.Int(row, 0),     rows.Int(row, 1),     TextAt(rows, row, 2),
                    TextAt(rows, row, 3), TextAt(rows, row, 4), rows.Int(row, 5),
                    rows.Int(row, 6),     TextAt(rows, row, 7), TextAt(rows, row, 8),
                    TextAt(rows, row, 9)};
}

// The rows of `query` (kAgentInfoQuery, kUserInfoQuery or kAuditQuery, whose
// main table is `alias`) of the company when given, of every company
// otherwise, by id, read with `row_at`.
template <typename Row>
Result<std::vector<Row>> ListByCompany(PgDatabase& database, const std::string& what,
                                       std::string_view query, std::string_view alias,
                                       std::optional<int64_t> company_id,
                                       Row (*row_at)(const PgResult&, int)) {
  const std::string a(alias);
  return database.Read(what, [&](PgConnection& connection) -> Result<std::vector<Row>> {
    Result<PgResult> listed =
        company_id ? connection.Exec(what,
                                     std::string(query) + "WHERE " + a + ".company_id = $1 " +
                                         "ORDER BY " + a + ".id",
                                     {*company_id})
                   : connection.Exec(what, std::string(query) + "ORDER BY " + a + ".id");
    ERPSYNC_ASSIGN_OR_RETURN(const PgResult rows, std::move(listed));
    std::vector<Row> listed_rows;
    listed_rows.reserve(static_cast<size_t>(rows.rows()));
    for (int row = 0; row < rows.rows(); ++row) listed_rows.push_back(row_at(rows, row));
    return listed_rows;
  });
}

// NOT_FOUND unless the company exists.
Status CheckCompanyExists(PgConnection& connection, std::string_view what, int64_t company_id) {
  ERPSYNC_ASSIGN_OR_RETURN(
      const PgResult row,
      connection.Exec(what, "SELECT 1 FROM companies WHERE id = $1", {company_id}));
  if (row.rows() == 0) return rules::CompanyNotFoundError(company_id);
  return Status::Ok();
}

Result<std::optional<Connection>> FindConnectionRow(PgConnection& connection, std::string_view what,
                                                    int64_t company_id, const std::string& name) {
  ERPSYNC_ASSIGN_OR_RETURN(const PgResult row,
                           connection.Exec(what,
                                           "SELECT id, company_id, name FROM connections "
                                           "WHERE company_id = $1 AND name = $2",
                                           {company_id, name}));
  if (row.rows() == 0) return std::optional<Connection>();
  return std::optional<Connection>(ConnectionAt(row, 0));
}

// The connection, inserted when missing. The company must exist. Safe when
// other servers ensure the same connection at once: one insert wins (the
// others wait for it on the unique constraint and insert nothing), then
// every caller reads the row that won. Looked up first, so that an
// existing connection costs no identity value.
Result<Connection> EnsureConnectionRow(PgConnection& connection, std::string_view what,
                                       int64_t company_id, const std::string& name, int64_t now) {
  ERPSYNC_ASSIGN_OR_RETURN(std::optional<Connection> found,
                           FindConnectionRow(connection, what, company_id, name));
  if (found) return std::move(*found);
  ERPSYNC_ASSIGN_OR_RETURN(
      const PgResult inserted,
      connection.Exec(what,
                      "INSERT INTO connections (company_id, name, created_unix) "
                      "VALUES ($1, $2, $3) ON CONFLICT (company_id, name) DO NOTHING RETURNING id",
                      {company_id, name, now}));
  if (inserted.rows() == 1) return Connection{inserted.Int(0, 0), company_id, name};
  // Another transaction inserted it and committed (READ COMMITTED: this
  // statement sees it).
  ERPSYNC_ASSIGN_OR_RETURN(found, FindConnectionRow(connection, what, company_id, name));
  if (!found) return AbortedError(std::string(what) + ": the connection vanished meanwhile");
  return std::move(*found);
}

// Takes `token_hash` for principal `id` of `kind` ("agent" or "user"), in
// the transaction that adds the principal. ALREADY_EXISTS when an agent or
// user has the hash (also when another server takes it at the same time:
// the insert waits for that transaction and then finds the conflict).
Status InsertToken(PgConnection& connection, std::string_view what, const std::string& token_hash,
                   int64_t company_id, std::string_view kind, int64_t id) {
  ERPSYNC_ASSIGN_OR_RETURN(
      const PgResult inserted,
      connection.Exec(what,
                      "INSERT INTO erpsync_tokens (token_hash, company_id, kind, principal_id) "
                      "VALUES ($1, $2, $3, $4) ON CONFLICT (token_hash) DO NOTHING",
                      {token_hash, company_id, kind, id}));
  if (inserted.affected() == 0) return rules::TokenHashTakenError();
  return Status::Ok();
}

Status InsertAudit(PgConnection& connection, std::string_view what, int64_t now,
                   const std::string& actor, const rules::AuditRow& row) {
  return connection
      .Exec(what,
            "INSERT INTO admin_audit (company_id, at_unix, actor, action, target_kind, target_id, "
            "old_value, new_value) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
            {row.company_id, now, actor, row.action, row.target_kind, row.target_id, row.old_value,
             row.new_value})
      .status();
}

// PgDatabase::Write for work that yields no value.
Status WriteWork(PgDatabase& database, const std::string& what,
                 const std::function<Status(PgConnection&)>& work) {
  return database
      .Write(what,
             [&](PgConnection& connection) -> Result<bool> {
               ERPSYNC_RETURN_IF_ERROR(work(connection));
               return true;
             })
      .status();
}

// The company of agent or user `id` ("agent" or "user"): NOT_FOUND "<kind>
// <id> does not exist" when there is none.
Result<int64_t> CompanyOfPrincipal(PgDatabase& database, PgConnection& connection,
                                   std::string_view kind, int64_t id) {
  return database.CompanyOf(connection,
                            kind == "agent" ? PgCompanyTable::kAgents : PgCompanyTable::kUsers, id);
}

// Revokes agent or user `id`, auditing the change. The update that flips
// the flag decides: of two servers revoking at once, one changes the row
// (and audits), the other waits for it and then changes nothing.
Status RevokePrincipal(PgDatabase& database, std::string_view kind, int64_t id,
                       const std::string& actor) {
  const std::string what = "revoking " + std::string(kind) + " " + std::to_string(id);
  return WriteWork(database, what, [&](PgConnection& connection) -> Status {
    ERPSYNC_ASSIGN_OR_RETURN(const int64_t company_id,
                             CompanyOfPrincipal(database, connection, kind, id));
    ERPSYNC_ASSIGN_OR_RETURN(
        const PgResult revoked,
        connection.Exec(what,
                        kind == "agent" ? "UPDATE agents SET revoked = TRUE "
                                          "WHERE company_id = $1 AND id = $2 AND NOT revoked"
                                        : "UPDATE users SET revoked = TRUE "
                                          "WHERE company_id = $1 AND id = $2 AND NOT revoked",
                        {company_id, id}));
    if (revoked.affected() == 0) return Status::Ok();  // already revoked
    return InsertAudit(connection, what, database.NowUnix(), actor,
                       rules::AuditRow{std::string(kind) + " revoke", std::string(kind), id,
                                       company_id, "active", "revoked"});
  });
}

}  // namespace

Result<Company> PgDirectoryStore::AddCompany(const std::string& name) {
  ERPSYNC_RETURN_IF_ERROR(rules::CheckName("company", name, rules::kMaxCompanyNameChars));
  const std::string what = "adding company '" + name + "'";
  return database_->Write(what, [&](PgConnection& connection) -> Result<Company> {
    const int64_t now = database_->NowUnix();
    // Of two servers adding the name at once, the second waits for the
    // first and then inserts nothing.
    ERPSYNC_ASSIGN_OR_RETURN(
        const PgResult inserted,
        connection.Exec(what,
                        "INSERT INTO companies (name, created_unix) VALUES ($1, $2) "
                        "ON CONFLICT (name) DO NOTHING RETURNING id",
                        {name, now}));
    if (inserted.rows() == 0) return AlreadyExistsError("company '" + name + "' already exists");
    return Company{inserted.Int(0, 0), name, now};
  });
}

Result<Company> PgDirectoryStore::FindCompany(const std::string& name) {
  const std::string what = "finding company '" + name + "'";
  return database_->Read(what, [&](PgConnection& connection) -> Result<Company> {
    ERPSYNC_ASSIGN_OR_RETURN(
        const PgResult row,
        connection.Exec(what, "SELECT id, name, created_unix FROM companies WHERE name = $1",
                        {name}));
    if (row.rows() == 0) return NotFoundError("company '" + name + "' does not exist");
    return CompanyAt(row, 0);
  });
}

Result<std::vector<Company>> PgDirectoryStore::ListCompanies() {
  const std::string what = "listing companies";
  return database_->Read(what, [&](PgConnection& connection) -> Result<std::vector<Company>> {
    ERPSYNC_ASSIGN_OR_RETURN(
        const PgResult rows,
        connection.Exec(what, "SELECT id, name, created_unix FROM companies ORDER BY name"));
    std::vector<Company> companies;
    companies.reserve(static_cast<size_t>(rows.rows()));
    for (int row = 0; row < rows.rows(); ++row) companies.push_back(CompanyAt(rows, row));
    return companies;
  });
}

Result<Connection> PgDirectoryStore::EnsureConnection(int64_t company_id, const std::string& name) {
  ERPSYNC_RETURN_IF_ERROR(rules::CheckName("connection", name, rules::kMaxConnectionNameChars));
  const std::string what =
      "ensuring connection '" + name + "' of company " + std::to_string(company_id);
  return database_->Write(what, [&](PgConnection& connection) -> Result<Connection> {
    ERPSYNC_RETURN_IF_ERROR(CheckCompanyExists(connection, what, company_id));
    return EnsureConnectionRow(connection, what, company_id, name, database_->NowUnix());
  });
}

Result<Connection> PgDirectoryStore::FindConnection(int64_t company_id, const std::string& name) {
  const std::string what =
      "finding connection '" + name + "' of company " + std::to_string(company_id);
  return database_->Read(what, [&](PgConnection& connection) -> Result<Connection> {
    ERPSYNC_ASSIGN_OR_RETURN(std::optional<Connection> found,
                             FindConnectionRow(connection, what, company_id, name));
    if (!found) return rules::ConnectionNotFoundError(company_id, name);
    return std::move(*found);
  });
}

Result<Connection> PgDirectoryStore::GetConnection(int64_t connection_id) {
  const std::string what = "reading connection " + std::to_string(connection_id);
  return database_->Read(what, [&](PgConnection& connection) -> Result<Connection> {
    // NOT_FOUND "connection <id> does not exist" when missing.
    ERPSYNC_ASSIGN_OR_RETURN(
        const int64_t company_id,
        database_->CompanyOf(connection, PgCompanyTable::kConnections, connection_id));
    ERPSYNC_ASSIGN_OR_RETURN(const PgResult row,
                             connection.Exec(what,
                                             "SELECT id, company_id, name FROM connections "
                                             "WHERE company_id = $1 AND id = $2",
                                             {company_id, connection_id}));
    if (row.rows() == 0) {
      return NotFoundError("connection " + std::to_string(connection_id) + " does not exist");
    }
    return ConnectionAt(row, 0);
  });
}

Result<std::vector<Connection>> PgDirectoryStore::ListConnections(int64_t company_id) {
  const std::string what = "listing connections of company " + std::to_string(company_id);
  return database_->Read(what, [&](PgConnection& connection) -> Result<std::vector<Connection>> {
    ERPSYNC_RETURN_IF_ERROR(CheckCompanyExists(connection, what, company_id));
    ERPSYNC_ASSIGN_OR_RETURN(
        const PgResult rows,
        connection.Exec(what,
                        "SELECT id, company_id, name FROM connections WHERE company_id = $1 "
                        "ORDER BY name",
                        {company_id}));
    std::vector<Connection> connections;
    connections.reserve(static_cast<size_t>(rows.rows()));
    for (int row = 0; row < rows.rows(); ++row) connections.push_back(ConnectionAt(rows, row));
    return connections;
  });
}

Result<Connection> PgDirectoryStore::ResolveConnection(int64_t company_id,
                                                       const std::string& company_name,
                                                       const std::string& name) {
  return store_internal::ResolveConnection(*this, company_id, company_name, name);
}

Result<int64_t> PgDirectoryStore::AddAgent(int64_t company_id, const std::string& connection_name,
                                           const std::string& token_hash,
                                           const std::string& description) {
  ERPSYNC_RETURN_IF_ERROR(
      rules::CheckName("connection", connection_name, rules::kMaxConnectionNameChars));
  ERPSYNC_RETURN_IF_ERROR(rules::CheckTokenHash(token_hash));
  const std::string what = "adding an agent for connection '" + connection_name + "' of company " +
                           std::to_string(company_id);
  return database_->Write(what, [&](PgConnection& connection) -> Result<int64_t> {
    ERPSYNC_RETURN_IF_ERROR(CheckCompanyExists(connection, what, company_id));
    const int64_t now = database_->NowUnix();
    ERPSYNC_ASSIGN_OR_RETURN(const Connection row, EnsureConnectionRow(connection, what, company_id,
                                                                       connection_name, now));
    ERPSYNC_ASSIGN_OR_RETURN(
        const PgResult inserted,
        connection.Exec(what,
                        "INSERT INTO agents (company_id, connection_id, description, "
                        "created_unix) VALUES ($1, $2, $3, $4) RETURNING id",
                        {company_id, row.id, description, now}));
    const int64_t agent_id = inserted.Int(0, 0);
    // A hash already taken rolls the agent (and a connection created for
    // it) back.
    ERPSYNC_RETURN_IF_ERROR(
        InsertToken(connection, what, token_hash, company_id, "agent", agent_id));
    return agent_id;
  });
}

Result<int64_t> PgDirectoryStore::AddUser(int64_t company_id, const NewUser& user,
                                          const std::string& token_hash) {
  ERPSYNC_RETURN_IF_ERROR(rules::CheckNewUser(user, token_hash));
  const std::string what =
      "adding user '" + user.name + "' to company " + std::to_string(company_id);
  return database_->Write(what, [&](PgConnection& connection) -> Result<int64_t> {
    ERPSYNC_RETURN_IF_ERROR(CheckCompanyExists(connection, what, company_id));
    // The name's unique constraint decides between servers adding it at
    // once, as it does for a name taken long ago.
    ERPSYNC_ASSIGN_OR_RETURN(
        const PgResult inserted,
        connection.Exec(what,
                        "INSERT INTO users (company_id, name, email, level, can_push, "
                        "created_unix) VALUES ($1, $2, $3, $4, $5, $6) "
                        "ON CONFLICT (company_id, name) DO NOTHING RETURNING id",
                        {company_id, user.name, user.email, static_cast<int>(user.level),
                         user.can_push_to_accounting, database_->NowUnix()}));
    if (inserted.rows() == 0) {
      return AlreadyExistsError("user '" + user.name + "' already exists in company " +
                                std::to_string(company_id));
    }
    const int64_t user_id = inserted.Int(0, 0);
    ERPSYNC_RETURN_IF_ERROR(InsertToken(connection, what, token_hash, company_id, "user", user_id));
    return user_id;
  });
}

Result<Principal> PgDirectoryStore::FindPrincipal(const std::string& token_hash) {
  const std::string what = "looking up a token";
  return database_->Read(what, [&](PgConnection& connection) -> Result<Principal> {
    const Status unknown = NotFoundError("no agent or user has this token");
    ERPSYNC_ASSIGN_OR_RETURN(
        const PgResult token,
        connection.Exec(what,
                        "SELECT company_id, kind, principal_id FROM erpsync_tokens "
                        "WHERE token_hash = $1",
                        {token_hash}));
    if (token.rows() == 0) return unknown;
    const int64_t company_id = token.Int(0, 0);
    const int64_t id = token.Int(0, 2);
    const bool agent = token.Text(0, 1) == "agent";
    ERPSYNC_ASSIGN_OR_RETURN(
        const PgResult row,
        connection.Exec(what, agent ? kAgentPrincipalQuery : kUserPrincipalQuery,
                        {company_id, id}));
    if (row.rows() == 0) return unknown;  // revoked
    Principal principal;
    principal.id = id;
    principal.company_id = company_id;
    principal.company_name = TextAt(row, 0, 0);
    if (agent) {
      principal.kind = PrincipalKind::kAgent;
      principal.connection_id = row.Int(0, 1);
      principal.connection_name = TextAt(row, 0, 2);
    } else {
      principal.kind = PrincipalKind::kUser;
      principal.user_name = TextAt(row, 0, 1);
      principal.email = TextAt(row, 0, 2);
      principal.level = static_cast<ToolLevel>(row.Int(0, 3));
      principal.can_push_to_accounting = row.Bool(0, 4);
    }
    return principal;
  });
}

Status PgDirectoryStore::TouchAgent(int64_t agent_id, const std::string& hostname,
                                    const std::string& version) {
  const std::string what = "recording that agent " + std::to_string(agent_id) + " was seen";
  return WriteWork(*database_, what, [&](PgConnection& connection) -> Status {
    // NOT_FOUND "agent <id> does not exist" when missing.
    ERPSYNC_ASSIGN_OR_RETURN(const int64_t company_id,
                             database_->CompanyOf(connection, PgCompanyTable::kAgents, agent_id));
    return connection
        .Exec(what,
              "UPDATE agents SET last_seen_unix = $3, hostname = $4, version = $5 "
              "WHERE company_id = $1 AND id = $2",
              {company_id, agent_id, database_->NowUnix(), hostname, version})
        .status();
  });
}

Status PgDirectoryStore::RevokeAgent(int64_t agent_id, const std::string& actor) {
  return RevokePrincipal(*database_, "agent", agent_id, actor);
}

Status PgDirectoryStore::RevokeUser(int64_t user_id, const std::string& actor) {
  return RevokePrincipal(*database_, "user", user_id, actor);
}

Result<std::vector<AgentInfo>> PgDirectoryStore::ListAgents(std::optional<int64_t> company_id) {
  return ListByCompany(*database_, "listing agents", kAgentInfoQuery, "a", company_id,
                       &AgentInfoAt);
}

Result<std::vector<UserInfo>> PgDirectoryStore::ListUsers(std::optional<int64_t> company_id) {
  return ListByCompany(*database_, "listing users", kUserInfoQuery, "u", company_id, &UserInfoAt);
}

Status PgDirectoryStore::RotateAgentToken(int64_t agent_id, const std::string& new_token_hash,
                                          const std::string& actor) {
  ERPSYNC_RETURN_IF_ERROR(rules::CheckTokenHash(new_token_hash));
  const std::string name = "agent " + std::to_string(agent_id);
  const std::string what = "rotating the token of " + name;
  return WriteWork(*database_, what, [&](PgConnection& connection) -> Status {
    ERPSYNC_ASSIGN_OR_RETURN(const int64_t company_id,
                             database_->CompanyOf(connection, PgCompanyTable::kAgents, agent_id));
    // Locked: a revocation at the same time waits for the rotation, or the
    // rotation sees it.
    ERPSYNC_ASSIGN_OR_RETURN(
        const PgResult agent,
        connection.Exec(what,
                        "SELECT revoked FROM agents WHERE company_id = $1 AND id = $2 FOR UPDATE",
                        {company_id, agent_id}));
    if (agent.rows() == 0) return NotFoundError(name + " does not exist");
    if (agent.Bool(0, 0)) {
      return FailedPreconditionError(name + " is revoked; enroll a new agent instead");
    }
    // Taken includes the agent's own current hash, as on SQLite.
    ERPSYNC_ASSIGN_OR_RETURN(
        const PgResult taken,
        connection.Exec(what, "SELECT 1 FROM erpsync_tokens WHERE token_hash = $1",
                        {new_token_hash}));
    if (taken.rows() > 0) return rules::TokenHashTakenError();
    // Taken meanwhile by another server: the primary key's conflict.
    const Status updated =
        connection
            .Exec(what,
                  "UPDATE erpsync_tokens SET token_hash = $3 "
                  "WHERE kind = 'agent' AND principal_id = $2 AND company_id = $1",
                  {company_id, agent_id, new_token_hash})
            .status();
    if (updated.code() == StatusCode::kAlreadyExists) return rules::TokenHashTakenError();
    ERPSYNC_RETURN_IF_ERROR(updated);
    return InsertAudit(
        connection, what, database_->NowUnix(), actor,
        rules::AuditRow{"agent rotate", "agent", agent_id, company_id, "old token", "new token"});
  });
}

Result<UserInfo> PgDirectoryStore::UpdateUser(int64_t user_id, const UserChange& change,
                                              const std::string& actor) {
  ERPSYNC_RETURN_IF_ERROR(rules::CheckUserChange(user_id, change));
  const std::string what = "changing user " + std::to_string(user_id);
  return database_->Write(what, [&](PgConnection& connection) -> Result<UserInfo> {
    ERPSYNC_ASSIGN_OR_RETURN(const int64_t company_id,
                             database_->CompanyOf(connection, PgCompanyTable::kUsers, user_id));
    // Locked until the change commits: changes of two servers apply one
    // after the other, each audited against what the other left.
    ERPSYNC_ASSIGN_OR_RETURN(
        const PgResult row,
        connection.Exec(
            what,
            std::string(kUserInfoQuery) + "WHERE u.company_id = $1 AND u.id = $2 FOR UPDATE OF u",
            {company_id, user_id}));
    if (row.rows() == 0) {
      return NotFoundError("user " + std::to_string(user_id) + " does not exist");
    }
    UserInfo user = UserInfoAt(row, 0);
    ERPSYNC_ASSIGN_OR_RETURN(const rules::UserChangeValues values,
                             rules::ApplyUserChange(change, user));
    if (!values.changed()) return user;
    ERPSYNC_RETURN_IF_ERROR(
        connection
            .Exec(what,
                  "UPDATE users SET level = $3, can_push = $4 WHERE company_id = $1 AND id = $2",
                  {company_id, user_id, static_cast<int>(user.level), user.can_push_to_accounting})
            .status());
    ERPSYNC_RETURN_IF_ERROR(InsertAudit(connection, what, database_->NowUnix(), actor,
                                        rules::AuditRow{"user set", "user", user_id, company_id,
                                                        values.old_value, values.new_value}));
    return user;
  });
}

Result<std::vector<AuditEntry>> PgDirectoryStore::ListAudit(std::optional<int64_t> company_id) {
  return ListByCompany(*database_, "listing the admin audit", kAuditQuery, "a", company_id,
                       &AuditEntryAt);
}

}  // namespace erpsync::server
