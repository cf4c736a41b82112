#include "server/auth/authenticator.h"

#include "common/log.h"
#include "common/secret_token.h"

namespace erpsync::server {

std::string_view ToolLevelName(ToolLevel level) {
  switch (level) {
    case ToolLevel::kNone: return "None";
    case ToolLevel::kReadOnly: return "Read Only";
    case ToolLevel::kStandard: return "Standard";
    case ToolLevel::kAdmin: return "Admin";
  }
  return "None";
}

Status CheckToolLevel(const Principal& user, ToolLevel minimum) {
  if (user.level >= minimum) return Status::Ok();
  ERPSYNC_LOG(kInfo) << "refused user '" << user.user_name << "' of " << user.company_name << ": "
                     << ToolLevelName(user.level) << " access, " << ToolLevelName(minimum)
                     << " needed";
  return PermissionDeniedError("user '" + user.user_name + "' has " +
                               std::string(ToolLevelName(user.level)) +
                               " access to ERP Integrations; this needs " +
                               std::string(ToolLevelName(minimum)) + " or higher");
}

Result<Principal> Authenticator::Authenticate(std::string_view token) {
  if (token.empty()) {
    ERPSYNC_LOG(kWarning) << "refused a call without a bearer token";
    return UnauthenticatedError("missing bearer token (authorization: Bearer <token>)");
  }
  const std::string hash = HashSecretToken(token);
  Result<Principal> principal = directory_->FindPrincipal(hash);
  if (!principal.ok()) {
    if (principal.status().code() == StatusCode::kNotFound) {
      // Neither the token nor its hash is logged: a prefix of the hash is
      // enough to tell repeated refusals of one token apart.
      ERPSYNC_LOG(kWarning) << "refused an unknown or revoked token (hash "
                            << hash.substr(0, 8) << "...)";
      return UnauthenticatedError("unknown or revoked token");
    }
    return principal.status();
  }
  return principal;
}

Result<Principal> Authenticator::AuthenticateAgent(std::string_view token) {
  ERPSYNC_ASSIGN_OR_RETURN(Principal principal, Authenticate(token));
  if (principal.kind != PrincipalKind::kAgent) {
    return PermissionDeniedError("a user token cannot act as an agent; use the token printed by "
                                 "`erpsync-server agent enroll`");
  }
  return principal;
}

Result<Principal> Authenticator::AuthenticateUser(std::string_view token, ToolLevel minimum) {
  ERPSYNC_ASSIGN_OR_RETURN(Principal principal, Authenticate(token));
  if (principal.kind != PrincipalKind::kUser) {
    return PermissionDeniedError("an agent token cannot act as a user; use a token from "
                                 "`erpsync-server user add`");
  }
  ERPSYNC_RETURN_IF_ERROR(CheckToolLevel(principal, minimum));
  return principal;
}

}  // namespace erpsync::server
