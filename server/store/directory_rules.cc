#include "server/store/directory_rules.h"

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

bool IsValidToolLevel(ToolLevel level) {
  const int value = static_cast<int>(level);
  return value >= static_cast<int>(ToolLevel::kNone) && value <= static_cast<int>(ToolLevel::kAdmin);
}

std::string DescribeUser(ToolLevel level, bool can_push) {
  return "level " + std::string(ToolLevelKeyword(level)) + ", can-push " +
         (can_push ? "on" : "off");
}

}  // namespace store_internal
}  // namespace erpsync::server
