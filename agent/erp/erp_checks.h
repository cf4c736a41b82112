// The checks the ERP makes before it takes an export, shared by the export
// writers: field widths, amounts, and the records an entry refers to (job,
// extra, cost code, category, vendor). Each refusal is the ERP's message as
// the accountant would read it in Failed to Export, e.g. "Cost code
// '03-310' is not set up for job '24-101'"; its code is INVALID_ARGUMENT
// (malformed or too long), NOT_FOUND (a referenced record is missing),
// ALREADY_EXISTS (the new record's key is in use) or FAILED_PRECONDITION (the
// record is in a state that refuses it). SQLite failures come back as
// ExportSqliteError. Internal to SqliteErpWriter; not thread-safe.
//
// Field widths: common/erp_field_widths.h (shared with the server's send
// rules).
#ifndef ERPSYNC_AGENT_ERP_ERP_CHECKS_H_
#define ERPSYNC_AGENT_ERP_ERP_CHECKS_H_

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "agent/erp/erp_sql.h"
#include "common/erp_field_widths.h"
#include "common/status.h"

namespace erpsync::agent {

// Digits after the point of money and of quantities, unit costs, percents.
inline constexpr uint32_t kMoneyScale = 2;
inline constexpr uint32_t kQuantityScale = 4;

// Characters of UTF-8 text (code points).
size_t Utf8Length(std::string_view text);
// "'<value>'", as messages name values.
std::string Quoted(std::string_view value);

// INVALID_ARGUMENT "<what> is required" for empty `value`.
Status RequireText(std::string_view what, std::string_view value);
// INVALID_ARGUMENT "<what> '<value>' is longer than <width> characters".
Status CheckWidth(std::string_view what, std::string_view value, size_t width);
// RequireText, then CheckWidth.
Status CheckKey(std::string_view what, std::string_view value, size_t width);

// `text` as a value scaled by 10^scale; nullopt for empty text.
// INVALID_ARGUMENT "<what> '<text>' is not an amount with at most <scale>
// decimals".
Result<std::optional<int64_t>> ParseOptionalDecimal(std::string_view what, std::string_view text,
                                                    uint32_t scale);
// As ParseOptionalDecimal, and INVALID_ARGUMENT "<what> is required" for
// empty text.
Result<int64_t> ParseRequiredDecimal(std::string_view what, std::string_view text, uint32_t scale);
// A percent (scaled by 10^4) as the ERP stores it: 2 decimals when that is
// exact ("10.00"), else 4 ("10.1250").
std::string FormatPercent(int64_t percent4);

// Days since 1970-01-01 of a YYYY-MM-DD date. INVALID_ARGUMENT "<what>
// '<text>' is not a date (YYYY-MM-DD)"; "<what> is required" when empty.
Result<int64_t> ParseRequiredDate(std::string_view what, std::string_view text);
// The last day of the month of `day`: the accounting period end.
int64_t MonthEnd(int64_t day);

// NOT_FOUND "Job '<job>' does not exist" (also for an empty job: "the export
// names no job").
Status RequireJob(ErpSql& sql, const std::string& job);
// OK for an empty extra; NOT_FOUND "Extra '<extra>' of job '<job>' does not
// exist".
Status RequireExtra(ErpSql& sql, const std::string& job, const std::string& extra);
// NOT_FOUND "Cost code '<code>' is not set up for job '<job>'" (" extra
// '<extra>'" when given).
Status RequireJobCostCode(ErpSql& sql, const std::string& job, const std::string& extra,
                          const std::string& cost_code);
// The standard cost code's row (Description, Unit_Description); NOT_FOUND
// "Cost code '<code>' is not in the standard cost code list".
Result<SqlRow> RequireStandardCostCode(ErpSql& sql, const std::string& cost_code);
// `category` must be in the standard category list (NOT_FOUND "Category
// '<category>' is not in the standard category list"); it is tied to the
// job's cost code (a JCM_MASTER__CATEGORY row with the standard
// description) when the cost code does not have it yet, as Sage does with
// standard categories during entry.
Status TieStandardCategory(ErpSql& sql, const std::string& job, const std::string& extra,
                           const std::string& cost_code, const std::string& category);
// A line's job cost coding: the extra (RequireExtra) and cost code
// (RequireJobCostCode) on the job, and the category standard and tied to
// the cost code (TieStandardCategory); INVALID_ARGUMENT "Category is
// required" for an empty category unless `category_optional`.
Status CheckJobCoding(ErpSql& sql, const std::string& job, const std::string& extra,
                      const std::string& cost_code, const std::string& category,
                      bool category_optional);
// NOT_FOUND "Vendor '<vendor>' does not exist".
Status RequireVendor(ErpSql& sql, const std::string& vendor);

}  // namespace erpsync::agent

#endif  // ERPSYNC_AGENT_ERP_ERP_CHECKS_H_
