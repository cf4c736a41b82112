#include "server/store/sqlite/session_store.h"

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>

#include <optional>

#include "server/store/session_rules.h"
#include "server/store/sqlite/sqlite_util.h"

namespace erpsync::server {
namespace {

using store_internal::CachedStatement;
using store_internal::SessionRead;
using store_internal::TouchVerdict;

// The session and its user, filled as SqliteDirectoryStore::FindPrincipal
// fills a user's Principal; nullopt when there is no such session.
std::optional<SessionRead> ReadSession(SQLite::Database& db, const std::string& id_hash) {
  SQLite::Statement& query = CachedStatement(
      db,
      "SELECT s.created_unix, s.last_seen_unix, u.id, u.company_id, c.name, u.name, u.email, "
      "u.level, u.can_push, u.revoked FROM web_sessions s JOIN users u ON u.id = s.user_id "
      "JOIN companies c ON c.id = u.company_id WHERE s.id_hash = ?1");
  query.bindNoCopy(1, id_hash);
  if (!query.executeStep()) return std::nullopt;
  SessionRead read;
  read.session.created_unix = query.getColumn(0).getInt64();
  read.session.last_seen_unix = query.getColumn(1).getInt64();
  Principal& user = read.session.user;
  user.kind = PrincipalKind::kUser;
  user.id = query.getColumn(2).getInt64();
  user.company_id = query.getColumn(3).getInt64();
  user.company_name = query.getColumn(4).getString();
  user.user_name = query.getColumn(5).getString();
  user.email = query.getColumn(6).getString();
  user.level = static_cast<ToolLevel>(query.getColumn(7).getInt());
  user.can_push_to_accounting = query.getColumn(8).getInt() != 0;
  read.user_live = query.getColumn(9).getInt() == 0;
  return read;
}

}  // namespace

Status SqliteSessionStore::CreateSession(const std::string& id_hash, int64_t user_id) {
  ERPSYNC_RETURN_IF_ERROR(store_internal::CheckSessionHash(id_hash));
  return database_->WithWriteTransaction(
      "creating a session of user " + std::to_string(user_id), [&](SQLite::Database& db) -> Status {
        SQLite::Statement& user =
            CachedStatement(db, "SELECT 1 FROM users WHERE id = ?1 AND revoked = 0");
        user.bind(1, user_id);
        if (!user.executeStep()) return store_internal::SessionUserNotFoundError(user_id);
        user.reset();
        SQLite::Statement& insert = CachedStatement(
            db,
            "INSERT INTO web_sessions (id_hash, user_id, created_unix, last_seen_unix) "
            "VALUES (?1, ?2, ?3, ?3) ON CONFLICT (id_hash) DO NOTHING");
        insert.bindNoCopy(1, id_hash);
        insert.bind(2, user_id);
        insert.bind(3, database_->NowUnix());
        if (insert.exec() == 0) return store_internal::SessionTakenError();
        return Status::Ok();
      });
}

Result<WebSession> SqliteSessionStore::TouchSession(const std::string& id_hash,
                                                    int64_t idle_seconds) {
  ERPSYNC_RETURN_IF_ERROR(store_internal::CheckIdleSeconds(idle_seconds));
  const int64_t now = database_->NowUnix();
  ERPSYNC_ASSIGN_OR_RETURN(
      const std::optional<SessionRead> read,
      database_->Read("reading a session",
                      [&](SQLite::Database& db) -> Result<std::optional<SessionRead>> {
                        return ReadSession(db, id_hash);
                      }));
  if (!read) return store_internal::SessionNotFoundError();
  switch (store_internal::JudgeSession(*read, now, idle_seconds)) {
    case TouchVerdict::kEnd:
      // Idle stays idle and revoked stays revoked: whoever else touches
      // the session meanwhile finds the same and ends it too.
      ERPSYNC_RETURN_IF_ERROR(EndSession(id_hash));
      return store_internal::SessionNotFoundError();
    case TouchVerdict::kTouch: {
      bool still_there = false;
      ERPSYNC_RETURN_IF_ERROR(database_->WithWriteTransaction(
          "recording the use of a session", [&](SQLite::Database& db) -> Status {
            // Never backwards: another server may have written a later use.
            SQLite::Statement& update =
                CachedStatement(db,
                                "UPDATE web_sessions SET last_seen_unix = max(last_seen_unix, ?2) "
                                "WHERE id_hash = ?1");
            update.bindNoCopy(1, id_hash);
            update.bind(2, now);
            still_there = update.exec() > 0;
            return Status::Ok();
          }));
      // Signed out since it was read.
      if (!still_there) return store_internal::SessionNotFoundError();
      break;
    }
    case TouchVerdict::kLive:
      break;
  }
  WebSession session = read->session;
  session.last_seen_unix = now;
  return session;
}

Status SqliteSessionStore::EndSession(const std::string& id_hash) {
  return database_->WithWriteTransaction("ending a session", [&](SQLite::Database& db) -> Status {
    SQLite::Statement& remove = CachedStatement(db, "DELETE FROM web_sessions WHERE id_hash = ?1");
    remove.bindNoCopy(1, id_hash);
    remove.exec();
    return Status::Ok();
  });
}

Result<int64_t> SqliteSessionStore::EndIdleSessions(int64_t idle_seconds) {
  ERPSYNC_RETURN_IF_ERROR(store_internal::CheckIdleSeconds(idle_seconds));
  return database_->Write("ending idle sessions", [&](SQLite::Database& db) -> Result<int64_t> {
    SQLite::Statement& idle =
        CachedStatement(db, "DELETE FROM web_sessions WHERE last_seen_unix < ?1");
    idle.bind(1, store_internal::IdleCutoff(database_->NowUnix(), idle_seconds));
    int64_t ended = idle.exec();
    SQLite::Statement& revoked =
        CachedStatement(db,
                        "DELETE FROM web_sessions WHERE NOT EXISTS (SELECT 1 FROM users u "
                        "WHERE u.id = web_sessions.user_id AND u.revoked = 0)");
    ended += revoked.exec();
    return ended;
  });
}

}  // namespace erpsync::server
