// The rules every DirectoryStore backend applies the same way (private to
// server/store/ and its backends): name lengths, the token hash format, and
// the audit's description of a user. Pure functions; thread-safe.
#ifndef ERPSYNC_SERVER_STORE_DIRECTORY_RULES_H_
#define ERPSYNC_SERVER_STORE_DIRECTORY_RULES_H_

#include <cstddef>
#include <string>

#include "common/status.h"
#include "server/store/store_types.h"

namespace erpsync::server::store_internal {

inline constexpr size_t kMaxCompanyNameChars = 30;  // Sage's company name limit
inline constexpr size_t kMaxConnectionNameChars = 64;
inline constexpr size_t kMaxUserNameChars = 128;

// INVALID_ARGUMENT "<kind> name must not be empty", or "<kind> name '<name>'
// is longer than <max_chars> characters" (characters, not bytes).
Status CheckName(const std::string& kind, const std::string& name, size_t max_chars);

// INVALID_ARGUMENT unless `token_hash` is 64 lower-case hex digits.
Status CheckTokenHash(const std::string& token_hash);

// Whether `level` is one of ToolLevel's values.
bool IsValidToolLevel(ToolLevel level);

// The audit's description of a user's rights: "level standard, can-push on".
std::string DescribeUser(ToolLevel level, bool can_push);

}  // namespace erpsync::server::store_internal

#endif  // ERPSYNC_SERVER_STORE_DIRECTORY_RULES_H_
