#include "server/approval/budget_import.h"

#include <map>
#include <tuple>

#include "common/decimal.h"

namespace erpsync::server {
namespace {

constexpr uint32_t kMoneyScale = 2;
constexpr uint32_t kUnitsScale = 4;

struct Sums {
  int64_t amount = 0;
  int64_t units = 0;
  bool has_units = false;
};

}  // namespace

bool IsEstimateOf(const ErpRow& row, const std::string& erp_job) {
  if (row.Text("job") != erp_job) return false;
  const std::string type = row.Text("transaction_type");
  return type == "Original estimate" || type == "Approved est chg";
}

Result<bool> HasEstimates(ErpRecords& erp, int64_t connection_id, const std::string& erp_job) {
  bool found = false;
  ERPSYNC_RETURN_IF_ERROR(
      erp.ForEachLive(connection_id, kErpJcTransactions, "", [&](const ErpRow& row) {
        found = IsEstimateOf(row, erp_job);
        return !found;
      }));
  return found;
}

Result<v1::BudgetContent> BudgetFromEstimates(ErpRecords& erp, int64_t connection_id,
                                              const std::string& erp_job) {
  std::map<std::tuple<std::string, std::string, std::string>, Sums> lines;
  Status problem;
  ERPSYNC_RETURN_IF_ERROR(
      erp.ForEachLive(connection_id, kErpJcTransactions, "", [&](const ErpRow& row) {
        if (!IsEstimateOf(row, erp_job)) return true;
        Sums& sums = lines[{row.Text("extra"), row.Text("cost_code"), row.Text("category")}];
        const Result<int64_t> amount =
            ParseDecimal(row.Text("amount").empty() ? "0" : row.Text("amount"), kMoneyScale);
        if (!amount.ok()) {
          problem = amount.status().WithContext("estimate transaction " + row.key + ": amount");
          return false;
        }
        sums.amount += *amount;
        if (!row.Text("units").empty()) {
          const Result<int64_t> units = ParseDecimal(row.Text("units"), kUnitsScale);
          if (!units.ok()) {
            problem = units.status().WithContext("estimate transaction " + row.key + ": units");
            return false;
          }
          sums.units += *units;
          sums.has_units = true;
        }
        return true;
      }));
  ERPSYNC_RETURN_IF_ERROR(problem);
  if (lines.empty()) {
    return FailedPreconditionError("the ERP has no estimate transactions for job '" + erp_job +
                                   "' (Original estimate or Approved est chg) in the mirrored "
                                   "Transaction (JC) records");
  }
  v1::BudgetContent budget;
  budget.set_description("Estimates of ERP job " + erp_job);
  for (const auto& [where, sums] : lines) {
    v1::BudgetLine* line = budget.add_lines();
    line->set_extra(std::get<0>(where));
    line->set_cost_code(std::get<1>(where));
    line->set_category(std::get<2>(where));
    line->set_amount(FormatDecimal(sums.amount, kMoneyScale));
    if (sums.has_units) line->set_units(FormatDecimal(sums.units, kUnitsScale));
  }
  return budget;
}

}  // namespace erpsync::server
