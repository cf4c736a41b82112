// Who may do what in ERP Integrations (DOMAIN.md, Permissions), as checks
// on an authenticated user (a Principal of kind kUser):
//   kView     Read Only or higher: see items, queues, history, settings;
//   kEdit     Standard or higher: create, edit, send, retrieve, re-send,
//             lock/unlock budgets, archive, import. Any Standard user of the
//             company may act on any of its items (not only the creator's):
//             the cloud's "rights on the source object" are the project's,
//             which this server does not model;
//   kApprove  accounting approver, Standard or Admin with Can Push to
//             Accounting: accept, reject, unlink, update cost codes, and
//             the Sync and Refresh buttons (sync requests to the agent:
//             the product's FAQ);
//   kAdmin    Admin: settings, other users' notification preferences;
//   kOwn      any level, None included: one's own account (notification
//             preferences).
// Pure functions; thread-safe.
#ifndef ERPSYNC_SERVER_APPROVAL_PERMISSIONS_H_
#define ERPSYNC_SERVER_APPROVAL_PERMISSIONS_H_

#include <string_view>

#include "common/status.h"
#include "server/store/store_types.h"

namespace erpsync::server {

enum class Permission { kView, kEdit, kApprove, kAdmin, kOwn };

// OK when `user` has `permission`; PERMISSION_DENIED otherwise, naming the
// user, their level and what `doing` ("accepting item 7") needs: "user 'pat'
// has Standard access to ERP Integrations without Can Push to Accounting;
// accepting item 7 needs an accounting approver (Standard or Admin with Can
// Push to Accounting)".
Status RequirePermission(const Principal& user, Permission permission, std::string_view doing);

// True when `user` is an accounting approver.
bool IsApprover(const Principal& user);

}  // namespace erpsync::server

#endif  // ERPSYNC_SERVER_APPROVAL_PERMISSIONS_H_
