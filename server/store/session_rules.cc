#include "server/store/session_rules.h"

namespace erpsync::server::store_internal {
namespace {

constexpr size_t kSessionHashLength = 64;

}  // namespace

Status CheckSessionHash(const std::string& id_hash) {
  bool hex = id_hash.size() == kSessionHashLength;
  for (const char c : id_hash) {
    hex = hex && ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'));
  }
  if (!hex) {
    return InvalidArgumentError(
        "session id hash must be the SHA-256 of the cookie as 64 lower-case hex digits");
  }
  return Status::Ok();
}

Status CheckIdleSeconds(int64_t idle_seconds) {
  if (idle_seconds < 0) {
    return InvalidArgumentError("idle_seconds must not be negative, not " +
                                std::to_string(idle_seconds));
  }
  return Status::Ok();
}

Status SessionUserNotFoundError(int64_t user_id) {
  return NotFoundError("user " + std::to_string(user_id) + " does not exist or is revoked");
}

Status SessionTakenError() {
  return AlreadyExistsError("a session with this id hash exists already");
}

Status SessionNotFoundError() {
  return NotFoundError("no such session (signed out, idle or its user revoked)");
}

int64_t IdleCutoff(int64_t now, int64_t idle_seconds) { return now - idle_seconds; }

TouchVerdict JudgeSession(const SessionRead& read, int64_t now, int64_t idle_seconds) {
  if (!read.user_live || read.session.last_seen_unix < IdleCutoff(now, idle_seconds)) {
    return TouchVerdict::kEnd;
  }
  if (now - read.session.last_seen_unix >= SessionStore::kTouchIntervalSeconds) {
    return TouchVerdict::kTouch;
  }
  return TouchVerdict::kLive;
}

}  // namespace erpsync::server::store_internal
