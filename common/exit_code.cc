#include "common/exit_code.h"

namespace erpsync {

int ExitCodeFor(const Status& status) {
  if (!status.ok() && status.origin() == ErrorOrigin::kErp) return kExitErpFailure;
  if (!status.ok() && status.origin() == ErrorOrigin::kTls) return kExitUsage;
  switch (status.code()) {
    case StatusCode::kOk: return kExitOk;
    case StatusCode::kUnavailable:
    case StatusCode::kDeadlineExceeded: return kExitUnavailable;
    case StatusCode::kUnauthenticated:
    case StatusCode::kPermissionDenied: return kExitNoPermission;
    case StatusCode::kInternal:
    case StatusCode::kUnknown: return kExitSoftware;
    case StatusCode::kDataLoss: return kExitDataError;
    default: return kExitFailure;
  }
}

}  // namespace erpsync
