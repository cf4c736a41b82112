// PgSessionStore: the SessionStore of the PostgreSQL backend
// (server/store/session_store.h says what each call does), over the
// PgDatabase it is given, which must outlive it. Stateless and thread-safe;
// every server of the database honours every session. A session is found
// by its hash alone (web_sessions is global, as erpsync_tokens; see
// migrations.cc, version 3), then its user by the users table's key
// (company_id, id), in one read-only transaction, as FindPrincipal finds a
// token's principal: a session in use costs no write until its last use is
// kTouchIntervalSeconds old. Concurrent touches of one session on several
// servers each write at most the later time (never backwards).
#ifndef ERPSYNC_SERVER_STORE_POSTGRES_SESSION_STORE_H_
#define ERPSYNC_SERVER_STORE_POSTGRES_SESSION_STORE_H_

#include "server/store/postgres/pg_database.h"
#include "server/store/session_store.h"

namespace erpsync::server {

class PgSessionStore final : public SessionStore {
 public:
  explicit PgSessionStore(PgDatabase* database) : database_(database) {}

  Status CreateSession(const std::string& id_hash, int64_t user_id) override;
  Result<WebSession> TouchSession(const std::string& id_hash, int64_t idle_seconds) override;
  Status EndSession(const std::string& id_hash) override;
  Result<int64_t> EndIdleSessions(int64_t idle_seconds) override;

 private:
  PgDatabase* database_;
};

}  // namespace erpsync::server

#endif  // ERPSYNC_SERVER_STORE_POSTGRES_SESSION_STORE_H_
