#include "server/approval/item_rules.h"

#include <map>
#include <set>
#include <utility>
#include <vector>

#include "common/erp_field_widths.h"
#include "common/record_codec.h"
#include "server/approval/budget_import.h"
#include "server/approval/item_content.h"
#include "server/approval/item_state_machine.h"

namespace erpsync::server {
namespace {

constexpr int kProjectItemsLimit = 1000;

std::string Line(const std::string& prefix, int index) {
  return prefix + ".lines[" + std::to_string(index) + "]";
}

std::string ItemRef(const ApprovalItem& item) {
  return ItemTypeName(item.type) + " " + std::to_string(item.id);
}

Status Refuse(const ApprovalItem& item, const std::string& reason) {
  return FailedPreconditionError("cannot send " + ItemRef(item) + ": " + reason);
}

// OK when `value` of `field` fits the ERP's `width` (common/
// erp_field_widths.h); the emptiness of a required value is checked
// before. "content.commitment.title: '...' is 31 characters; it must be 1
// to 30 (Sage 300 CRE's limit): shorten it" ("at most 30" when optional).
Status CheckFits(const ApprovalItem& item, const std::string& field, const std::string& value,
                 size_t width, bool required) {
  const size_t length = Utf8Length(value);
  if (length <= width) return Status::Ok();
  return Refuse(item, field + ": '" + value + "' is " + std::to_string(length) +
                          " characters; it must be " + (required ? "1 to " : "at most ") +
                          std::to_string(width) + " (Sage 300 CRE's limit): shorten it");
}

std::string JobCostCodeKey(const std::string& job, const std::string& extra,
                           const std::string& cost_code) {
  std::string key;
  AppendKeyPart(job, true, &key);
  AppendKeyPart(extra, false, &key);
  AppendKeyPart(cost_code, false, &key);
  return key;
}

// States in which an item is, or is on its way to being, an ERP record.
bool InOrBoundForErp(v1::ItemState state) {
  return state == v1::SENT || state == v1::QUEUED_FOR_EXPORT || state == v1::EXPORT_DELIVERED ||
         state == v1::SYNCED;
}

}  // namespace

std::string_view ItemRules::LinkedEntity(v1::ItemType type) {
  switch (type) {
    case v1::JOB:
      return kErpJobs;
    case v1::SUB_JOB:
      return kErpExtras;
    case v1::VENDOR:
      return kErpVendors;
    case v1::COMMITMENT:
      return kErpCommitments;
    case v1::COMMITMENT_CHANGE_ORDER:
      return kErpCommitmentChangeOrders;
    case v1::SUBCONTRACTOR_INVOICE:
      return kErpApInvoices;
    default:
      return "";
  }
}

Result<ApprovalItem> ItemRules::Project(const ApprovalItem& item) {
  if (item.project_id == 0) {
    return FailedPreconditionError(ItemRef(item) + " belongs to no project");
  }
  return store_->GetItem(item.company_id, item.project_id);
}

Result<std::string> ItemRules::ProjectErpJob(const ApprovalItem& item) {
  ERPSYNC_ASSIGN_OR_RETURN(const ApprovalItem project, Project(item));
  if (project.erp_key.empty()) {
    return FailedPreconditionError(
        "project " + std::to_string(project.id) + " (" + project.title +
        ") is not linked to an ERP job yet; import the job (erpsync-ctl import job KEY) or send "
        "the project for export and wait until it is synced");
  }
  return project.erp_key;
}

Status ItemRules::CheckStandardCostCode(const ApprovalItem& item, const std::string& field,
                                        const std::string& code) {
  ERPSYNC_ASSIGN_OR_RETURN(const bool exists,
                           erp_->ExistsLive(item.connection_id, kErpStandardCostCodes, code));
  if (!exists) {
    return Refuse(item, field + ": cost code '" + code +
                            "' is not in the ERP's standard cost code list; use a standard cost "
                            "code (erpsync-ctl records list --entity standard_cost_code)");
  }
  return Status::Ok();
}

Status ItemRules::CheckStandardCategory(const ApprovalItem& item, const std::string& field,
                                        const std::string& category, bool required) {
  if (category.empty()) {
    if (!required) return Status::Ok();
    return Refuse(item, field + ": a category is required with a cost code (the ERP's job cost "
                                "entries need one)");
  }
  ERPSYNC_ASSIGN_OR_RETURN(const bool exists,
                           erp_->ExistsLive(item.connection_id, kErpStandardCategories, category));
  if (!exists) {
    return Refuse(
        item, field + ": category '" + category + "' is not in the ERP's standard category list");
  }
  return Status::Ok();
}

Status ItemRules::CheckNotInErp(const ApprovalItem& item, std::string_view entity,
                                const std::string& key, const std::string& what) {
  ERPSYNC_ASSIGN_OR_RETURN(const std::vector<ApprovalItem> others,
                           store_->FindByErpKey(item.connection_id, item.type, key));
  for (const ApprovalItem& other : others) {
    if (other.id == item.id) continue;
    if (other.erp_key == key || InOrBoundForErp(other.state)) {
      return Refuse(
          item, what + " is already " + ItemRef(other) + " (" + ItemStateName(other.state) + ")");
    }
  }
  ERPSYNC_ASSIGN_OR_RETURN(const bool exists, erp_->ExistsLive(item.connection_id, entity, key));
  if (exists) {
    return Refuse(item, what + " already exists in the ERP; import it instead of creating it");
  }
  return Status::Ok();
}

Status ItemRules::PrepareJob(const ApprovalItem& item) {
  const v1::JobContent& job = item.content.job();
  if (item.origin == v1::IMPORTED) {
    return Refuse(item, "it was imported from ERP job '" + item.erp_key +
                            "'; a job is never both imported from and created for the ERP");
  }
  if (job.job().empty()) return Refuse(item, "content.job.job: the ERP job number is required");
  return CheckNotInErp(item, kErpJobs, job.job(),
                       "job '" + job.job() + "' (erpsync-ctl import job " + job.job() + ")");
}

Status ItemRules::PrepareVendor(const ApprovalItem& item) {
  const v1::VendorContent& vendor = item.content.vendor();
  if (item.origin == v1::IMPORTED) {
    return Refuse(item, "it was imported from ERP vendor '" + item.erp_key + "'");
  }
  if (vendor.vendor().empty())
    return Refuse(item, "content.vendor.vendor: the vendor key is required");
  if (vendor.name().empty() || Utf8Length(vendor.name()) > kDescriptionWidth) {
    return Refuse(item, "content.vendor.name: a name of 1 to " + std::to_string(kDescriptionWidth) +
                            " characters is required (Sage 300 CRE's limit)");
  }
  return CheckNotInErp(item, kErpVendors, vendor.vendor(), "vendor '" + vendor.vendor() + "'");
}

Status ItemRules::PrepareSubJob(const ApprovalItem& item) {
  ERPSYNC_ASSIGN_OR_RETURN(const std::string job, ProjectErpJob(item));
  const std::string& extra = item.content.sub_job().extra();
  if (extra.empty()) return Refuse(item, "content.sub_job.extra: the ERP extra is required");
  std::string key;
  AppendKeyPart(job, true, &key);
  AppendKeyPart(extra, false, &key);
  ERPSYNC_ASSIGN_OR_RETURN(const bool exists,
                           erp_->ExistsLive(item.connection_id, kErpExtras, key));
  if (exists) {
    return Refuse(item, "extra '" + extra + "' of job '" + job +
                            "' already exists in the ERP; import it (erpsync-ctl import sub-job '" +
                            key + "')");
  }
  return Status::Ok();
}

Status ItemRules::PrepareCostCodeUpdate(const ApprovalItem& item) {
  ERPSYNC_ASSIGN_OR_RETURN(const std::string job, ProjectErpJob(item));
  const v1::CostCodeUpdateContent& update = item.content.cost_code_update();
  if (update.lines_size() == 0) return Refuse(item, "it has no cost codes");
  // The project cost codes (extra, cost code) other updates of the project
  // add or are adding, and which update.
  std::map<std::pair<std::string, std::string>, const ApprovalItem*> taken;
  ERPSYNC_ASSIGN_OR_RETURN(const std::vector<ApprovalItem> others,
                           ProjectItems(item, v1::COST_CODE_UPDATE, v1::ITEM_STATE_UNSPECIFIED));
  for (const ApprovalItem& other : others) {
    if (other.id == item.id || !InOrBoundForErp(other.state)) continue;
    for (const v1::CostCodeUpdateLine& line : other.content.cost_code_update().lines()) {
      taken.emplace(std::pair(line.extra(), line.cost_code()), &other);
    }
  }
  std::map<std::pair<std::string, std::string>, int> lines;
  for (int i = 0; i < update.lines_size(); ++i) {
    const v1::CostCodeUpdateLine& line = update.lines(i);
    const std::string field = Line("content.cost_code_update", i) + ".cost_code";
    if (line.cost_code().empty()) return Refuse(item, field + ": a cost code is required");
    const std::string code = "cost code '" + line.cost_code() + "'" +
                             (line.extra().empty() ? "" : " (extra '" + line.extra() + "')");
    const auto [first, inserted] = lines.emplace(std::pair(line.extra(), line.cost_code()), i);
    if (!inserted) {
      return Refuse(item, field + ": " + code + " is on line " + std::to_string(first->second) +
                              " already; remove one of them");
    }
    ERPSYNC_RETURN_IF_ERROR(CheckStandardCostCode(item, field, line.cost_code()));
    ERPSYNC_ASSIGN_OR_RETURN(const bool exists,
                             erp_->ExistsLive(item.connection_id, kErpJobCostCodes,
                                              JobCostCodeKey(job, line.extra(), line.cost_code())));
    if (exists) {
      return Refuse(item, field + ": job '" + job + "' already has cost code '" + line.cost_code() +
                              "' in the ERP; remove the line");
    }
    const auto other = taken.find({line.extra(), line.cost_code()});
    if (other != taken.end()) {
      return Refuse(item, field + ": " + code + " of job '" + job + "' is already updated by " +
                              ItemRef(*other->second) + " (" + ItemStateName(other->second->state) +
                              "); two updates of one project cost code are never both "
                              "accepted: remove the line");
    }
  }
  return Status::Ok();
}

template <typename Lines>
Status ItemRules::CheckCostLines(const ApprovalItem& item, const std::string& prefix,
                                 const Lines& lines, bool category_required) {
  if (lines.empty()) return Refuse(item, "it has no lines");
  for (int i = 0; i < lines.size(); ++i) {
    const std::string field = Line(prefix, i);
    const auto& line = lines.Get(i);
    if (line.cost_code().empty()) {
      return Refuse(item, field + ".cost_code: a cost code is required");
    }
    ERPSYNC_RETURN_IF_ERROR(CheckStandardCostCode(item, field + ".cost_code", line.cost_code()));
    ERPSYNC_RETURN_IF_ERROR(
        CheckStandardCategory(item, field + ".category", line.category(), category_required));
    // The ERP's entry lines take a description of at most 30 characters.
    ERPSYNC_RETURN_IF_ERROR(CheckFits(item, field + ".description", line.description(),
                                      kDescriptionWidth, /*required=*/false));
    if (line.amount().empty()) return Refuse(item, field + ".amount: an amount is required");
  }
  return Status::Ok();
}

Status ItemRules::PrepareBudget(const ApprovalItem& item, const v1::BudgetContent& budget,
                                const std::string& field) {
  ERPSYNC_RETURN_IF_ERROR(ProjectErpJob(item).status());
  // Budget lines become job cost estimate entries, which need a category.
  return CheckCostLines(item, field, budget.lines(), /*category_required=*/true);
}

Status ItemRules::CheckNoErpEstimates(const ApprovalItem& item) {
  ERPSYNC_ASSIGN_OR_RETURN(const std::string job, ProjectErpJob(item));
  ERPSYNC_ASSIGN_OR_RETURN(const bool estimates, HasEstimates(*erp_, item.connection_id, job));
  if (!estimates) return Status::Ok();
  return Refuse(item, "ERP job '" + job +
                          "' already has estimates (Original estimate or Approved est chg "
                          "transactions); exporting this budget would add to them: import the "
                          "ERP's budget instead (erpsync-ctl import budget " +
                          job + ") and send changes to it as budget changes");
}

Status ItemRules::PrepareCommitment(const ApprovalItem& item) {
  const v1::CommitmentContent& commitment = item.content.commitment();
  const std::string prefix = "content.commitment";
  if (commitment.id().empty() || Utf8Length(commitment.id()) > kCommitmentWidth) {
    return Refuse(item, prefix + ".id: '" + commitment.id() + "' must be 1 to " +
                            std::to_string(kCommitmentWidth) +
                            " characters (Sage 300 CRE's commitment id limit)");
  }
  if (commitment.title().empty()) {
    return Refuse(item, prefix + ".title: a title of 1 to " + std::to_string(kDescriptionWidth) +
                            " characters is required (Sage 300 CRE's limit)");
  }
  ERPSYNC_RETURN_IF_ERROR(CheckFits(item, prefix + ".title", commitment.title(), kDescriptionWidth,
                                    /*required=*/true));
  if (commitment.status() != v1::APPROVED && commitment.status() != v1::COMPLETE) {
    return Refuse(item, prefix + ".status: the commitment is " +
                            v1::CommitmentStatus_Name(commitment.status()) +
                            "; only APPROVED or COMPLETE commitments are sent to the ERP");
  }
  if (commitment.commitment_type() == v1::COMMITMENT_TYPE_UNSPECIFIED) {
    return Refuse(item, prefix + ".commitment_type: SUBCONTRACT or PURCHASE_ORDER is required");
  }
  ERPSYNC_RETURN_IF_ERROR(ProjectErpJob(item).status());
  if (commitment.vendor().empty()) {
    return Refuse(item, prefix + ".vendor: the vendor must be linked to an ERP vendor");
  }
  ERPSYNC_ASSIGN_OR_RETURN(const bool vendor,
                           erp_->ExistsLive(item.connection_id, kErpVendors, commitment.vendor()));
  if (!vendor) {
    return Refuse(item, prefix + ".vendor: '" + commitment.vendor() +
                            "' is not linked to an ERP vendor (no such vendor in the ERP); import "
                            "or export the vendor first");
  }
  bool has_standard_line = false;
  for (int i = 0; i < commitment.lines_size(); ++i) {
    const v1::CommitmentLine& line = commitment.lines(i);
    if (line.cost_code().empty()) continue;
    ERPSYNC_RETURN_IF_ERROR(
        CheckStandardCostCode(item, Line(prefix, i) + ".cost_code", line.cost_code()));
    ERPSYNC_RETURN_IF_ERROR(
        CheckStandardCategory(item, Line(prefix, i) + ".category", line.category(),
                              /*category_required=*/true));
    has_standard_line = true;
  }
  if (!has_standard_line) {
    return Refuse(item, "a commitment needs at least one line with an ERP standard cost code");
  }
  return CheckNotInErp(item, kErpCommitments, commitment.id(),
                       "commitment '" + commitment.id() + "'");
}

Result<ApprovalItem> ItemRules::SyncedCommitment(const ApprovalItem& item,
                                                 int64_t commitment_item_id,
                                                 const std::string& field) {
  if (commitment_item_id == 0) {
    return Refuse(item, field + ": the commitment (a commitment item id) is required");
  }
  Result<ApprovalItem> commitment = store_->GetItem(item.company_id, commitment_item_id);
  if (!commitment.ok()) {
    if (commitment.status().code() != StatusCode::kNotFound) return commitment.status();
    return Refuse(item, field + ": item " + std::to_string(commitment_item_id) + " does not exist");
  }
  if (commitment->type != v1::COMMITMENT) {
    return Refuse(item, field + ": item " + std::to_string(commitment_item_id) + " is a " +
                            ItemTypeName(commitment->type) + ", not a commitment");
  }
  if (commitment->state != v1::SYNCED) {
    return Refuse(item, field + ": commitment " + std::to_string(commitment_item_id) + " is " +
                            ItemStateName(commitment->state) +
                            "; change orders and invoices apply only to synced commitments");
  }
  if (commitment->project_id != item.project_id) {
    return Refuse(item, field + ": commitment " + std::to_string(commitment_item_id) +
                            " belongs to project " + std::to_string(commitment->project_id) +
                            ", not to project " + std::to_string(item.project_id));
  }
  return commitment;
}

Status ItemRules::PrepareChangeOrder(ApprovalItem* item) {
  v1::CommitmentChangeOrderContent* order = item->content.mutable_commitment_change_order();
  const std::string prefix = "content.commitment_change_order";
  ERPSYNC_ASSIGN_OR_RETURN(
      const ApprovalItem commitment,
      SyncedCommitment(*item, order->commitment_item_id(), prefix + ".commitment_item_id"));
  if (order->number().empty()) return Refuse(*item, prefix + ".number: a number is required");
  if (order->lines_size() == 0) return Refuse(*item, "it has no lines");
  std::set<std::string> existing;
  for (const v1::CommitmentLine& line : commitment.content.commitment().lines()) {
    existing.insert(line.item());
  }
  // One change per commitment line: duplicates are summed into the first.
  std::vector<v1::ChangeOrderLine> merged;
  std::vector<int64_t> totals;
  std::map<std::string, size_t> index_of;
  for (int i = 0; i < order->lines_size(); ++i) {
    const v1::ChangeOrderLine& line = order->lines(i);
    const std::string field = Line(prefix, i);
    if (line.item().empty()) return Refuse(*item, field + ".item: the commitment line is required");
    if (line.amount().empty()) return Refuse(*item, field + ".amount: an amount is required");
    ERPSYNC_ASSIGN_OR_RETURN(const int64_t amount, ParseMoney(field + ".amount", line.amount()));
    if (!existing.contains(line.item())) {
      if (line.cost_code().empty()) {
        return Refuse(*item, field + ".cost_code: line '" + line.item() +
                                 "' is new on commitment " + commitment.content.commitment().id() +
                                 "; a new line needs a cost code");
      }
      ERPSYNC_RETURN_IF_ERROR(CheckStandardCostCode(*item, field + ".cost_code", line.cost_code()));
      ERPSYNC_RETURN_IF_ERROR(CheckStandardCategory(*item, field + ".category", line.category(),
                                                    /*required=*/false));
    }
    auto [it, inserted] = index_of.emplace(line.item(), merged.size());
    if (inserted) {
      merged.push_back(line);
      totals.push_back(amount);
    } else {
      totals[it->second] += amount;
      v1::ChangeOrderLine& first = merged[it->second];
      if (first.description().empty()) first.set_description(line.description());
    }
  }
  order->clear_lines();
  for (size_t i = 0; i < merged.size(); ++i) {
    merged[i].set_amount(FormatMoney(totals[i]));
    *order->add_lines() = std::move(merged[i]);
  }
  return Status::Ok();
}

Status ItemRules::PreparePrimeContractChangeOrder(const ApprovalItem& item) {
  const v1::PrimeContractChangeOrderContent& order = item.content.prime_contract_change_order();
  const std::string prefix = "content.prime_contract_change_order";
  ERPSYNC_ASSIGN_OR_RETURN(const std::string job, ProjectErpJob(item));
  if (order.number().empty()) return Refuse(item, prefix + ".number: a number is required");
  ERPSYNC_RETURN_IF_ERROR(
      CheckFits(item, prefix + ".number", order.number(), kChangeOrderWidth, /*required=*/true));
  ERPSYNC_RETURN_IF_ERROR(
      CheckFits(item, prefix + ".title", order.title(), kDescriptionWidth, /*required=*/false));
  // The agent writes the change order onto the job's first prime contract
  // (by contract number), as this does.
  bool has_contract = false;
  ERPSYNC_RETURN_IF_ERROR(
      erp_->ForEachLive(item.connection_id, kErpContracts, "", [&](const ErpRow& row) {
        has_contract = row.Text("job") == job;
        return !has_contract;
      }));
  if (!has_contract) {
    return Refuse(item, "ERP job '" + job +
                            "' has no prime contract (Contract (CN)); a prime contract change "
                            "order changes it: set up the job's contract in Sage 300 CRE and "
                            "sync Contract (CN)");
  }
  return CheckCostLines(item, prefix, order.lines(), /*category_required=*/false);
}

Status ItemRules::PrepareInvoice(const ApprovalItem& item) {
  const v1::SubcontractorInvoiceContent& invoice = item.content.subcontractor_invoice();
  const std::string prefix = "content.subcontractor_invoice";
  ERPSYNC_ASSIGN_OR_RETURN(
      const ApprovalItem commitment,
      SyncedCommitment(item, invoice.commitment_item_id(), prefix + ".commitment_item_id"));
  if (invoice.invoice().empty())
    return Refuse(item, prefix + ".invoice: an invoice number is required");
  if (invoice.invoice_date().empty()) {
    return Refuse(item, prefix + ".invoice_date: an invoice date is required");
  }
  if (invoice.lines_size() == 0) return Refuse(item, "it has no lines");
  std::set<std::string> existing;
  for (const v1::CommitmentLine& line : commitment.content.commitment().lines()) {
    existing.insert(line.item());
  }
  for (int i = 0; i < invoice.lines_size(); ++i) {
    const v1::InvoiceLine& line = invoice.lines(i);
    if (!existing.contains(line.item())) {
      return Refuse(item, Line(prefix, i) + ".item: '" + line.item() +
                              "' is not a line of commitment " +
                              commitment.content.commitment().id());
    }
    if (line.amount().empty())
      return Refuse(item, Line(prefix, i) + ".amount: an amount is required");
  }
  return Status::Ok();
}

Status ItemRules::PrepareSend(ApprovalItem* item) {
  switch (item->type) {
    case v1::JOB:
      return PrepareJob(*item);
    case v1::VENDOR:
      return PrepareVendor(*item);
    case v1::SUB_JOB:
      return PrepareSubJob(*item);
    case v1::COST_CODE_UPDATE:
      return PrepareCostCodeUpdate(*item);
    case v1::BUDGET:
      if (!item->budget_locked) {
        return Refuse(*item, "a budget must be locked before it is sent (erpsync-ctl items lock " +
                                 std::to_string(item->id) + ")");
      }
      ERPSYNC_RETURN_IF_ERROR(PrepareBudget(*item, item->content.budget(), "content.budget"));
      return CheckNoErpEstimates(*item);
    case v1::BUDGET_CHANGE: {
      ERPSYNC_RETURN_IF_ERROR(
          PrepareBudget(*item, item->content.budget_change(), "content.budget_change"));
      ItemFilter filter;
      filter.type = v1::BUDGET;
      filter.project_id = item->project_id;
      filter.state = v1::SYNCED;
      filter.limit = 1;
      ERPSYNC_ASSIGN_OR_RETURN(const ItemPage budgets, store_->ListItems(item->company_id, filter));
      if (budgets.items.empty()) {
        return Refuse(*item, "budget changes apply to an exported budget; project " +
                                 std::to_string(item->project_id) + " has no synced budget");
      }
      return Status::Ok();
    }
    case v1::COMMITMENT:
      return PrepareCommitment(*item);
    case v1::COMMITMENT_CHANGE_ORDER:
      return PrepareChangeOrder(item);
    case v1::PRIME_CONTRACT_CHANGE_ORDER:
      return PreparePrimeContractChangeOrder(*item);
    case v1::SUBCONTRACTOR_INVOICE:
      return PrepareInvoice(*item);
    default:
      return InternalError("item " + std::to_string(item->id) + " has an unknown type");
  }
}

Status ItemRules::CheckJobCostCodes(const ApprovalItem& item,
                                    const std::vector<std::pair<std::string, std::string>>& codes) {
  ERPSYNC_ASSIGN_OR_RETURN(const std::string job, ProjectErpJob(item));
  std::optional<std::set<std::pair<std::string, std::string>>> updated;
  for (const auto& [extra, cost_code] : codes) {
    ERPSYNC_ASSIGN_OR_RETURN(const bool on_job,
                             erp_->ExistsLive(item.connection_id, kErpJobCostCodes,
                                              JobCostCodeKey(job, extra, cost_code)));
    if (on_job) continue;
    if (!updated) {
      // Synced cost code updates of the project, archived ones included.
      updated.emplace();
      ERPSYNC_ASSIGN_OR_RETURN(const std::vector<ApprovalItem> updates,
                               ProjectItems(item, v1::COST_CODE_UPDATE, v1::SYNCED));
      for (const ApprovalItem& update : updates) {
        for (const v1::CostCodeUpdateLine& line : update.content.cost_code_update().lines()) {
          updated->emplace(line.extra(), line.cost_code());
        }
      }
    }
    if (!updated->contains({extra, cost_code})) {
      return FailedPreconditionError(
          "cannot export " + ItemRef(item) + ": cost code '" + cost_code + "'" +
          (extra.empty() ? "" : " (extra '" + extra + "')") + " is new on job '" + job +
          "'; new project cost codes must be updated first: send a cost code update for project " +
          std::to_string(item.project_id) + " and have an approver update it");
    }
  }
  return Status::Ok();
}

Result<std::vector<ApprovalItem>> ItemRules::ProjectItems(const ApprovalItem& item,
                                                          v1::ItemType type, v1::ItemState state) {
  std::vector<ApprovalItem> items;
  for (const v1::Queue queue : {v1::QUEUE_UNSPECIFIED, v1::ARCHIVED}) {
    ItemFilter filter;
    filter.queue = queue;
    filter.type = type;
    filter.project_id = item.project_id;
    filter.state = state;
    filter.limit = kProjectItemsLimit;
    ERPSYNC_ASSIGN_OR_RETURN(ItemPage page, store_->ListItems(item.company_id, filter));
    for (ApprovalItem& found : page.items) items.push_back(std::move(found));
  }
  return items;
}

Status ItemRules::CheckExport(const ApprovalItem& item) {
  std::vector<std::pair<std::string, std::string>> codes;
  switch (item.type) {
    case v1::COMMITMENT:
      for (const v1::CommitmentLine& line : item.content.commitment().lines()) {
        if (!line.cost_code().empty()) codes.emplace_back(line.extra(), line.cost_code());
      }
      break;
    case v1::COMMITMENT_CHANGE_ORDER:
      for (const v1::ChangeOrderLine& line : item.content.commitment_change_order().lines()) {
        if (!line.cost_code().empty()) codes.emplace_back(line.extra(), line.cost_code());
      }
      break;
    case v1::PRIME_CONTRACT_CHANGE_ORDER:
      for (const v1::PrimeContractChangeOrderLine& line :
           item.content.prime_contract_change_order().lines()) {
        codes.emplace_back(line.extra(), line.cost_code());
      }
      break;
    default:
      return Status::Ok();
  }
  return CheckJobCostCodes(item, codes);
}

Result<v1::ExportItem> ItemRules::BuildExport(const ApprovalItem& item) {
  v1::ExportItem exported;
  exported.set_item_id(item.id);
  // The version the item was queued with: a redelivery carries the version
  // recorded at the first delivery, so the agent's journal recognizes it
  // and its result names what was delivered.
  exported.set_version(item.state == v1::EXPORT_DELIVERED ? item.delivered_version : item.version);
  exported.set_type(item.type);
  *exported.mutable_content() = item.content;
  exported.set_queued_unix(item.queued_unix);
  exported.set_accepted_by(item.accepted_by);
  switch (item.type) {
    case v1::JOB:
      exported.set_erp_job(item.content.job().job());
      break;
    case v1::VENDOR:
      exported.set_erp_vendor(item.content.vendor().vendor());
      break;
    case v1::COMMITMENT:
      exported.set_erp_commitment(item.content.commitment().id());
      exported.set_erp_vendor(item.content.commitment().vendor());
      break;
    case v1::COMMITMENT_CHANGE_ORDER:
    case v1::SUBCONTRACTOR_INVOICE: {
      const int64_t commitment_id =
          item.type == v1::SUBCONTRACTOR_INVOICE
              ? item.content.subcontractor_invoice().commitment_item_id()
              : item.content.commitment_change_order().commitment_item_id();
      ERPSYNC_ASSIGN_OR_RETURN(const ApprovalItem commitment,
                               store_->GetItem(item.company_id, commitment_id));
      exported.set_erp_commitment(commitment.erp_key.empty() ? commitment.erp_ref
                                                             : commitment.erp_key);
      exported.set_erp_vendor(commitment.content.commitment().vendor());
      break;
    }
    default:
      break;
  }
  if (item.project_id != 0) {
    ERPSYNC_ASSIGN_OR_RETURN(const std::string job, ProjectErpJob(item));
    exported.set_erp_job(job);
  }
  return exported;
}

Result<MirroredState> ItemRules::LinkedRecordState(const ApprovalItem& item) {
  const std::string_view entity = LinkedEntity(item.type);
  if (entity.empty()) {
    return FailedPreconditionError(
        ItemRef(item) + " links no single ERP record; " + ItemTypeName(item.type) +
        (item.type == v1::PRIME_CONTRACT_CHANGE_ORDER ? "s are export only"
                                                      : "s are not unlinked"));
  }
  std::set<std::string> keys(item.erp_keys.begin(), item.erp_keys.end());
  if (!item.erp_key.empty()) keys.insert(item.erp_key);
  MirroredState linked = MirroredState::kNeverSeen;
  for (const std::string& key : keys) {
    ERPSYNC_ASSIGN_OR_RETURN(const MirroredState state,
                             erp_->StateOf(item.connection_id, entity, key));
    if (state == MirroredState::kLive) return state;
    if (state == MirroredState::kDeleted) linked = state;
  }
  return linked;
}

Status ItemRules::CheckUnlink(const ApprovalItem& item) {
  ERPSYNC_ASSIGN_OR_RETURN(const MirroredState state, LinkedRecordState(item));
  const std::string key =
      item.erp_key.empty() ? (item.erp_keys.empty() ? "" : item.erp_keys.front()) : item.erp_key;
  switch (state) {
    case MirroredState::kDeleted:
      return Status::Ok();
    case MirroredState::kLive:
      return FailedPreconditionError("its record '" + key +
                                     "' still exists in the ERP; delete it there and sync before "
                                     "unlinking");
    case MirroredState::kNeverSeen:
      break;
  }
  return FailedPreconditionError("its ERP record '" + key +
                                 "' has not come back from the ERP yet: unlink needs it deleted "
                                 "from the ERP (sync, delete it there, sync again)");
}

Result<bool> ItemRules::BudgetEntriesPosted(const ApprovalItem& item) {
  if (item.erp_keys.empty()) return false;
  ERPSYNC_ASSIGN_OR_RETURN(const std::string job, ProjectErpJob(item));
  const std::set<std::string> batches(item.erp_keys.begin(), item.erp_keys.end());
  bool posted = false;
  ERPSYNC_RETURN_IF_ERROR(
      erp_->ForEachLive(item.connection_id, kErpJcTransactions, "", [&](const ErpRow& row) {
        posted = row.Text("job") == job && batches.contains(row.Text("batch"));
        return !posted;
      }));
  return posted;
}

}  // namespace erpsync::server
