// WebSessions: the web tool's sign-in. A user signs in with their token and
// gets a session: a random cookie value (256 bits) that the store knows
// only by its SHA-256 (SessionStore), so any server sharing the store
// honours it and a copy of the store cannot be replayed. The CSRF token of
// a session is a hash of its cookie (nobody without the cookie can compute
// it, and it is not the stored hash), so it needs no storage and dies with
// the session.
// Thread-safe.
#ifndef ERPSYNC_SERVER_WEB_WEB_SESSIONS_H_
#define ERPSYNC_SERVER_WEB_WEB_SESSIONS_H_

#include <chrono>
#include <string>
#include <string_view>

#include "common/status.h"
#include "server/auth/authenticator.h"
#include "server/store/session_store.h"

namespace erpsync::server {

struct SignedInSession {
  // The cookie's value: shown to the browser once, never stored.
  std::string cookie_value;
  // Who signed in.
  Principal user;
};

class WebSessions {
 public:
  WebSessions(Authenticator* auth, SessionStore* store, std::chrono::minutes idle)
      : auth_(auth), store_(store), idle_(idle) {}

  // A new session of the user whose token this is (and idle sessions
  // swept from the store). UNAUTHENTICATED for a
  // missing, unknown or revoked token; PERMISSION_DENIED for an agent's
  // token or a user without access to ERP Integrations (None).
  Result<SignedInSession> SignIn(std::string_view token);
  // The session of the cookie, its use recorded. UNAUTHENTICATED when there
  // is none (never signed in, signed out, idle too long, user revoked).
  Result<WebSession> Resume(std::string_view cookie_value);
  // Ends the cookie's session; OK when there is none.
  Status SignOut(std::string_view cookie_value);

  // The CSRF token of the session of `cookie_value`.
  static std::string CsrfTokenOf(std::string_view cookie_value);
  // Whether `presented` is the CSRF token of the cookie's session
  // (constant time).
  static bool CsrfTokenMatches(std::string_view cookie_value, std::string_view presented);

  std::chrono::minutes idle() const { return idle_; }

 private:
  int64_t IdleSeconds() const;

  Authenticator* auth_;
  SessionStore* store_;
  std::chrono::minutes idle_;
};

}  // namespace erpsync::server

#endif  // ERPSYNC_SERVER_WEB_WEB_SESSIONS_H_
