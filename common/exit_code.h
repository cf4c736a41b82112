// Process exit codes of the erpsync binaries (BSD sysexits where one fits).
#ifndef ERPSYNC_COMMON_EXIT_CODE_H_
#define ERPSYNC_COMMON_EXIT_CODE_H_

#include "common/status.h"

namespace erpsync {

inline constexpr int kExitOk = 0;
// Anything else that failed (a validation error, a refused request, ...).
inline constexpr int kExitFailure = 1;
// Bad command line or configuration file; also a TLS set-up that does not
// work (ErrorOrigin::kTls: a wrong CA, a certificate for another host, TLS
// on one side only, a client certificate the server refuses).
inline constexpr int kExitUsage = 64;
// Bad input data (a malformed mapping file, a record the ERP cannot hold).
inline constexpr int kExitDataError = 65;
// An input file (ERP database, token file) does not exist.
inline constexpr int kExitNoInput = 66;
// The server could not be reached, even after retrying.
inline constexpr int kExitUnavailable = 69;
// An internal error.
inline constexpr int kExitSoftware = 70;
// The ERP could not be read (or written): locked, unreachable, failing.
inline constexpr int kExitErpFailure = 74;
// The token was refused, or the principal lacks the permission.
inline constexpr int kExitNoPermission = 77;

// The exit code that reports `status` (kExitOk for OK; kExitErpFailure for
// any error whose origin is the ERP, kExitUsage for one whose origin is
// TLS).
int ExitCodeFor(const Status& status);

}  // namespace erpsync

#endif  // ERPSYNC_COMMON_EXIT_CODE_H_
