#include "server/store/directory_rules.h"

#include <vector>

#include "server/store/directory_store.h"

namespace erpsync::server {

std::string_view ToolLevelKeyword(ToolLevel level) {
  switch (level) {
    case ToolLevel::kNone: return "none";
    case ToolLevel::kReadOnly: return "read-only";
    case ToolLevel::kStandard: return "standard";
    case ToolLevel::kAdmin: return "admin";
  }
  return "none";
}

namespace store_internal {
namespace {

constexpr size_t kTokenHashLength = 64;

// Characters (code points) of UTF-8 text: bytes that are not continuation
// bytes.
size_t Utf8Length(const std::string& text) {
  size_t count = 0;
  for (const char c : text) {
    if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++count;
  }
  return count;
}

}  // namespace

Status CheckName(const std::string& kind, const std::string& name, size_t max_chars) {
  if (name.empty()) return InvalidArgumentError(kind + " name must not be empty");
  if (Utf8Length(name) > max_chars) {
    return InvalidArgumentError(kind + " name '" + name + "' is longer than " +
                                std::to_string(max_chars) + " characters");
  }
  return Status::Ok();
}

Status CheckTokenHash(const std::string& token_hash) {
  bool hex = token_hash.size() == kTokenHashLength;
  for (const char c : token_hash) {
    hex = hex && ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'));
  }
  if (!hex) {
    return InvalidArgumentError(
        "token hash must be the SHA-256 of the token as 64 lower-case hex digits");
  }
  return Status::Ok();
}

Status CompanyNotFoundError(int64_t company_id) {
  return NotFoundError("company " + std::to_string(company_id) + " does not exist");
}

Status ConnectionNotFoundError(int64_t company_id, const std::string& name) {
  return NotFoundError("company " + std::to_string(company_id) + " has no connection '" + name +
                       "'");
}

Status TokenHashTakenError() {
  return AlreadyExistsError("an agent or user with this token is already registered");
}

bool IsValidToolLevel(ToolLevel level) {
  const int value = static_cast<int>(level);
  return value >= static_cast<int>(ToolLevel::kNone) && value <= static_cast<int>(ToolLevel::kAdmin);
}

std::string DescribeUser(ToolLevel level, bool can_push) {
  return "level " + std::string(ToolLevelKeyword(level)) + ", can-push " +
         (can_push ? "on" : "off");
}

Status CheckNewUser(const NewUser& user, const std::string& token_hash) {
  ERPSYNC_RETURN_IF_ERROR(CheckName("user", user.name, kMaxUserNameChars));
  if (!IsValidToolLevel(user.level)) {
    return InvalidArgumentError("user '" + user.name + "' has an invalid tool level " +
                                std::to_string(static_cast<int>(user.level)));
  }
  return CheckTokenHash(token_hash);
}

Status CheckUserChange(int64_t user_id, const UserChange& change) {
  const std::string name = "user " + std::to_string(user_id);
  if (!change.level && !change.can_push_to_accounting) {
    return InvalidArgumentError("changing " + name + ": nothing to change");
  }
  if (change.level && !IsValidToolLevel(*change.level)) {
    return InvalidArgumentError("changing " + name + ": invalid tool level " +
                                std::to_string(static_cast<int>(*change.level)));
  }
  return Status::Ok();
}

Result<UserChangeValues> ApplyUserChange(const UserChange& change, UserInfo& user) {
  if (user.revoked) {
    return FailedPreconditionError("user " + std::to_string(user.id) +
                                   " is revoked; add a new user instead");
  }
  UserChangeValues values;
  values.old_value = DescribeUser(user.level, user.can_push_to_accounting);
  user.level = change.level.value_or(user.level);
  user.can_push_to_accounting =
      change.can_push_to_accounting.value_or(user.can_push_to_accounting);
  values.new_value = DescribeUser(user.level, user.can_push_to_accounting);
  return values;
}

Result<Connection> ResolveConnection(DirectoryStore& directory, int64_t company_id,
                                     const std::string& company_name, const std::string& name) {
  if (!name.empty()) {
    Result<Connection> connection = directory.FindConnection(company_id, name);
    if (!connection.ok() && connection.status().code() == StatusCode::kNotFound) {
      return NotFoundError("company '" + company_name + "' has no ERP connection '" + name + "'");
    }
    return connection;
  }
  ERPSYNC_ASSIGN_OR_RETURN(const std::vector<Connection> connections,
                           directory.ListConnections(company_id));
  if (connections.size() == 1) return connections.front();
  if (connections.empty()) {
    return FailedPreconditionError("company '" + company_name +
                                   "' has no ERP connection yet; enroll an agent and sync first");
  }
  return InvalidArgumentError("connection: company '" + company_name + "' has " +
                              std::to_string(connections.size()) +
                              " ERP connections; name one (--connection)");
}

}  // namespace store_internal
}  // namespace erpsync::server
