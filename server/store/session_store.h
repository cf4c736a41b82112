// SessionStore: the web tool's sign-in sessions (doc/web.md). A session is
// created when a user signs in with their token and is known to the store
// by the SHA-256 hex of its cookie value alone (the cookie itself is never
// stored), so every server sharing the store honours it. A session lives
// while its user is live (not revoked) and it is used at least every
// `idle_seconds`; signing out ends it. Times come from the store's clock
// (Store::NowUnix). Thread-safe; every call may also return INTERNAL or
// UNAVAILABLE for store failures.
#ifndef ERPSYNC_SERVER_STORE_SESSION_STORE_H_
#define ERPSYNC_SERVER_STORE_SESSION_STORE_H_

#include <cstdint>
#include <string>

#include "common/status.h"
#include "server/store/store_types.h"

namespace erpsync::server {

// A live session and its user as the directory has them now (level and
// privilege changes apply to sessions already open).
struct WebSession {
  Principal user;
  int64_t created_unix = 0;
  int64_t last_seen_unix = 0;
};

class SessionStore {
 public:
  // How stale last_seen_unix may get before TouchSession writes it again:
  // a session in use costs at most one write a minute, and idle expiry is
  // exact to within this.
  static constexpr int64_t kTouchIntervalSeconds = 60;

  virtual ~SessionStore() = default;

  // Stores a new session of user `user_id` (a user, not an agent),
  // created and last seen now. INVALID_ARGUMENT when `id_hash` is not 64
  // lower-case hex digits; NOT_FOUND for an unknown or revoked user;
  // ALREADY_EXISTS when a session has that hash.
  virtual Status CreateSession(const std::string& id_hash, int64_t user_id) = 0;

  // The session `id_hash`, its last use moved to now (written when it is
  // kTouchIntervalSeconds old or more). NOT_FOUND when there is no such
  // session, it was ended, its user was revoked, or it was last used more
  // than `idle_seconds` ago (an idle or revoked user's session is deleted
  // then). INVALID_ARGUMENT for a negative `idle_seconds`.
  virtual Result<WebSession> TouchSession(const std::string& id_hash, int64_t idle_seconds) = 0;

  // Ends the session: it is not found any more. OK when there is none.
  virtual Status EndSession(const std::string& id_hash) = 0;

  // Deletes every session last used more than `idle_seconds` ago or whose
  // user was revoked; returns how many. INVALID_ARGUMENT for a negative
  // `idle_seconds`.
  virtual Result<int64_t> EndIdleSessions(int64_t idle_seconds) = 0;
};

}  // namespace erpsync::server

#endif  // ERPSYNC_SERVER_STORE_SESSION_STORE_H_
