#include "server/approval/export_results.h"

#include "server/approval/item_state_machine.h"

namespace erpsync::server {
namespace {

std::string ItemName(int64_t item_id) { return "item " + std::to_string(item_id); }

// "synced with ERP keys C-1 C-1|1", "failed to export: key in use".
std::string Described(bool ok, const std::vector<std::string>& erp_keys,
                      const std::string& erp_message) {
  if (!ok) return "failed to export: " + erp_message;
  if (erp_keys.empty()) return "synced with no ERP key";
  std::string text = "synced with ERP keys";
  for (const std::string& key : erp_keys) text += " " + key;
  return text;
}

}  // namespace

Result<ExportResultMatch> MatchExportResult(const ApprovalItem& item, const Connection& reporter,
                                            const ExportOutcome& outcome) {
  const std::string name = ItemName(item.id);
  if (item.company_id != reporter.company_id) return NotFoundError(name + " does not exist");
  if (outcome.version <= 0) {
    return InvalidArgumentError("version: the result of " + name +
                                " must name the version its export was delivered with, not " +
                                std::to_string(outcome.version));
  }
  if (item.connection_id != reporter.id) {
    return FailedPreconditionError(name + " was never delivered to connection '" + reporter.name +
                                   "': it is an item of connection '" + item.connection_name + "'");
  }
  const std::string version = std::to_string(outcome.version);
  const std::string delivered = std::to_string(item.delivered_version);
  if (item.state == v1::EXPORT_DELIVERED) {
    if (outcome.version == item.delivered_version) return ExportResultMatch::kApply;
    if (outcome.version < item.delivered_version) {
      return FailedPreconditionError("the result of " + name + " for version " + version +
                                     " is stale: its export was delivered at version " + delivered);
    }
    return FailedPreconditionError(name + " was never delivered at version " + version +
                                   ": its export was delivered at version " + delivered);
  }
  const bool answered = item.state == v1::SYNCED || item.state == v1::FAILED_TO_EXPORT;
  if (answered && item.delivered_version != 0 && outcome.version == item.delivered_version) {
    const bool same =
        outcome.ok ? item.state == v1::SYNCED && item.erp_keys == outcome.erp_keys
                   : item.state == v1::FAILED_TO_EXPORT && item.erp_message == outcome.erp_message;
    if (same) return ExportResultMatch::kRepeat;
    return FailedPreconditionError(
        name + " already has the result of its export delivered at version " + delivered + " (" +
        Described(item.state == v1::SYNCED, item.erp_keys, item.erp_message) +
        "); a different result (" + Described(outcome.ok, outcome.erp_keys, outcome.erp_message) +
        ") is refused");
  }
  return FailedPreconditionError(name + " waits for no export result for version " + version +
                                 ": it is " + ItemStateName(item.state));
}

}  // namespace erpsync::server
