// Export writers of master records: jobs, extras, vendors, job cost codes,
// commitments with their items, commitment change orders.
#include <cstdint>
#include <set>
#include <utility>

#include "agent/erp/erp_checks.h"
#include "agent/erp/erp_writers.h"
#include "common/decimal.h"

namespace erpsync::agent {
namespace {

constexpr char kNewJobStatus[] = "In progress";
constexpr char kApprovedStatus[] = "Approved";

// Cents of units x unit cost (4 decimals each), rounded half away from zero.
Result<int64_t> Extend(int64_t units4, int64_t unit_cost4) {
  int64_t product = 0;  // 8 decimals
  if (__builtin_mul_overflow(units4, unit_cost4, &product) || product == INT64_MIN) {
    return InvalidArgumentError("Amount of units x unit cost is too large");
  }
  return product >= 0 ? (product + 500000) / 1000000 : -((-product + 500000) / 1000000);
}

// The group code of a sectioned cost code ("03-000" for "03-310"), or
// empty when `cost_code` has no section or is a group code itself.
std::string GroupCodeOf(const std::string& cost_code) {
  const size_t dash = cost_code.rfind('-');
  if (dash == std::string::npos || dash + 1 == cost_code.size()) return "";
  std::string group = cost_code.substr(0, dash + 1);
  group.append(cost_code.size() - dash - 1, '0');
  return group == cost_code ? "" : group;
}

// Adds (job, extra, cost_code) to the job with `description` (the standard
// one when empty) and its group code when the job lacks it. An existing
// cost code keeps its description (Sage does not overwrite it).
Status AddJobCostCode(ErpSql& sql, const std::string& job, const std::string& extra,
                      const std::string& cost_code, const std::string& description) {
  ERPSYNC_ASSIGN_OR_RETURN(const SqlRow standard, RequireStandardCostCode(sql, cost_code));
  const auto present = [&](const std::string& code) {
    return sql.Exists(
        "SELECT 1 FROM JCM_MASTER__COST_CODE WHERE Job = ?1 AND Extra = ?2 AND Cost_Code = ?3",
        {job, extra, code});
  };
  const std::string group = GroupCodeOf(cost_code);
  if (!group.empty()) {
    ERPSYNC_ASSIGN_OR_RETURN(
        const std::optional<SqlRow> group_row,
        sql.First("SELECT Description FROM JCM_MASTER__STANDARD_COST_CODE WHERE Cost_Code = ?1 "
                  "AND Group_Code = 'Y'",
                  {group}));
    ERPSYNC_ASSIGN_OR_RETURN(const bool has_group, present(group));
    if (group_row && !has_group) {
      ERPSYNC_RETURN_IF_ERROR(
          sql.Exec("INSERT INTO JCM_MASTER__COST_CODE (Job, Extra, Cost_Code, Description, "
                   "Unit_Description) VALUES (?1, ?2, ?3, ?4, '')",
                   {job, extra, group, (*group_row)[0].value_or("")}));
    }
  }
  ERPSYNC_ASSIGN_OR_RETURN(const bool has_code, present(cost_code));
  if (has_code) return Status::Ok();
  return sql.Exec(
      "INSERT INTO JCM_MASTER__COST_CODE (Job, Extra, Cost_Code, Description, Unit_Description) "
      "VALUES (?1, ?2, ?3, ?4, ?5)",
      {job, extra, cost_code, description.empty() ? standard[0].value_or("") : description,
       standard[1].value_or("")});
}

}  // namespace

std::string LineNumber(int number) {
  std::string text = std::to_string(number);
  if (text.size() < 3) text.insert(0, 3 - text.size(), '0');
  return text;
}

SqliteBind TextOrNull(const std::string& text) {
  return text.empty() ? SqliteBind() : SqliteBind(text);
}

Result<std::vector<std::string>> WriteJob(const ExportWrite& write) {
  ErpSql& sql = *write.sql;
  const v1::JobContent& content = write.item->content().job();
  const std::string& job = content.job().empty() ? write.item->erp_job() : content.job();
  ERPSYNC_RETURN_IF_ERROR(CheckKey("Job", job, kJobWidth));
  ERPSYNC_RETURN_IF_ERROR(CheckWidth("Job description", content.description(), kDescriptionWidth));
  ERPSYNC_ASSIGN_OR_RETURN(
      const std::optional<int64_t> amount,
      ParseOptionalDecimal("Contract amount", content.contract_amount(), kMoneyScale));
  ERPSYNC_ASSIGN_OR_RETURN(const bool exists,
                           sql.Exists("SELECT 1 FROM JCM_MASTER__JOB WHERE Job = ?1", {job}));
  if (exists) return AlreadyExistsError("Job " + Quoted(job) + " is already in use");
  const std::string contract = FormatDecimal(amount.value_or(0), kMoneyScale);
  ERPSYNC_RETURN_IF_ERROR(sql.Exec(
      "INSERT INTO JCM_MASTER__JOB (Job, Description, Status, Original_Contract_Amount, "
      "Revised_Contract_Amount, Address_1, City, State, Zip_Code, Date_Stamp, Time_Stamp) "
      "VALUES (?1, ?2, ?3, ?4, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
      {job, TextOrNull(content.description()), kNewJobStatus, contract,
       TextOrNull(content.address()), TextOrNull(content.city()), TextOrNull(content.state()),
       TextOrNull(content.zip_code()), write.now.date, write.now.time}));
  return std::vector<std::string>{job};
}

Result<std::vector<std::string>> WriteSubJob(const ExportWrite& write) {
  ErpSql& sql = *write.sql;
  const v1::SubJobContent& content = write.item->content().sub_job();
  const std::string& job = write.item->erp_job();
  ERPSYNC_RETURN_IF_ERROR(RequireJob(sql, job));
  ERPSYNC_RETURN_IF_ERROR(CheckKey("Extra", content.extra(), kExtraWidth));
  ERPSYNC_RETURN_IF_ERROR(
      CheckWidth("Extra description", content.description(), kDescriptionWidth));
  ERPSYNC_ASSIGN_OR_RETURN(
      const bool exists, sql.Exists("SELECT 1 FROM JCM_MASTER__EXTRA WHERE Job = ?1 AND Extra = ?2",
                                    {job, content.extra()}));
  if (exists) {
    return AlreadyExistsError("Extra " + Quoted(content.extra()) + " of job " + Quoted(job) +
                              " is already in use");
  }
  ERPSYNC_RETURN_IF_ERROR(
      sql.Exec("INSERT INTO JCM_MASTER__EXTRA (Job, Extra, Description, Status, Date_Stamp, "
               "Time_Stamp) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
               {job, content.extra(), TextOrNull(content.description()), kNewJobStatus,
                write.now.date, write.now.time}));
  return std::vector<std::string>{ErpKey({job, content.extra()})};
}

Result<std::vector<std::string>> WriteVendor(const ExportWrite& write) {
  ErpSql& sql = *write.sql;
  const v1::VendorContent& content = write.item->content().vendor();
  const std::string& vendor =
      content.vendor().empty() ? write.item->erp_vendor() : content.vendor();
  ERPSYNC_RETURN_IF_ERROR(CheckKey("Vendor", vendor, kVendorWidth));
  ERPSYNC_RETURN_IF_ERROR(RequireText("Vendor name", content.name()));
  ERPSYNC_RETURN_IF_ERROR(CheckWidth("Vendor name", content.name(), kDescriptionWidth));
  ERPSYNC_ASSIGN_OR_RETURN(
      const bool exists,
      sql.Exists("SELECT 1 FROM APM_MASTER__VENDOR WHERE Vendor = ?1", {vendor}));
  if (exists) return AlreadyExistsError("Vendor " + Quoted(vendor) + " is already in use");
  ERPSYNC_RETURN_IF_ERROR(
      sql.Exec("INSERT INTO APM_MASTER__VENDOR (Vendor, Name, Address_1, City, State, Zip_Code, "
               "Telephone, Date_Stamp, Time_Stamp) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
               {vendor, content.name(), TextOrNull(content.address()), TextOrNull(content.city()),
                TextOrNull(content.state()), TextOrNull(content.zip_code()),
                TextOrNull(content.telephone()), write.now.date, write.now.time}));
  // Every vendor has invoice settings; a new one gets the defaults.
  ERPSYNC_RETURN_IF_ERROR(
      sql.Exec("INSERT OR IGNORE INTO APM_MASTER__INVOICE_SETTINGS (Vendor, Payment_Terms, "
               "Discount_Percent, Retainage_Percent, Hold_Payment, Separate_Check) VALUES (?1, "
               "'Net 30', '0.00', '0.00', 'N', 'N')",
               {vendor}));
  return std::vector<std::string>{vendor};
}

Result<std::vector<std::string>> WriteCostCodeUpdate(const ExportWrite& write) {
  ErpSql& sql = *write.sql;
  const v1::CostCodeUpdateContent& content = write.item->content().cost_code_update();
  const std::string& job = write.item->erp_job();
  ERPSYNC_RETURN_IF_ERROR(RequireJob(sql, job));
  if (content.lines().empty()) {
    return InvalidArgumentError("the cost code update has no cost codes");
  }
  std::vector<std::string> keys;
  for (int i = 0; i < content.lines_size(); ++i) {
    const v1::CostCodeUpdateLine& line = content.lines(i);
    const std::string context = "Line " + std::to_string(i + 1);
    Status status = RequireExtra(sql, job, line.extra());
    if (status.ok()) status = CheckWidth("Description", line.description(), kDescriptionWidth);
    if (status.ok())
      status = AddJobCostCode(sql, job, line.extra(), line.cost_code(), line.description());
    ERPSYNC_RETURN_IF_ERROR(status.WithContext(context));
    keys.push_back(ErpKey({job, line.extra(), line.cost_code()}));
  }
  return keys;
}

Result<std::vector<std::string>> WriteCommitment(const ExportWrite& write) {
  ErpSql& sql = *write.sql;
  const v1::CommitmentContent& content = write.item->content().commitment();
  const std::string& id = content.id().empty() ? write.item->erp_commitment() : content.id();
  const std::string& vendor =
      content.vendor().empty() ? write.item->erp_vendor() : content.vendor();
  const std::string& job = write.item->erp_job();
  ERPSYNC_RETURN_IF_ERROR(CheckKey("Commitment ID", id, kCommitmentWidth));
  ERPSYNC_RETURN_IF_ERROR(RequireText("Commitment title", content.title()));
  ERPSYNC_RETURN_IF_ERROR(CheckWidth("Commitment title", content.title(), kDescriptionWidth));
  std::string type;
  if (content.commitment_type() == v1::SUBCONTRACT) type = "Subcontract";
  if (content.commitment_type() == v1::PURCHASE_ORDER) type = "Purchase order";
  if (type.empty()) {
    return InvalidArgumentError("Commitment type is required (subcontract or purchase order)");
  }
  ERPSYNC_ASSIGN_OR_RETURN(
      const std::optional<int64_t> retainage,
      ParseOptionalDecimal("Retainage percent", content.retainage_percent(), kQuantityScale));
  const std::string retainage_text = FormatPercent(retainage.value_or(0));
  ERPSYNC_ASSIGN_OR_RETURN(
      const bool exists,
      sql.Exists("SELECT 1 FROM JCM_MASTER__COMMITMENT WHERE Commitment = ?1", {id}));
  if (exists) return AlreadyExistsError("Commitment ID " + Quoted(id) + " is already in use");
  ERPSYNC_RETURN_IF_ERROR(RequireJob(sql, job));
  ERPSYNC_RETURN_IF_ERROR(RequireVendor(sql, vendor));
  if (content.lines().empty()) return InvalidArgumentError("the commitment has no items");
  ERPSYNC_RETURN_IF_ERROR(sql.Exec(
      "INSERT INTO JCM_MASTER__COMMITMENT (Commitment, Vendor, Job, Commitment_Type, "
      "Description, Closed, Commitment_Date, Retainage_Percent, Date_Stamp, Time_Stamp) VALUES "
      "(?1, ?2, ?3, ?4, ?5, 'N', ?6, ?7, ?6, ?8)",
      {id, vendor, job, type, content.title(), write.now.date, retainage_text, write.now.time}));
  std::set<std::string> items;
  for (int i = 0; i < content.lines_size(); ++i) {
    const v1::CommitmentLine& line = content.lines(i);
    const std::string context =
        line.item().empty() ? "Line " + std::to_string(i + 1) : "Item " + Quoted(line.item());
    const auto write_line = [&]() -> Status {
      ERPSYNC_RETURN_IF_ERROR(CheckKey("Item", line.item(), kCommitmentItemWidth));
      if (!items.insert(line.item()).second) {
        return InvalidArgumentError("the item appears more than once on the commitment");
      }
      ERPSYNC_RETURN_IF_ERROR(CheckWidth("Description", line.description(), kDescriptionWidth));
      if (!line.cost_code().empty()) {
        ERPSYNC_RETURN_IF_ERROR(CheckJobCoding(sql, job, line.extra(), line.cost_code(),
                                               line.category(), /*category_optional=*/false));
      } else if (!line.extra().empty() || !line.category().empty()) {
        return InvalidArgumentError("Cost code is required with an extra or a category");
      }
      ERPSYNC_ASSIGN_OR_RETURN(const std::optional<int64_t> units,
                               ParseOptionalDecimal("Units", line.units(), kQuantityScale));
      ERPSYNC_ASSIGN_OR_RETURN(const std::optional<int64_t> unit_cost,
                               ParseOptionalDecimal("Unit cost", line.unit_cost(), kQuantityScale));
      ERPSYNC_ASSIGN_OR_RETURN(std::optional<int64_t> amount,
                               ParseOptionalDecimal("Amount", line.amount(), kMoneyScale));
      if (!amount) {
        if (!units || !unit_cost) {
          return InvalidArgumentError("Amount is required (or units and unit cost)");
        }
        ERPSYNC_ASSIGN_OR_RETURN(amount, Extend(*units, *unit_cost));
      }
      const bool coded = !line.cost_code().empty();
      return sql.Exec(
          "INSERT INTO JCM_MASTER__COMMITMENT_ITEM (Commitment, Item, Job, Extra, Cost_Code, "
          "Category, Description, Units, Unit_Cost, Amount, Retainage_Percent) VALUES (?1, ?2, "
          "?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
          {id, line.item(), job, coded ? SqliteBind(line.extra()) : SqliteBind(),
           TextOrNull(line.cost_code()), TextOrNull(line.category()),
           TextOrNull(line.description()), FormatDecimal(units.value_or(0), kQuantityScale),
           FormatDecimal(unit_cost.value_or(0), kQuantityScale),
           FormatDecimal(*amount, kMoneyScale), retainage_text});
    };
    ERPSYNC_RETURN_IF_ERROR(write_line().WithContext(context));
  }
  return std::vector<std::string>{id};
}

Result<std::vector<std::string>> WriteCommitmentChangeOrder(const ExportWrite& write) {
  ErpSql& sql = *write.sql;
  const v1::CommitmentChangeOrderContent& content = write.item->content().commitment_change_order();
  const std::string& commitment = write.item->erp_commitment();
  if (commitment.empty()) return InvalidArgumentError("the export names no commitment");
  ERPSYNC_ASSIGN_OR_RETURN(
      const std::optional<SqlRow> header,
      sql.First("SELECT Job, Closed, Retainage_Percent FROM JCM_MASTER__COMMITMENT WHERE "
                "Commitment = ?1",
                {commitment}));
  if (!header) return NotFoundError("Commitment " + Quoted(commitment) + " does not exist");
  if ((*header)[1].value_or("") == "Y") {
    return FailedPreconditionError("Commitment " + Quoted(commitment) + " is closed");
  }
  const std::string job = (*header)[0].value_or("");
  const std::string retainage = (*header)[2].value_or("0.00");
  ERPSYNC_RETURN_IF_ERROR(CheckKey("Change order", content.number(), kChangeOrderWidth));
  ERPSYNC_RETURN_IF_ERROR(CheckWidth("Change order title", content.title(), kDescriptionWidth));
  ERPSYNC_ASSIGN_OR_RETURN(const bool exists,
                           sql.Exists("SELECT 1 FROM JCM_MASTER__COMMITMENT_CO WHERE Commitment = "
                                      "?1 AND Change_Order = ?2",
                                      {commitment, content.number()}));
  if (exists) {
    return AlreadyExistsError("Change order " + Quoted(content.number()) + " of commitment " +
                              Quoted(commitment) + " is already in use");
  }
  if (content.lines().empty()) return InvalidArgumentError("the change order has no items");
  std::vector<std::string> keys;
  for (int i = 0; i < content.lines_size(); ++i) {
    const v1::ChangeOrderLine& line = content.lines(i);
    const std::string context =
        line.item().empty() ? "Line " + std::to_string(i + 1) : "Item " + Quoted(line.item());
    const auto write_line = [&]() -> Status {
      ERPSYNC_RETURN_IF_ERROR(CheckKey("Item", line.item(), kCommitmentItemWidth));
      for (int j = 0; j < i; ++j) {
        if (content.lines(j).item() == line.item()) {
          return InvalidArgumentError("the item appears more than once on the change order");
        }
      }
      ERPSYNC_RETURN_IF_ERROR(CheckWidth("Description", line.description(), kDescriptionWidth));
      ERPSYNC_ASSIGN_OR_RETURN(const int64_t amount,
                               ParseRequiredDecimal("Amount", line.amount(), kMoneyScale));
      ERPSYNC_ASSIGN_OR_RETURN(const bool existing,
                               sql.Exists("SELECT 1 FROM JCM_MASTER__COMMITMENT_ITEM WHERE "
                                          "Commitment = ?1 AND Item = ?2",
                                          {commitment, line.item()}));
      const std::string description =
          line.description().empty() ? content.title() : line.description();
      if (!existing) {
        // A new commitment item, coded like any other.
        if (line.cost_code().empty()) {
          return InvalidArgumentError("the item is new on commitment " + Quoted(commitment) +
                                      "; Cost code is required");
        }
        ERPSYNC_RETURN_IF_ERROR(CheckJobCoding(sql, job, line.extra(), line.cost_code(),
                                               line.category(), /*category_optional=*/false));
        ERPSYNC_RETURN_IF_ERROR(sql.Exec(
            "INSERT INTO JCM_MASTER__COMMITMENT_ITEM (Commitment, Item, Job, Extra, Cost_Code, "
            "Category, Description, Units, Unit_Cost, Amount, Retainage_Percent) VALUES (?1, ?2, "
            "?3, ?4, ?5, ?6, ?7, '0.0000', '0.0000', '0.00', ?8)",
            {commitment, line.item(), job, line.extra(), line.cost_code(), line.category(),
             TextOrNull(description), retainage}));
      }
      return sql.Exec(
          "INSERT INTO JCM_MASTER__COMMITMENT_CO (Commitment, Change_Order, Item, Description, "
          "Amount, Status, Change_Order_Date) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
          {commitment, content.number(), line.item(), TextOrNull(description),
           FormatDecimal(amount, kMoneyScale), kApprovedStatus, write.now.date});
    };
    ERPSYNC_RETURN_IF_ERROR(write_line().WithContext(context));
    keys.push_back(ErpKey({commitment, content.number(), line.item()}));
  }
  return keys;
}

}  // namespace erpsync::agent
