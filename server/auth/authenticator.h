// Authenticator: turns a bearer token into a Principal (an agent or a user
// of one company) and enforces which kind of principal may call what.
// Tokens are looked up by their SHA-256 hash; the server never stores them.
// Thread-safe.
#ifndef ERPSYNC_SERVER_AUTH_AUTHENTICATOR_H_
#define ERPSYNC_SERVER_AUTH_AUTHENTICATOR_H_

#include <string_view>

#include "common/status.h"
#include "server/store/directory_store.h"
#include "server/store/store_types.h"

namespace erpsync::server {

class Authenticator {
 public:
  explicit Authenticator(DirectoryStore* directory) : directory_(directory) {}

  // UNAUTHENTICATED when the token is missing, unknown or revoked.
  Result<Principal> Authenticate(std::string_view token);
  // As Authenticate, and PERMISSION_DENIED for a user token.
  Result<Principal> AuthenticateAgent(std::string_view token);
  // As Authenticate, and PERMISSION_DENIED for an agent token or a user whose
  // ERP Integrations level is below `minimum`.
  Result<Principal> AuthenticateUser(std::string_view token, ToolLevel minimum);

 private:
  DirectoryStore* directory_;
};

// PERMISSION_DENIED naming both levels when the user's ERP Integrations
// level is below `minimum` (logged).
Status CheckToolLevel(const Principal& user, ToolLevel minimum);

// "None", "Read Only", "Standard", "Admin".
std::string_view ToolLevelName(ToolLevel level);

}  // namespace erpsync::server

#endif  // ERPSYNC_SERVER_AUTH_AUTHENTICATOR_H_
