// Bearer tokens for agents and users: generated from the OS's CSPRNG,
// shown once, stored only as a SHA-256 hash. Thread-safe.
#ifndef ERPSYNC_COMMON_SECRET_TOKEN_H_
#define ERPSYNC_COMMON_SECRET_TOKEN_H_

#include <string>
#include <string_view>

#include "common/status.h"

namespace erpsync {

// "<prefix>_" followed by 43 base64url characters (256 random bits).
// INTERNAL if the random generator fails.
Result<std::string> GenerateSecretToken(std::string_view prefix);

// Lower-case hex SHA-256 of the token: what the server stores and looks up.
std::string HashSecretToken(std::string_view token);

// Constant-time comparison of two equal-length strings (false if lengths
// differ).
bool ConstantTimeEquals(std::string_view a, std::string_view b);

}  // namespace erpsync

#endif  // ERPSYNC_COMMON_SECRET_TOKEN_H_
