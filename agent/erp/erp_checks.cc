#include "agent/erp/erp_checks.h"

#include "common/civil_time.h"
#include "common/decimal.h"

namespace erpsync::agent {
namespace {

std::string JobRef(const std::string& job, const std::string& extra) {
  std::string text = "job " + Quoted(job);
  if (!extra.empty()) text += " extra " + Quoted(extra);
  return text;
}

}  // namespace

size_t Utf8Length(std::string_view text) {
  size_t length = 0;
  for (const char c : text) {
    if ((static_cast<unsigned char>(c) & 0xc0) != 0x80) ++length;
  }
  return length;
}

std::string Quoted(std::string_view value) {
  std::string text = "'";
  text += value;
  text += '\'';
  return text;
}

Status RequireText(std::string_view what, std::string_view value) {
  if (value.empty()) return InvalidArgumentError(std::string(what) + " is required");
  return Status::Ok();
}

Status CheckWidth(std::string_view what, std::string_view value, size_t width) {
  if (Utf8Length(value) > width) {
    return InvalidArgumentError(std::string(what) + " " + Quoted(value) + " is longer than " +
                                std::to_string(width) + " characters");
  }
  return Status::Ok();
}

Status CheckKey(std::string_view what, std::string_view value, size_t width) {
  ERPSYNC_RETURN_IF_ERROR(RequireText(what, value));
  return CheckWidth(what, value, width);
}

Result<std::optional<int64_t>> ParseOptionalDecimal(std::string_view what, std::string_view text,
                                                    uint32_t scale) {
  if (text.empty()) return std::optional<int64_t>();
  Result<int64_t> value = ParseDecimal(text, scale);
  if (!value.ok()) {
    return InvalidArgumentError(std::string(what) + " " + Quoted(text) +
                                " is not an amount with at most " + std::to_string(scale) +
                                " decimals");
  }
  return std::optional<int64_t>(*value);
}

Result<int64_t> ParseRequiredDecimal(std::string_view what, std::string_view text, uint32_t scale) {
  ERPSYNC_RETURN_IF_ERROR(RequireText(what, text));
  ERPSYNC_ASSIGN_OR_RETURN(const std::optional<int64_t> value,
                           ParseOptionalDecimal(what, text, scale));
  return *value;
}

std::string FormatPercent(int64_t percent4) {
  if (percent4 % 100 == 0) return FormatDecimal(percent4 / 100, 2);
  return FormatDecimal(percent4, 4);
}

Result<int64_t> ParseRequiredDate(std::string_view what, std::string_view text) {
  ERPSYNC_RETURN_IF_ERROR(RequireText(what, text));
  Result<int64_t> day = ParseDate(text);
  if (!day.ok() || text.size() != 10) {
    return InvalidArgumentError(std::string(what) + " " + Quoted(text) +
                                " is not a date (YYYY-MM-DD)");
  }
  return *day;
}

int64_t MonthEnd(int64_t day) {
  CivilDate date = CivilFromDays(day);
  date.day = 1;
  if (++date.month > 12) {
    date.month = 1;
    ++date.year;
  }
  return DaysFromCivil(date) - 1;
}

Status RequireJob(ErpSql& sql, const std::string& job) {
  if (job.empty()) return InvalidArgumentError("the export names no job");
  ERPSYNC_ASSIGN_OR_RETURN(const bool exists,
                           sql.Exists("SELECT 1 FROM JCM_MASTER__JOB WHERE Job = ?1", {job}));
  if (!exists) return NotFoundError("Job " + Quoted(job) + " does not exist");
  return Status::Ok();
}

Status RequireExtra(ErpSql& sql, const std::string& job, const std::string& extra) {
  if (extra.empty()) return Status::Ok();
  ERPSYNC_ASSIGN_OR_RETURN(
      const bool exists,
      sql.Exists("SELECT 1 FROM JCM_MASTER__EXTRA WHERE Job = ?1 AND Extra = ?2", {job, extra}));
  if (!exists) {
    return NotFoundError("Extra " + Quoted(extra) + " of job " + Quoted(job) + " does not exist");
  }
  return Status::Ok();
}

Status RequireJobCostCode(ErpSql& sql, const std::string& job, const std::string& extra,
                          const std::string& cost_code) {
  ERPSYNC_RETURN_IF_ERROR(CheckKey("Cost code", cost_code, kCostCodeWidth));
  ERPSYNC_ASSIGN_OR_RETURN(const bool exists,
                           sql.Exists("SELECT 1 FROM JCM_MASTER__COST_CODE WHERE Job = ?1 AND "
                                      "Extra = ?2 AND Cost_Code = ?3",
                                      {job, extra, cost_code}));
  if (!exists) {
    return NotFoundError("Cost code " + Quoted(cost_code) + " is not set up for " +
                         JobRef(job, extra));
  }
  return Status::Ok();
}

Result<SqlRow> RequireStandardCostCode(ErpSql& sql, const std::string& cost_code) {
  ERPSYNC_RETURN_IF_ERROR(CheckKey("Cost code", cost_code, kCostCodeWidth));
  ERPSYNC_ASSIGN_OR_RETURN(std::optional<SqlRow> row,
                           sql.First("SELECT Description, Unit_Description FROM "
                                     "JCM_MASTER__STANDARD_COST_CODE WHERE Cost_Code = ?1",
                                     {cost_code}));
  if (!row) {
    return NotFoundError("Cost code " + Quoted(cost_code) +
                         " is not in the standard cost code list");
  }
  return std::move(*row);
}

Status TieStandardCategory(ErpSql& sql, const std::string& job, const std::string& extra,
                           const std::string& cost_code, const std::string& category) {
  ERPSYNC_RETURN_IF_ERROR(CheckKey("Category", category, kCategoryWidth));
  ERPSYNC_ASSIGN_OR_RETURN(
      const std::optional<SqlRow> standard,
      sql.First("SELECT Description FROM JCM_MASTER__STANDARD_CATEGORY WHERE Category = ?1",
                {category}));
  if (!standard) {
    return NotFoundError("Category " + Quoted(category) + " is not in the standard category list");
  }
  ERPSYNC_ASSIGN_OR_RETURN(const bool tied,
                           sql.Exists("SELECT 1 FROM JCM_MASTER__CATEGORY WHERE Job = ?1 AND "
                                      "Extra = ?2 AND Cost_Code = ?3 AND Category = ?4",
                                      {job, extra, cost_code, category}));
  if (tied) return Status::Ok();
  const std::optional<std::string>& description = (*standard)[0];
  return sql.Exec(
      "INSERT INTO JCM_MASTER__CATEGORY (Job, Extra, Cost_Code, Category, Description) "
      "VALUES (?1, ?2, ?3, ?4, ?5)",
      {job, extra, cost_code, category, description ? SqliteBind(*description) : SqliteBind()});
}

Status CheckJobCoding(ErpSql& sql, const std::string& job, const std::string& extra,
                      const std::string& cost_code, const std::string& category,
                      bool category_optional) {
  ERPSYNC_RETURN_IF_ERROR(RequireExtra(sql, job, extra));
  ERPSYNC_RETURN_IF_ERROR(RequireJobCostCode(sql, job, extra, cost_code));
  if (category.empty() && category_optional) return Status::Ok();
  ERPSYNC_RETURN_IF_ERROR(RequireText("Category", category));
  return TieStandardCategory(sql, job, extra, cost_code, category);
}

Status RequireVendor(ErpSql& sql, const std::string& vendor) {
  ERPSYNC_RETURN_IF_ERROR(CheckKey("Vendor", vendor, kVendorWidth));
  ERPSYNC_ASSIGN_OR_RETURN(
      const bool exists,
      sql.Exists("SELECT 1 FROM APM_MASTER__VENDOR WHERE Vendor = ?1", {vendor}));
  if (!exists) return NotFoundError("Vendor " + Quoted(vendor) + " does not exist");
  return Status::Ok();
}

}  // namespace erpsync::agent
