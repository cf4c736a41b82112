#include "server/store/postgres/session_store.h"

#include <optional>
#include <string>

#include "server/store/session_rules.h"

namespace erpsync::server {
namespace {

namespace rules = store_internal;

using rules::SessionRead;
using rules::TouchVerdict;

// The session and its user, filled as PgDirectoryStore::FindPrincipal fills
// a user's Principal; nullopt when there is no such session. A session
// whose user is gone reads with user_live false.
Result<std::optional<SessionRead>> ReadSession(PgConnection& connection, std::string_view what,
                                               const std::string& id_hash) {
  ERPSYNC_ASSIGN_OR_RETURN(
      const PgResult row,
      connection.Exec(what,
                      "SELECT company_id, user_id, created_unix, last_seen_unix "
                      "FROM web_sessions WHERE id_hash = $1",
                      {id_hash}));
  if (row.rows() == 0) return std::optional<SessionRead>();
  SessionRead read;
  Principal& user = read.session.user;
  user.kind = PrincipalKind::kUser;
  user.company_id = row.Int(0, 0);
  user.id = row.Int(0, 1);
  read.session.created_unix = row.Int(0, 2);
  read.session.last_seen_unix = row.Int(0, 3);
  ERPSYNC_ASSIGN_OR_RETURN(
      const PgResult found,
      connection.Exec(what,
                      "SELECT c.name, u.name, u.email, u.level, u.can_push, u.revoked "
                      "FROM users u JOIN companies c ON c.id = u.company_id "
                      "WHERE u.company_id = $1 AND u.id = $2",
                      {user.company_id, user.id}));
  if (found.rows() == 0) return std::optional<SessionRead>(std::move(read));
  user.company_name = std::string(found.Text(0, 0));
  user.user_name = std::string(found.Text(0, 1));
  user.email = std::string(found.Text(0, 2));
  user.level = static_cast<ToolLevel>(found.Int(0, 3));
  user.can_push_to_accounting = found.Bool(0, 4);
  read.user_live = !found.Bool(0, 5);
  return std::optional<SessionRead>(std::move(read));
}

}  // namespace

Status PgSessionStore::CreateSession(const std::string& id_hash, int64_t user_id) {
  ERPSYNC_RETURN_IF_ERROR(rules::CheckSessionHash(id_hash));
  const std::string what = "creating a session of user " + std::to_string(user_id);
  return database_
      ->Write(what,
              [&](PgConnection& connection) -> Result<bool> {
                Result<int64_t> company_id =
                    database_->CompanyOf(connection, PgCompanyTable::kUsers, user_id);
                if (company_id.status().code() == StatusCode::kNotFound) {
                  return rules::SessionUserNotFoundError(user_id);
                }
                ERPSYNC_RETURN_IF_ERROR(company_id.status());
                ERPSYNC_ASSIGN_OR_RETURN(
                    const PgResult user,
                    connection.Exec(what,
                                    "SELECT 1 FROM users "
                                    "WHERE company_id = $1 AND id = $2 AND NOT revoked",
                                    {*company_id, user_id}));
                if (user.rows() == 0) return rules::SessionUserNotFoundError(user_id);
                // Of two servers storing the same hash at once, the second
                // waits for the first and then inserts nothing.
                ERPSYNC_ASSIGN_OR_RETURN(
                    const PgResult inserted,
                    connection.Exec(what,
                                    "INSERT INTO web_sessions (id_hash, company_id, user_id, "
                                    "created_unix, last_seen_unix) VALUES ($1, $2, $3, $4, $4) "
                                    "ON CONFLICT (id_hash) DO NOTHING",
                                    {id_hash, *company_id, user_id, database_->NowUnix()}));
                if (inserted.affected() == 0) return rules::SessionTakenError();
                return true;
              })
      .status();
}

Result<WebSession> PgSessionStore::TouchSession(const std::string& id_hash, int64_t idle_seconds) {
  ERPSYNC_RETURN_IF_ERROR(rules::CheckIdleSeconds(idle_seconds));
  const int64_t now = database_->NowUnix();
  const std::string what = "reading a session";
  ERPSYNC_ASSIGN_OR_RETURN(
      const std::optional<SessionRead> read,
      database_->Read(what, [&](PgConnection& connection) -> Result<std::optional<SessionRead>> {
        return ReadSession(connection, what, id_hash);
      }));
  if (!read) return rules::SessionNotFoundError();
  switch (rules::JudgeSession(*read, now, idle_seconds)) {
    case TouchVerdict::kEnd:
      // Idle stays idle and revoked stays revoked: another server touching
      // the session meanwhile finds the same and ends it too.
      ERPSYNC_RETURN_IF_ERROR(EndSession(id_hash));
      return rules::SessionNotFoundError();
    case TouchVerdict::kTouch: {
      const std::string touching = "recording the use of a session";
      ERPSYNC_ASSIGN_OR_RETURN(
          const bool still_there,
          database_->Write(touching, [&](PgConnection& connection) -> Result<bool> {
            // Never backwards: another server may have written a later use.
            ERPSYNC_ASSIGN_OR_RETURN(
                const PgResult updated,
                connection.Exec(touching,
                                "UPDATE web_sessions SET last_seen_unix = GREATEST(last_seen_unix, "
                                "$2) WHERE id_hash = $1",
                                {id_hash, now}));
            return updated.affected() > 0;
          }));
      // Signed out since it was read.
      if (!still_there) return rules::SessionNotFoundError();
      break;
    }
    case TouchVerdict::kLive:
      break;
  }
  WebSession session = read->session;
  session.last_seen_unix = now;
  return session;
}

Status PgSessionStore::EndSession(const std::string& id_hash) {
  const std::string what = "ending a session";
  return database_
      ->Write(what,
              [&](PgConnection& connection) -> Result<bool> {
                ERPSYNC_RETURN_IF_ERROR(
                    connection.Exec(what, "DELETE FROM web_sessions WHERE id_hash = $1", {id_hash})
                        .status());
                return true;
              })
      .status();
}

Result<int64_t> PgSessionStore::EndIdleSessions(int64_t idle_seconds) {
  ERPSYNC_RETURN_IF_ERROR(rules::CheckIdleSeconds(idle_seconds));
  const std::string what = "ending idle sessions";
  return database_->Write(what, [&](PgConnection& connection) -> Result<int64_t> {
    ERPSYNC_ASSIGN_OR_RETURN(
        const PgResult idle,
        connection.Exec(what, "DELETE FROM web_sessions WHERE last_seen_unix < $1",
                        {rules::IdleCutoff(database_->NowUnix(), idle_seconds)}));
    // Each remaining session's user by its key (company_id, id).
    ERPSYNC_ASSIGN_OR_RETURN(
        const PgResult revoked,
        connection.Exec(
            what,
            "DELETE FROM web_sessions s WHERE NOT EXISTS (SELECT 1 FROM users u "
            "WHERE u.company_id = s.company_id AND u.id = s.user_id AND NOT u.revoked)"));
    return idle.affected() + revoked.affected();
  });
}

}  // namespace erpsync::server
