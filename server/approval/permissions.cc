#include "server/approval/permissions.h"

#include <string>

#include "server/auth/authenticator.h"

namespace erpsync::server {

bool IsApprover(const Principal& user) {
  return user.kind == PrincipalKind::kUser && user.level >= ToolLevel::kStandard &&
         user.can_push_to_accounting;
}

Status RequirePermission(const Principal& user, Permission permission, std::string_view doing) {
  if (user.kind != PrincipalKind::kUser) {
    return PermissionDeniedError(
        "an agent token cannot act as a user; use a token from "
        "`erpsync-server user add`");
  }
  const std::string who = "user '" + user.user_name + "' has " +
                          std::string(ToolLevelName(user.level)) + " access to ERP Integrations";
  ToolLevel minimum = ToolLevel::kReadOnly;
  switch (permission) {
    case Permission::kOwn:
      return Status::Ok();
    case Permission::kView:
      minimum = ToolLevel::kReadOnly;
      break;
    case Permission::kEdit:
      minimum = ToolLevel::kStandard;
      break;
    case Permission::kAdmin:
      minimum = ToolLevel::kAdmin;
      break;
    case Permission::kApprove:
      if (IsApprover(user)) return Status::Ok();
      return PermissionDeniedError(
          who + (user.level >= ToolLevel::kStandard ? " without Can Push to Accounting" : "") +
          "; " + std::string(doing) +
          " needs an accounting approver (Standard or Admin with Can Push to Accounting)");
  }
  if (user.level >= minimum) return Status::Ok();
  return PermissionDeniedError(who + "; " + std::string(doing) + " needs " +
                               std::string(ToolLevelName(minimum)) +
                               (minimum == ToolLevel::kAdmin ? "" : " or higher"));
}

}  // namespace erpsync::server
