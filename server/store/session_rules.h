// What every SessionStore backend does the same way (private to
// server/store/ and its backends): the checks of its arguments, the
// messages of its errors, and what a touch does with the session it read
// (its user as the directory has it now). Pure functions; thread-safe.
#ifndef ERPSYNC_SERVER_STORE_SESSION_RULES_H_
#define ERPSYNC_SERVER_STORE_SESSION_RULES_H_

#include <cstdint>
#include <string>

#include "common/status.h"
#include "server/store/session_store.h"

namespace erpsync::server::store_internal {

// INVALID_ARGUMENT unless `id_hash` is 64 lower-case hex digits (the
// SHA-256 of the cookie, as a token hash is of its token).
Status CheckSessionHash(const std::string& id_hash);
// INVALID_ARGUMENT "idle_seconds must not be negative, not -5".
Status CheckIdleSeconds(int64_t idle_seconds);

// NOT_FOUND "user 5 does not exist or is revoked" (CreateSession).
Status SessionUserNotFoundError(int64_t user_id);
// ALREADY_EXISTS "a session with this id hash exists already".
Status SessionTakenError();
// NOT_FOUND "no such session (signed out, idle or its user revoked)": one
// message for every reason, so that a caller learns nothing from it.
Status SessionNotFoundError();

// The last_seen_unix below which a session is idle at `now`: it was last
// used more than `idle_seconds` ago.
int64_t IdleCutoff(int64_t now, int64_t idle_seconds);

// A session as a backend read it for TouchSession: its row and its user
// (filled as DirectoryStore::FindPrincipal fills a user's Principal), in
// one snapshot.
struct SessionRead {
  WebSession session;
  // Whether the user exists and is not revoked.
  bool user_live = false;
};

// What TouchSession does with a session it read at `now`. A session in use
// is returned with its last use moved to now either way.
enum class TouchVerdict {
  kLive,   // in use, last used less than kTouchIntervalSeconds ago: not written
  kTouch,  // in use, last written kTouchIntervalSeconds ago or more: written
  kEnd,    // idle, or its user revoked: deleted, and NOT_FOUND
};
TouchVerdict JudgeSession(const SessionRead& read, int64_t now, int64_t idle_seconds);

}  // namespace erpsync::server::store_internal

#endif  // ERPSYNC_SERVER_STORE_SESSION_RULES_H_
