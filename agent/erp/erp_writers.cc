#include "agent/erp/erp_writers.h"

#include "common/record_codec.h"

namespace erpsync::agent {
namespace {

Status NoContent(const v1::ExportItem& item, const char* what) {
  return InvalidArgumentError("the export of item " + std::to_string(item.item_id()) + " has no " +
                              what + " content");
}

}  // namespace

std::string ErpKey(std::initializer_list<std::string_view> parts) {
  std::string key;
  bool first = true;
  for (const std::string_view part : parts) {
    AppendKeyPart(part, first, &key);
    first = false;
  }
  return key;
}

std::string ExportBatch(int64_t item_id, int64_t version) {
  return "EX-" + std::to_string(item_id) + "-" + std::to_string(version);
}

Result<std::vector<std::string>> WriteExport(const ExportWrite& write) {
  const v1::ExportItem& item = *write.item;
  const v1::ItemContent& content = item.content();
  switch (item.type()) {
    case v1::JOB:
      if (!content.has_job()) return NoContent(item, "job");
      return WriteJob(write);
    case v1::SUB_JOB:
      if (!content.has_sub_job()) return NoContent(item, "sub job");
      return WriteSubJob(write);
    case v1::VENDOR:
      if (!content.has_vendor()) return NoContent(item, "vendor");
      return WriteVendor(write);
    case v1::COST_CODE_UPDATE:
      if (!content.has_cost_code_update()) return NoContent(item, "cost code update");
      return WriteCostCodeUpdate(write);
    case v1::COMMITMENT:
      if (!content.has_commitment()) return NoContent(item, "commitment");
      return WriteCommitment(write);
    case v1::COMMITMENT_CHANGE_ORDER:
      if (!content.has_commitment_change_order()) {
        return NoContent(item, "commitment change order");
      }
      return WriteCommitmentChangeOrder(write);
    case v1::BUDGET:
      if (!content.has_budget()) return NoContent(item, "budget");
      return WriteBudget(write, /*change=*/false);
    case v1::BUDGET_CHANGE:
      if (!content.has_budget_change()) return NoContent(item, "budget change");
      return WriteBudget(write, /*change=*/true);
    case v1::PRIME_CONTRACT_CHANGE_ORDER:
      if (!content.has_prime_contract_change_order()) {
        return NoContent(item, "prime contract change order");
      }
      return WritePrimeContractChangeOrder(write);
    case v1::SUBCONTRACTOR_INVOICE:
      if (!content.has_subcontractor_invoice()) return NoContent(item, "subcontractor invoice");
      return WriteSubcontractorInvoice(write);
    default:
      return InvalidArgumentError("the export of item " + std::to_string(item.item_id()) +
                                  " has an unknown type (" + std::to_string(item.type()) + ")");
  }
}

}  // namespace erpsync::agent
