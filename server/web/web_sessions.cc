#include "server/web/web_sessions.h"

#include "common/log.h"
#include "common/secret_token.h"

namespace erpsync::server {
namespace {

// Cookie values are GenerateSecretToken's with this prefix.
constexpr std::string_view kCookiePrefix = "erpweb";

}  // namespace

Result<SignedInSession> WebSessions::SignIn(std::string_view token) {
  ERPSYNC_ASSIGN_OR_RETURN(Principal user, auth_->AuthenticateUser(token, ToolLevel::kReadOnly));
  ERPSYNC_ASSIGN_OR_RETURN(std::string cookie_value, GenerateSecretToken(kCookiePrefix));
  ERPSYNC_RETURN_IF_ERROR(store_->CreateSession(HashSecretToken(cookie_value), user.id));
  // Sessions never used again are swept here: sign-ins are few (a handful
  // per user a day) and the sweep reads an index, so no thread is needed
  // to keep the table to the sessions in use.
  const Result<int64_t> swept = store_->EndIdleSessions(IdleSeconds());
  if (!swept.ok()) {
    ERPSYNC_LOG(kWarning) << "web: sweeping idle sessions: " << swept.status().message();
  }
  ERPSYNC_LOG(kInfo) << "user '" << user.user_name << "' of " << user.company_name
                     << " signed in to the web tool";
  return SignedInSession{std::move(cookie_value), std::move(user)};
}

Result<WebSession> WebSessions::Resume(std::string_view cookie_value) {
  if (cookie_value.empty()) return UnauthenticatedError("not signed in");
  Result<WebSession> session = store_->TouchSession(HashSecretToken(cookie_value), IdleSeconds());
  if (!session.ok() && session.status().code() == StatusCode::kNotFound) {
    return UnauthenticatedError("not signed in, or the session ended (signed out, idle for " +
                                std::to_string(idle_.count()) +
                                " minutes, or the user's token was revoked): sign in again");
  }
  return session;
}

int64_t WebSessions::IdleSeconds() const {
  return std::chrono::duration_cast<std::chrono::seconds>(idle_).count();
}

Status WebSessions::SignOut(std::string_view cookie_value) {
  if (cookie_value.empty()) return Status::Ok();
  return store_->EndSession(HashSecretToken(cookie_value));
}

std::string WebSessions::CsrfTokenOf(std::string_view cookie_value) {
  return HashSecretToken("erpsync-csrf:" + std::string(cookie_value));
}

bool WebSessions::CsrfTokenMatches(std::string_view cookie_value, std::string_view presented) {
  return !cookie_value.empty() && ConstantTimeEquals(CsrfTokenOf(cookie_value), presented);
}

}  // namespace erpsync::server
