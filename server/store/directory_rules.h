// The rules every DirectoryStore backend applies the same way (private to
// server/store/ and its backends): name lengths, the token hash format, the
// audit's description of a user, and how a request's connection is resolved.
// Thread-safe.
#ifndef ERPSYNC_SERVER_STORE_DIRECTORY_RULES_H_
#define ERPSYNC_SERVER_STORE_DIRECTORY_RULES_H_

#include <cstddef>
#include <cstdint>
#include <string>

#include "common/status.h"
#include "server/store/directory_store.h"
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

// NOT_FOUND "company <id> does not exist".
Status CompanyNotFoundError(int64_t company_id);
// NOT_FOUND "company <id> has no connection '<name>'".
Status ConnectionNotFoundError(int64_t company_id, const std::string& name);

// ALREADY_EXISTS: an agent or user (revoked ones included) already has the
// token hash.
Status TokenHashTakenError();

// Whether `level` is one of ToolLevel's values.
bool IsValidToolLevel(ToolLevel level);

// The audit's description of a user's rights: "level standard, can-push on".
std::string DescribeUser(ToolLevel level, bool can_push);

// What a row of the admin audit records of a change (the rest of an
// AuditEntry is the store's: id, time, actor); written in the transaction of
// the change.
struct AuditRow {
  std::string action;       // "agent revoke", ...: AuditEntry::action
  std::string target_kind;  // "agent" or "user"
  int64_t target_id = 0;
  int64_t company_id = 0;
  std::string old_value;
  std::string new_value;
};

// AddUser's checks of its arguments: the name (CheckName), the level and the
// token hash (CheckTokenHash). INVALID_ARGUMENT naming what is wrong.
Status CheckNewUser(const NewUser& user, const std::string& token_hash);

// UpdateUser's checks of `change` to user `user_id`: INVALID_ARGUMENT
// "changing user <id>: nothing to change" or "...: invalid tool level <n>".
Status CheckUserChange(int64_t user_id, const UserChange& change);

// The user's rights before and after a change, as the audit describes them.
struct UserChangeValues {
  std::string old_value;
  std::string new_value;
  bool changed() const { return old_value != new_value; }
};

// Applies `change` (checked) to `user`, read in the caller's transaction.
// FAILED_PRECONDITION when the user is revoked.
Result<UserChangeValues> ApplyUserChange(const UserChange& change, UserInfo& user);

// DirectoryStore::ResolveConnection, through `directory`'s FindConnection and
// ListConnections (its errors as that contract says).
Result<Connection> ResolveConnection(DirectoryStore& directory, int64_t company_id,
                                     const std::string& company_name, const std::string& name);

}  // namespace erpsync::server::store_internal

#endif  // ERPSYNC_SERVER_STORE_DIRECTORY_RULES_H_
