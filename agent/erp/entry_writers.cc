// Export writers of unposted entries: estimates and approved estimate
// changes (JC), prime contract change orders (CN), subcontractor invoices
// (AP), each under the export's batch.
#include <cstdint>
#include <string>

#include "agent/erp/erp_checks.h"
#include "agent/erp/erp_writers.h"
#include "common/civil_time.h"
#include "common/decimal.h"

namespace erpsync::agent {
namespace {

constexpr char kOriginalEstimate[] = "Original estimate";
constexpr char kApprovedEstimateChange[] = "Approved est chg";
constexpr int kInvoiceDueDays = 30;

// Cents of `cents` x percent (4 decimals), rounded half away from zero.
Result<int64_t> PercentOf(int64_t cents, int64_t percent4) {
  int64_t product = 0;  // 6 extra decimals
  if (__builtin_mul_overflow(cents, percent4, &product) || product == INT64_MIN) {
    return InvalidArgumentError("Retainage of " + FormatDecimal(cents, kMoneyScale) +
                                " is too large");
  }
  return product >= 0 ? (product + 500000) / 1000000 : -((-product + 500000) / 1000000);
}

// The description of a job cost code, for entry lines that give none.
Result<std::string> JobCostCodeDescription(ErpSql& sql, const std::string& job,
                                           const std::string& extra, const std::string& cost_code) {
  ERPSYNC_ASSIGN_OR_RETURN(const std::optional<SqlRow> row,
                           sql.First("SELECT Description FROM JCM_MASTER__COST_CODE WHERE Job = "
                                     "?1 AND Extra = ?2 AND Cost_Code = ?3",
                                     {job, extra, cost_code}));
  return row ? (*row)[0].value_or("") : std::string();
}

// What every cost-coded entry line is checked for and needs: its job coding
// against the ERP, the description's width, the amount (required); the
// description falls back to the job cost code's.
struct CheckedLine {
  int64_t amount = 0;
  std::string description;
};

template <typename Line>
Result<CheckedLine> CheckEntryLine(ErpSql& sql, const std::string& job, const Line& line,
                                   bool category_optional) {
  ERPSYNC_RETURN_IF_ERROR(CheckJobCoding(sql, job, line.extra(), line.cost_code(),
                                         line.category(), category_optional));
  ERPSYNC_RETURN_IF_ERROR(CheckWidth("Description", line.description(), kDescriptionWidth));
  CheckedLine checked;
  ERPSYNC_ASSIGN_OR_RETURN(checked.amount,
                           ParseRequiredDecimal("Amount", line.amount(), kMoneyScale));
  checked.description = line.description();
  if (checked.description.empty()) {
    ERPSYNC_ASSIGN_OR_RETURN(checked.description,
                             JobCostCodeDescription(sql, job, line.extra(), line.cost_code()));
  }
  return checked;
}

}  // namespace

Result<std::vector<std::string>> WriteBudget(const ExportWrite& write, bool change) {
  ErpSql& sql = *write.sql;
  const v1::BudgetContent& content =
      change ? write.item->content().budget_change() : write.item->content().budget();
  const std::string& job = write.item->erp_job();
  ERPSYNC_RETURN_IF_ERROR(RequireJob(sql, job));
  if (content.lines().empty()) {
    return InvalidArgumentError(change ? "the budget change has no lines"
                                       : "the budget has no lines");
  }
  ERPSYNC_ASSIGN_OR_RETURN(const int64_t today, ParseDate(write.now.date));
  const std::string accounting_date = FormatDate(MonthEnd(today));
  for (int i = 0; i < content.lines_size(); ++i) {
    const v1::BudgetLine& line = content.lines(i);
    const auto write_line = [&]() -> Status {
      ERPSYNC_ASSIGN_OR_RETURN(const CheckedLine checked,
                               CheckEntryLine(sql, job, line, /*category_optional=*/false));
      ERPSYNC_ASSIGN_OR_RETURN(const std::optional<int64_t> units,
                               ParseOptionalDecimal("Units", line.units(), kQuantityScale));
      return sql.Exec(
          "INSERT INTO JCT_UNPOSTED__TRANSACTION (Job, Extra, Cost_Code, Category, "
          "Transaction_Type, Accounting_Date, Transaction_Date, Amount, Units, Description, "
          "Batch, Row_Version, Date_Stamp, Time_Stamp) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, "
          "?9, ?10, ?11, 1, ?7, ?12)",
          {job, line.extra(), line.cost_code(), line.category(),
           change ? kApprovedEstimateChange : kOriginalEstimate, accounting_date, write.now.date,
           FormatDecimal(checked.amount, kMoneyScale),
           units ? SqliteBind(FormatDecimal(*units, kQuantityScale)) : SqliteBind(),
           TextOrNull(checked.description), write.batch, write.now.time});
    };
    ERPSYNC_RETURN_IF_ERROR(write_line().WithContext("Line " + std::to_string(i + 1)));
  }
  return std::vector<std::string>{write.batch};
}

Result<std::vector<std::string>> WritePrimeContractChangeOrder(const ExportWrite& write) {
  ErpSql& sql = *write.sql;
  const v1::PrimeContractChangeOrderContent& content =
      write.item->content().prime_contract_change_order();
  const std::string& job = write.item->erp_job();
  ERPSYNC_RETURN_IF_ERROR(RequireJob(sql, job));
  ERPSYNC_ASSIGN_OR_RETURN(
      const std::optional<SqlRow> contract_row,
      sql.First("SELECT Contract FROM CNM_MASTER__CONTRACT WHERE Job = ?1 ORDER BY Contract",
                {job}));
  if (!contract_row || !(*contract_row)[0]) {
    return NotFoundError("Job " + Quoted(job) + " has no prime contract");
  }
  const std::string contract = *(*contract_row)[0];
  ERPSYNC_RETURN_IF_ERROR(CheckKey("Change order", content.number(), kChangeOrderWidth));
  ERPSYNC_RETURN_IF_ERROR(CheckWidth("Change order title", content.title(), kDescriptionWidth));
  ERPSYNC_ASSIGN_OR_RETURN(const int64_t day,
                           ParseRequiredDate("Transaction date", content.transaction_date()));
  const std::string date = FormatDate(day);
  ERPSYNC_ASSIGN_OR_RETURN(
      const bool exists,
      sql.Exists("SELECT 1 FROM CNM_MASTER__CHANGE_ORDER WHERE Contract = ?1 AND Change_Order = "
                 "?2 UNION ALL SELECT 1 FROM CNT_UNPOSTED__CHANGE_ORDER WHERE Contract = ?1 AND "
                 "Change_Order = ?2",
                 {contract, content.number()}));
  if (exists) {
    return AlreadyExistsError("Change order " + Quoted(content.number()) + " of contract " +
                              Quoted(contract) + " is already in use");
  }
  if (content.lines().empty()) return InvalidArgumentError("the change order has no lines");
  int64_t total = 0;
  for (int i = 0; i < content.lines_size(); ++i) {
    const v1::PrimeContractChangeOrderLine& line = content.lines(i);
    const auto write_line = [&]() -> Status {
      ERPSYNC_ASSIGN_OR_RETURN(const CheckedLine checked,
                               CheckEntryLine(sql, job, line, /*category_optional=*/true));
      total += checked.amount;
      return sql.Exec(
          "INSERT INTO CNT_UNPOSTED__CHANGE_ORDER_ITEM (Contract, Change_Order, Item, Job, Extra, "
          "Cost_Code, Category, Description, Amount) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
          {contract, content.number(), LineNumber(i + 1), job, line.extra(), line.cost_code(),
           TextOrNull(line.category()), TextOrNull(checked.description),
           FormatDecimal(checked.amount, kMoneyScale)});
    };
    ERPSYNC_RETURN_IF_ERROR(write_line().WithContext("Line " + std::to_string(i + 1)));
  }
  ERPSYNC_RETURN_IF_ERROR(sql.Exec(
      "INSERT INTO CNT_UNPOSTED__CHANGE_ORDER (Contract, Change_Order, Description, Status, "
      "Change_Order_Date, Approved_Date, Amount, Batch, Date_Stamp, Time_Stamp) VALUES (?1, ?2, "
      "?3, 'Approved', ?4, ?4, ?5, ?6, ?7, ?8)",
      {contract, content.number(), TextOrNull(content.title()), date,
       FormatDecimal(total, kMoneyScale), write.batch, write.now.date, write.now.time}));
  return std::vector<std::string>{ErpKey({contract, content.number()}), write.batch};
}

Result<std::vector<std::string>> WriteSubcontractorInvoice(const ExportWrite& write) {
  ErpSql& sql = *write.sql;
  const v1::SubcontractorInvoiceContent& content = write.item->content().subcontractor_invoice();
  const std::string& commitment = write.item->erp_commitment();
  if (commitment.empty()) return InvalidArgumentError("the export names no commitment");
  ERPSYNC_ASSIGN_OR_RETURN(
      const std::optional<SqlRow> header,
      sql.First("SELECT Vendor, Job, Closed FROM JCM_MASTER__COMMITMENT WHERE Commitment = ?1",
                {commitment}));
  if (!header) return NotFoundError("Commitment " + Quoted(commitment) + " does not exist");
  const std::string vendor = (*header)[0].value_or("");
  const std::string commitment_job = (*header)[1].value_or("");
  if (!write.item->erp_vendor().empty() && write.item->erp_vendor() != vendor) {
    return FailedPreconditionError("Commitment " + Quoted(commitment) + " is for vendor " +
                                   Quoted(vendor) + ", not " + Quoted(write.item->erp_vendor()));
  }
  ERPSYNC_RETURN_IF_ERROR(RequireVendor(sql, vendor));
  if ((*header)[2].value_or("") == "Y") {
    return FailedPreconditionError("Commitment " + Quoted(commitment) + " is closed");
  }
  ERPSYNC_RETURN_IF_ERROR(CheckKey("Invoice", content.invoice(), kInvoiceWidth));
  ERPSYNC_ASSIGN_OR_RETURN(const int64_t invoice_day,
                           ParseRequiredDate("Invoice date", content.invoice_date()));
  ERPSYNC_RETURN_IF_ERROR(CheckWidth("Description", content.description(), kDescriptionWidth));
  ERPSYNC_ASSIGN_OR_RETURN(
      const bool exists,
      sql.Exists("SELECT 1 FROM APM_MASTER__INVOICE WHERE Vendor = ?1 AND Invoice = ?2 UNION ALL "
                 "SELECT 1 FROM APT_UNPOSTED__INVOICE WHERE Vendor = ?1 AND Invoice = ?2",
                 {vendor, content.invoice()}));
  if (exists) {
    return AlreadyExistsError("Invoice " + Quoted(content.invoice()) +
                              " is already in use for vendor " + Quoted(vendor));
  }
  if (content.lines().empty()) return InvalidArgumentError("the invoice has no lines");
  ERPSYNC_ASSIGN_OR_RETURN(
      const std::optional<SqlRow> settings,
      sql.First("SELECT Expense_Account FROM APM_MASTER__INVOICE_SETTINGS WHERE Vendor = ?1",
                {vendor}));
  const std::string expense_account = settings ? (*settings)[0].value_or("") : "";
  int64_t total = 0;
  int64_t total_retainage = 0;
  for (int i = 0; i < content.lines_size(); ++i) {
    const v1::InvoiceLine& line = content.lines(i);
    const auto write_line = [&]() -> Status {
      ERPSYNC_RETURN_IF_ERROR(RequireText("Item", line.item()));
      ERPSYNC_ASSIGN_OR_RETURN(
          const std::optional<SqlRow> item,
          sql.First("SELECT Job, Extra, Cost_Code, Category, Description, Retainage_Percent FROM "
                    "JCM_MASTER__COMMITMENT_ITEM WHERE Commitment = ?1 AND Item = ?2",
                    {commitment, line.item()}));
      if (!item) {
        return NotFoundError("Item " + Quoted(line.item()) + " is not an item of commitment " +
                             Quoted(commitment));
      }
      ERPSYNC_RETURN_IF_ERROR(CheckWidth("Description", line.description(), kDescriptionWidth));
      ERPSYNC_ASSIGN_OR_RETURN(const int64_t amount,
                               ParseRequiredDecimal("Amount", line.amount(), kMoneyScale));
      ERPSYNC_ASSIGN_OR_RETURN(const std::optional<int64_t> percent,
                               ParseOptionalDecimal("Retainage percent of the item",
                                                    (*item)[5].value_or(""), kQuantityScale));
      ERPSYNC_ASSIGN_OR_RETURN(const int64_t retainage, PercentOf(amount, percent.value_or(0)));
      total += amount;
      total_retainage += retainage;
      const std::string description =
          line.description().empty() ? (*item)[4].value_or("") : line.description();
      const std::string job = (*item)[0].value_or(commitment_job);
      return sql.Exec(
          "INSERT INTO APT_UNPOSTED__DISTRIBUTION (Vendor, Invoice, Distribution, Job, Extra, "
          "Cost_Code, Category, Commitment_Item, Expense_Account, Description, Amount, "
          "Retainage) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
          {vendor, content.invoice(), LineNumber(i + 1), TextOrNull(job),
           (*item)[1] ? SqliteBind(*(*item)[1]) : SqliteBind(),
           (*item)[2] ? SqliteBind(*(*item)[2]) : SqliteBind(),
           (*item)[3] ? SqliteBind(*(*item)[3]) : SqliteBind(), line.item(),
           TextOrNull(expense_account), TextOrNull(description), FormatDecimal(amount, kMoneyScale),
           FormatDecimal(retainage, kMoneyScale)});
    };
    ERPSYNC_RETURN_IF_ERROR(write_line().WithContext("Line " + std::to_string(i + 1)));
  }
  ERPSYNC_RETURN_IF_ERROR(sql.Exec(
      "INSERT INTO APT_UNPOSTED__INVOICE (Vendor, Invoice, Invoice_Date, Due_Date, "
      "Accounting_Date, Description, Job, Commitment, Amount, Retainage, Amount_Paid, Status, "
      "Batch, Date_Stamp, Time_Stamp) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, '0.00', "
      "'Open', ?11, ?12, ?13)",
      {vendor, content.invoice(), FormatDate(invoice_day),
       FormatDate(invoice_day + kInvoiceDueDays), FormatDate(MonthEnd(invoice_day)),
       TextOrNull(content.description()), TextOrNull(commitment_job), commitment,
       FormatDecimal(total, kMoneyScale), FormatDecimal(total_retainage, kMoneyScale), write.batch,
       write.now.date, write.now.time}));
  return std::vector<std::string>{ErpKey({vendor, content.invoice()}), write.batch};
}

}  // namespace erpsync::agent
