// SqliteSessionStore: the SessionStore of the SQLite backend
// (server/store/session_store.h says what each call does), over the
// Database it is given, which must outlive it. Stateless and thread-safe. A
// touch reads on a reader connection, so that a session in use costs no
// write lock; only the write it needs at most once a minute, or the
// deletion of an idle or revoked user's session, takes the writer.
#ifndef ERPSYNC_SERVER_STORE_SQLITE_SESSION_STORE_H_
#define ERPSYNC_SERVER_STORE_SQLITE_SESSION_STORE_H_

#include "server/store/session_store.h"
#include "server/store/sqlite/database.h"

namespace erpsync::server {

class SqliteSessionStore final : public SessionStore {
 public:
  explicit SqliteSessionStore(Database* database) : database_(database) {}

  Status CreateSession(const std::string& id_hash, int64_t user_id) override;
  Result<WebSession> TouchSession(const std::string& id_hash, int64_t idle_seconds) override;
  Status EndSession(const std::string& id_hash) override;
  Result<int64_t> EndIdleSessions(int64_t idle_seconds) override;

 private:
  Database* database_;
};

}  // namespace erpsync::server

#endif  // ERPSYNC_SERVER_STORE_SQLITE_SESSION_STORE_H_
