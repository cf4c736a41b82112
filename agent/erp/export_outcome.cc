#include "agent/erp/export_outcome.h"

namespace erpsync::agent {

std::string_view ExportOutcomeKindName(ExportOutcome::Kind kind) {
  switch (kind) {
    case ExportOutcome::Kind::kApplied:
      return "applied";
    case ExportOutcome::Kind::kAlreadyApplied:
      return "already applied";
    case ExportOutcome::Kind::kRejected:
      return "rejected";
    case ExportOutcome::Kind::kTransient:
      return "transient";
  }
  return "unknown";
}

}  // namespace erpsync::agent
