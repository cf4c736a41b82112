#include "server/store/sqlite/directory_store.h"

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>

#include <utility>

#include "server/store/directory_rules.h"
#include "server/store/sqlite/sqlite_util.h"

namespace erpsync::server {
namespace {

using store_internal::CachedStatement;
using store_internal::CheckName;
using store_internal::ApplyUserChange;
using store_internal::AuditRow;
using store_internal::CheckNewUser;
using store_internal::CheckTokenHash;
using store_internal::CheckUserChange;
using store_internal::CompanyNotFoundError;
using store_internal::ConnectionNotFoundError;
using store_internal::kMaxCompanyNameChars;
using store_internal::kMaxConnectionNameChars;
using store_internal::TokenHashTakenError;
using store_internal::UserChangeValues;

Company CompanyFromRow(SQLite::Statement& row) {
  return Company{row.getColumn(0).getInt64(), row.getColumn(1).getString(),
                 row.getColumn(2).getInt64()};
}

Connection ConnectionFromRow(SQLite::Statement& row) {
  return Connection{row.getColumn(0).getInt64(), row.getColumn(1).getInt64(),
                    row.getColumn(2).getString()};
}

// NOT_FOUND unless the company exists.
Status CheckCompanyExists(SQLite::Database& db, int64_t company_id) {
  SQLite::Statement& query = CachedStatement(db, "SELECT 1 FROM companies WHERE id = ?1");
  query.bind(1, company_id);
  if (!query.executeStep()) return CompanyNotFoundError(company_id);
  return Status::Ok();
}

// ALREADY_EXISTS when an agent or a user (revoked ones included) has the hash.
Status CheckTokenHashUnused(SQLite::Database& db, const std::string& token_hash) {
  SQLite::Statement& query = CachedStatement(db,
                                             "SELECT 1 FROM agents WHERE token_hash = ?1 UNION ALL "
                                             "SELECT 1 FROM users WHERE token_hash = ?1");
  query.bindNoCopy(1, token_hash);
  if (query.executeStep()) {
    return TokenHashTakenError();
  }
  return Status::Ok();
}

std::optional<Connection> FindConnectionRow(SQLite::Database& db, int64_t company_id,
                                            const std::string& name) {
  SQLite::Statement& query = CachedStatement(
      db, "SELECT id, company_id, name FROM connections WHERE company_id = ?1 AND name = ?2");
  query.bind(1, company_id);
  query.bindNoCopy(2, name);
  if (!query.executeStep()) return std::nullopt;
  return ConnectionFromRow(query);
}

// The connection, inserted when missing. The company must exist.
Connection EnsureConnectionRow(SQLite::Database& db, int64_t company_id, const std::string& name,
                               int64_t now) {
  if (std::optional<Connection> found = FindConnectionRow(db, company_id, name)) return *found;
  SQLite::Statement& insert = CachedStatement(
      db, "INSERT INTO connections (company_id, name, created_unix) VALUES (?1, ?2, ?3)");
  insert.bind(1, company_id);
  insert.bindNoCopy(2, name);
  insert.bind(3, now);
  insert.exec();
  return Connection{db.getLastInsertRowid(), company_id, name};
}

}  // namespace

Result<Company> SqliteDirectoryStore::AddCompany(const std::string& name) {
  ERPSYNC_RETURN_IF_ERROR(CheckName("company", name, kMaxCompanyNameChars));
  return database_->Write(
      "adding company '" + name + "'", [&](SQLite::Database& db) -> Result<Company> {
        SQLite::Statement& query = CachedStatement(db, "SELECT 1 FROM companies WHERE name = ?1");
        query.bindNoCopy(1, name);
        if (query.executeStep()) {
          return AlreadyExistsError("company '" + name + "' already exists");
        }
        const int64_t now = database_->NowUnix();
        SQLite::Statement& insert =
            CachedStatement(db, "INSERT INTO companies (name, created_unix) VALUES (?1, ?2)");
        insert.bindNoCopy(1, name);
        insert.bind(2, now);
        insert.exec();
        return Company{db.getLastInsertRowid(), name, now};
      });
}

Result<Company> SqliteDirectoryStore::FindCompany(const std::string& name) {
  return database_->Read(
      "finding company '" + name + "'", [&](SQLite::Database& db) -> Result<Company> {
        SQLite::Statement& query =
            CachedStatement(db, "SELECT id, name, created_unix FROM companies WHERE name = ?1");
        query.bindNoCopy(1, name);
        if (!query.executeStep()) return NotFoundError("company '" + name + "' does not exist");
        return CompanyFromRow(query);
      });
}

Result<std::vector<Company>> SqliteDirectoryStore::ListCompanies() {
  return database_->Read(
      "listing companies", [&](SQLite::Database& db) -> Result<std::vector<Company>> {
        std::vector<Company> companies;
        SQLite::Statement& query =
            CachedStatement(db, "SELECT id, name, created_unix FROM companies ORDER BY name");
        while (query.executeStep()) companies.push_back(CompanyFromRow(query));
        return companies;
      });
}

Result<Connection> SqliteDirectoryStore::EnsureConnection(int64_t company_id, const std::string& name) {
  ERPSYNC_RETURN_IF_ERROR(CheckName("connection", name, kMaxConnectionNameChars));
  return database_->Write(
      "ensuring connection '" + name + "' of company " + std::to_string(company_id),
      [&](SQLite::Database& db) -> Result<Connection> {
        ERPSYNC_RETURN_IF_ERROR(CheckCompanyExists(db, company_id));
        return EnsureConnectionRow(db, company_id, name, database_->NowUnix());
      });
}

Result<Connection> SqliteDirectoryStore::FindConnection(int64_t company_id, const std::string& name) {
  return database_->Read(
      "finding connection '" + name + "' of company " + std::to_string(company_id),
      [&](SQLite::Database& db) -> Result<Connection> {
        std::optional<Connection> found = FindConnectionRow(db, company_id, name);
        if (!found) return ConnectionNotFoundError(company_id, name);
        return std::move(*found);
      });
}

Result<Connection> SqliteDirectoryStore::GetConnection(int64_t connection_id) {
  const std::string name = "connection " + std::to_string(connection_id);
  return database_->Read("reading " + name, [&](SQLite::Database& db) -> Result<Connection> {
    SQLite::Statement& query =
        CachedStatement(db, "SELECT id, company_id, name FROM connections WHERE id = ?1");
    query.bind(1, connection_id);
    if (!query.executeStep()) return NotFoundError(name + " does not exist");
    return ConnectionFromRow(query);
  });
}

Result<std::vector<Connection>> SqliteDirectoryStore::ListConnections(int64_t company_id) {
  return database_->Read(
      "listing connections of company " + std::to_string(company_id),
      [&](SQLite::Database& db) -> Result<std::vector<Connection>> {
        ERPSYNC_RETURN_IF_ERROR(CheckCompanyExists(db, company_id));
        std::vector<Connection> connections;
        SQLite::Statement& query = CachedStatement(
            db, "SELECT id, company_id, name FROM connections WHERE company_id = ?1 ORDER BY name");
        query.bind(1, company_id);
        while (query.executeStep()) connections.push_back(ConnectionFromRow(query));
        return connections;
      });
}

Result<int64_t> SqliteDirectoryStore::AddAgent(int64_t company_id, const std::string& connection,
                                         const std::string& token_hash,
                                         const std::string& description) {
  ERPSYNC_RETURN_IF_ERROR(CheckName("connection", connection, kMaxConnectionNameChars));
  ERPSYNC_RETURN_IF_ERROR(CheckTokenHash(token_hash));
  return database_->Write(
      "adding an agent for connection '" + connection + "' of company " +
          std::to_string(company_id),
      [&](SQLite::Database& db) -> Result<int64_t> {
        ERPSYNC_RETURN_IF_ERROR(CheckCompanyExists(db, company_id));
        ERPSYNC_RETURN_IF_ERROR(CheckTokenHashUnused(db, token_hash));
        const int64_t now = database_->NowUnix();
        const Connection row = EnsureConnectionRow(db, company_id, connection, now);
        SQLite::Statement& insert = CachedStatement(
            db,
            "INSERT INTO agents (company_id, connection_id, token_hash, description, "
            "created_unix) VALUES (?1, ?2, ?3, ?4, ?5)");
        insert.bind(1, company_id);
        insert.bind(2, row.id);
        insert.bindNoCopy(3, token_hash);
        insert.bindNoCopy(4, description);
        insert.bind(5, now);
        insert.exec();
        return db.getLastInsertRowid();
      });
}

Result<int64_t> SqliteDirectoryStore::AddUser(int64_t company_id, const NewUser& user,
                                        const std::string& token_hash) {
  ERPSYNC_RETURN_IF_ERROR(CheckNewUser(user, token_hash));
  return database_->Write(
      "adding user '" + user.name + "' to company " + std::to_string(company_id),
      [&](SQLite::Database& db) -> Result<int64_t> {
        ERPSYNC_RETURN_IF_ERROR(CheckCompanyExists(db, company_id));
        SQLite::Statement& query =
            CachedStatement(db, "SELECT 1 FROM users WHERE company_id = ?1 AND name = ?2");
        query.bind(1, company_id);
        query.bindNoCopy(2, user.name);
        if (query.executeStep()) {
          return AlreadyExistsError("user '" + user.name + "' already exists in company " +
                                    std::to_string(company_id));
        }
        ERPSYNC_RETURN_IF_ERROR(CheckTokenHashUnused(db, token_hash));
        SQLite::Statement& insert = CachedStatement(
            db,
            "INSERT INTO users (company_id, name, email, level, can_push, token_hash, "
            "created_unix) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)");
        insert.bind(1, company_id);
        insert.bindNoCopy(2, user.name);
        insert.bindNoCopy(3, user.email);
        insert.bind(4, static_cast<int>(user.level));
        insert.bind(5, user.can_push_to_accounting ? 1 : 0);
        insert.bindNoCopy(6, token_hash);
        insert.bind(7, database_->NowUnix());
        insert.exec();
        return db.getLastInsertRowid();
      });
}

Result<Connection> SqliteDirectoryStore::ResolveConnection(int64_t company_id,
                                                    const std::string& company_name,
                                                    const std::string& name) {
  return store_internal::ResolveConnection(*this, company_id, company_name, name);
}

Result<Principal> SqliteDirectoryStore::FindPrincipal(const std::string& token_hash) {
  return database_->Read(
      "looking up a token", [&](SQLite::Database& db) -> Result<Principal> {
        Principal principal;
        SQLite::Statement& agent = CachedStatement(
            db,
            "SELECT a.id, a.company_id, c.name, a.connection_id, n.name FROM agents a "
            "JOIN companies c ON c.id = a.company_id "
            "JOIN connections n ON n.id = a.connection_id "
            "WHERE a.token_hash = ?1 AND a.revoked = 0");
        agent.bindNoCopy(1, token_hash);
        if (agent.executeStep()) {
          principal.kind = PrincipalKind::kAgent;
          principal.id = agent.getColumn(0).getInt64();
          principal.company_id = agent.getColumn(1).getInt64();
          principal.company_name = agent.getColumn(2).getString();
          principal.connection_id = agent.getColumn(3).getInt64();
          principal.connection_name = agent.getColumn(4).getString();
          return principal;
        }
        SQLite::Statement& user = CachedStatement(
            db,
            "SELECT u.id, u.company_id, c.name, u.name, u.email, u.level, u.can_push FROM users u "
            "JOIN companies c ON c.id = u.company_id "
            "WHERE u.token_hash = ?1 AND u.revoked = 0");
        user.bindNoCopy(1, token_hash);
        if (user.executeStep()) {
          principal.kind = PrincipalKind::kUser;
          principal.id = user.getColumn(0).getInt64();
          principal.company_id = user.getColumn(1).getInt64();
          principal.company_name = user.getColumn(2).getString();
          principal.user_name = user.getColumn(3).getString();
          principal.email = user.getColumn(4).getString();
          principal.level = static_cast<ToolLevel>(user.getColumn(5).getInt());
          principal.can_push_to_accounting = user.getColumn(6).getInt() != 0;
          return principal;
        }
        return NotFoundError("no agent or user has this token");
      });
}

Status SqliteDirectoryStore::TouchAgent(int64_t agent_id, const std::string& hostname,
                                  const std::string& version) {
  return database_->WithWriteTransaction(
      "recording that agent " + std::to_string(agent_id) + " was seen",
      [&](SQLite::Database& db) -> Status {
        SQLite::Statement& update = CachedStatement(
            db, "UPDATE agents SET last_seen_unix = ?2, hostname = ?3, version = ?4 WHERE id = ?1");
        update.bind(1, agent_id);
        update.bind(2, database_->NowUnix());
        update.bindNoCopy(3, hostname);
        update.bindNoCopy(4, version);
        if (update.exec() == 0) {
          return NotFoundError("agent " + std::to_string(agent_id) + " does not exist");
        }
        return Status::Ok();
      });
}

namespace {

// The agent's company and revoked flag, or NOT_FOUND.
struct TargetRow {
  int64_t company_id = 0;
  bool revoked = false;
};

Result<TargetRow> FindTarget(SQLite::Database& db, const std::string& kind, int64_t id) {
  SQLite::Statement& query = CachedStatement(
      db, kind == "agent" ? "SELECT company_id, revoked FROM agents WHERE id = ?1"
                          : "SELECT company_id, revoked FROM users WHERE id = ?1");
  query.bind(1, id);
  if (!query.executeStep()) {
    return NotFoundError(kind + " " + std::to_string(id) + " does not exist");
  }
  TargetRow row{query.getColumn(0).getInt64(), query.getColumn(1).getInt() != 0};
  query.reset();
  return row;
}

void InsertAudit(SQLite::Database& db, int64_t now, const std::string& actor, const AuditRow& row) {
  SQLite::Statement& insert = CachedStatement(
      db,
      "INSERT INTO admin_audit (at_unix, actor, action, target_kind, target_id, company_id, "
      "old_value, new_value) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)");
  insert.bind(1, now);
  insert.bindNoCopy(2, actor);
  insert.bindNoCopy(3, row.action);
  insert.bindNoCopy(4, row.target_kind);
  insert.bind(5, row.target_id);
  insert.bind(6, row.company_id);
  insert.bindNoCopy(7, row.old_value);
  insert.bindNoCopy(8, row.new_value);
  insert.exec();
}


Result<UserInfo> ReadUser(SQLite::Database& db, int64_t user_id) {
  SQLite::Statement& query = CachedStatement(
      db,
      "SELECT u.id, u.company_id, c.name, u.name, u.email, u.level, u.can_push, u.created_unix, "
      "u.revoked FROM users u JOIN companies c ON c.id = u.company_id WHERE u.id = ?1");
  query.bind(1, user_id);
  if (!query.executeStep()) {
    return NotFoundError("user " + std::to_string(user_id) + " does not exist");
  }
  UserInfo user{query.getColumn(0).getInt64(),
                query.getColumn(1).getInt64(),
                query.getColumn(2).getString(),
                query.getColumn(3).getString(),
                query.getColumn(4).getString(),
                static_cast<ToolLevel>(query.getColumn(5).getInt()),
                query.getColumn(6).getInt() != 0,
                query.getColumn(7).getInt64(),
                query.getColumn(8).getInt() != 0};
  query.reset();
  return user;
}

// Revokes agent or user `id`, auditing the change.
Status RevokePrincipal(Database* database, const std::string& kind, int64_t id,
                       const std::string& actor) {
  return database->WithWriteTransaction(
      "revoking " + kind + " " + std::to_string(id), [&](SQLite::Database& db) -> Status {
        ERPSYNC_ASSIGN_OR_RETURN(const TargetRow target, FindTarget(db, kind, id));
        if (target.revoked) return Status::Ok();
        SQLite::Statement& update =
            CachedStatement(db, kind == "agent" ? "UPDATE agents SET revoked = 1 WHERE id = ?1"
                                                : "UPDATE users SET revoked = 1 WHERE id = ?1");
        update.bind(1, id);
        update.exec();
        InsertAudit(db, database->NowUnix(), actor,
                    AuditRow{kind + " revoke", kind, id, target.company_id, "active", "revoked"});
        return Status::Ok();
      });
}

}  // namespace

Status SqliteDirectoryStore::RevokeAgent(int64_t agent_id, const std::string& actor) {
  return RevokePrincipal(database_, "agent", agent_id, actor);
}

Status SqliteDirectoryStore::RevokeUser(int64_t user_id, const std::string& actor) {
  return RevokePrincipal(database_, "user", user_id, actor);
}

Result<std::vector<AgentInfo>> SqliteDirectoryStore::ListAgents(std::optional<int64_t> company_id) {
  return database_->Read(
      "listing agents", [&](SQLite::Database& db) -> Result<std::vector<AgentInfo>> {
        SQLite::Statement& query = CachedStatement(
            db,
            "SELECT a.id, a.company_id, c.name, n.name, a.description, a.created_unix, "
            "a.last_seen_unix, a.hostname, a.version, a.revoked FROM agents a "
            "JOIN companies c ON c.id = a.company_id "
            "JOIN connections n ON n.id = a.connection_id "
            "WHERE ?1 IS NULL OR a.company_id = ?1 ORDER BY a.id");
        if (company_id) {
          query.bind(1, *company_id);
        } else {
          query.bind(1);
        }
        std::vector<AgentInfo> agents;
        while (query.executeStep()) {
          agents.push_back(AgentInfo{query.getColumn(0).getInt64(), query.getColumn(1).getInt64(),
                                     query.getColumn(2).getString(), query.getColumn(3).getString(),
                                     query.getColumn(4).getString(), query.getColumn(5).getInt64(),
                                     query.getColumn(6).getInt64(), query.getColumn(7).getString(),
                                     query.getColumn(8).getString(),
                                     query.getColumn(9).getInt() != 0});
        }
        return agents;
      });
}

Result<std::vector<UserInfo>> SqliteDirectoryStore::ListUsers(std::optional<int64_t> company_id) {
  return database_->Read(
      "listing users", [&](SQLite::Database& db) -> Result<std::vector<UserInfo>> {
        SQLite::Statement& query = CachedStatement(
            db,
            "SELECT u.id, u.company_id, c.name, u.name, u.email, u.level, u.can_push, "
            "u.created_unix, u.revoked FROM users u JOIN companies c ON c.id = u.company_id "
            "WHERE ?1 IS NULL OR u.company_id = ?1 ORDER BY u.id");
        if (company_id) {
          query.bind(1, *company_id);
        } else {
          query.bind(1);
        }
        std::vector<UserInfo> users;
        while (query.executeStep()) {
          users.push_back(UserInfo{query.getColumn(0).getInt64(), query.getColumn(1).getInt64(),
                                   query.getColumn(2).getString(), query.getColumn(3).getString(),
                                   query.getColumn(4).getString(),
                                   static_cast<ToolLevel>(query.getColumn(5).getInt()),
                                   query.getColumn(6).getInt() != 0,
                                   query.getColumn(7).getInt64(),
                                   query.getColumn(8).getInt() != 0});
        }
        return users;
      });
}

Status SqliteDirectoryStore::RotateAgentToken(int64_t agent_id, const std::string& new_token_hash,
                                        const std::string& actor) {
  ERPSYNC_RETURN_IF_ERROR(CheckTokenHash(new_token_hash));
  const std::string name = "agent " + std::to_string(agent_id);
  return database_->WithWriteTransaction(
      "rotating the token of " + name, [&](SQLite::Database& db) -> Status {
        ERPSYNC_ASSIGN_OR_RETURN(const TargetRow target, FindTarget(db, "agent", agent_id));
        if (target.revoked) {
          return FailedPreconditionError(name + " is revoked; enroll a new agent instead");
        }
        ERPSYNC_RETURN_IF_ERROR(CheckTokenHashUnused(db, new_token_hash));
        SQLite::Statement& update =
            CachedStatement(db, "UPDATE agents SET token_hash = ?2 WHERE id = ?1");
        update.bind(1, agent_id);
        update.bindNoCopy(2, new_token_hash);
        update.exec();
        InsertAudit(db, database_->NowUnix(), actor,
                    AuditRow{"agent rotate", "agent", agent_id, target.company_id, "old token",
                             "new token"});
        return Status::Ok();
      });
}

Result<UserInfo> SqliteDirectoryStore::UpdateUser(int64_t user_id, const UserChange& change,
                                            const std::string& actor) {
  ERPSYNC_RETURN_IF_ERROR(CheckUserChange(user_id, change));
  const std::string name = "user " + std::to_string(user_id);
  return database_->Write("changing " + name, [&](SQLite::Database& db) -> Result<UserInfo> {
    ERPSYNC_ASSIGN_OR_RETURN(UserInfo user, ReadUser(db, user_id));
    ERPSYNC_ASSIGN_OR_RETURN(const UserChangeValues values, ApplyUserChange(change, user));
    if (!values.changed()) return user;
    SQLite::Statement& update =
        CachedStatement(db, "UPDATE users SET level = ?2, can_push = ?3 WHERE id = ?1");
    update.bind(1, user_id);
    update.bind(2, static_cast<int>(user.level));
    update.bind(3, user.can_push_to_accounting ? 1 : 0);
    update.exec();
    InsertAudit(db, database_->NowUnix(), actor,
                AuditRow{"user set", "user", user_id, user.company_id, values.old_value,
                         values.new_value});
    return user;
  });
}

Result<std::vector<AuditEntry>> SqliteDirectoryStore::ListAudit(std::optional<int64_t> company_id) {
  return database_->Read(
      "listing the admin audit", [&](SQLite::Database& db) -> Result<std::vector<AuditEntry>> {
        SQLite::Statement& query = CachedStatement(
            db,
            "SELECT a.id, a.at_unix, a.actor, a.action, a.target_kind, a.target_id, "
            "a.company_id, c.name, a.old_value, a.new_value FROM admin_audit a "
            "JOIN companies c ON c.id = a.company_id "
            "WHERE ?1 IS NULL OR a.company_id = ?1 ORDER BY a.id");
        if (company_id) {
          query.bind(1, *company_id);
        } else {
          query.bind(1);
        }
        std::vector<AuditEntry> entries;
        while (query.executeStep()) {
          entries.push_back(AuditEntry{
              query.getColumn(0).getInt64(), query.getColumn(1).getInt64(),
              query.getColumn(2).getString(), query.getColumn(3).getString(),
              query.getColumn(4).getString(), query.getColumn(5).getInt64(),
              query.getColumn(6).getInt64(), query.getColumn(7).getString(),
              query.getColumn(8).getString(), query.getColumn(9).getString()});
        }
        return entries;
      });
}

}  // namespace erpsync::server
