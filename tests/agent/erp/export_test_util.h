// Helpers of the export tests: a fresh copy of a small sample company per
// test, a fixed clock, exports of every type on the company's records, and
// reads of the ERP's tables as the mappings read them (SqliteErpSource).
// Not thread-safe; tests of one binary run sequentially.
#ifndef ERPSYNC_TESTS_AGENT_ERP_EXPORT_TEST_UTIL_H_
#define ERPSYNC_TESTS_AGENT_ERP_EXPORT_TEST_UTIL_H_

#include <chrono>
#include <gtest/gtest.h>

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "agent/erp/sample/sample_schema.h"
#include "agent/erp/export_outcome.h"
#include "agent/erp/sqlite_erp_writer.h"
#include "common/clock.h"
#include "erpsync/v1/erp_integrations.pb.h"
#include "tests/agent/erp/erp_test_util.h"
#include "tests/support/temp_dir.h"

namespace erpsync::agent::testing {

// 2026-03-14 10:20:30 UTC.
inline constexpr int64_t kExportUnix = 1'773'483'630;

class FixedClock : public Clock {
 public:
  std::chrono::system_clock::time_point Now() const override {
    return std::chrono::system_clock::time_point(std::chrono::seconds(unix_seconds));
  }
  int64_t unix_seconds = kExportUnix;
};

// The stamp the fixed clock gives rows (local time).
LocalDateTime ExportStamp();

// A private copy of a small sample company (SmallCompanyOptions), made
// from a template created once per test binary; removed with the object.
class CompanyCopy {
 public:
  CompanyCopy();
  const std::string& path() const { return path_; }

 private:
  erpsync::testing::TempDir dir_;
  std::string path_;
};

// Jobs, codes and vendors of the small company the exports use.
inline constexpr char kJob[] = "17-001";  // extras 1, 2, 3
inline constexpr char kExtra[] = "1";
inline constexpr char kCostCode[] = "01-100";  // on job 17-001 extra 1, with category L
inline constexpr char kVendor[] = "V00010";
inline constexpr char kExistingCommitment[] = "17001-01";

// Exports as the server builds them (ItemRules::BuildExport).
v1::ExportItem JobExport(int64_t item_id, const std::string& job);
v1::ExportItem SubJobExport(int64_t item_id, const std::string& extra);
v1::ExportItem VendorExport(int64_t item_id, const std::string& vendor);
v1::ExportItem CostCodeUpdateExport(int64_t item_id, const std::string& job,
                                    const std::vector<std::string>& cost_codes);
// Commitment `id` for kVendor on kJob: item 001 on kCostCode/L (1000.00),
// item 002 on 03-310/M (2500.50, category M tied to 03-310 on use).
v1::ExportItem CommitmentExport(int64_t item_id, const std::string& id);
// Change order `number` of commitment `commitment`: +100.00 on item 001
// and a new item 003 on kCostCode/M (-20.25).
v1::ExportItem ChangeOrderExport(int64_t item_id, const std::string& commitment,
                                 const std::string& number);
// Two lines on kJob extra 1: kCostCode/L 12000.00 (units 40), 03-310/S
// 55000.50.
v1::ExportItem BudgetExport(int64_t item_id, bool change = false);
v1::ExportItem PrimeContractChangeOrderExport(int64_t item_id, const std::string& number);
// Invoice `invoice` on commitment `commitment` (for kVendor): item 001
// 400.00 and item 002 100.10.
v1::ExportItem InvoiceExport(int64_t item_id, const std::string& commitment,
                             const std::string& invoice);

// Rows of `table` (the given columns) whose `column` is `value`, read
// through SqliteErpSource in the order of `order_by`.
std::vector<TextRow> ReadWhere(const std::string& path, const std::string& table,
                               const std::vector<std::string>& columns, const std::string& column,
                               const std::string& value,
                               const std::vector<std::string>& order_by = {});
// COUNT(*) of `table`.
int64_t CountRows(const std::string& path, const std::string& table);
// Every row of every table (the journal too), each table led by a row
// holding its name: "nothing was written" is an unchanged WholeCompany.
std::vector<TextRow> WholeCompany(const std::string& path);
// As WholeCompany, only the given tables.
std::vector<TextRow> WholeCompany(const std::string& path, std::span<const SampleTableDef> tables);

// "kind: message [keys]" for failure messages.
std::string Describe(const ExportOutcome& outcome);

// Applies `item` with `writer`, expecting kApplied (a failure says what
// the outcome was instead); returns its keys.
std::vector<std::string> ApplyOk(ErpWriter& writer, const v1::ExportItem& item);

// A private company copy, the fixed clock its exports stamp rows with, and
// a SqliteErpWriter over the copy, opened by SetUp with writer_options_.
class ErpWriterTest : public ::testing::Test {
 protected:
  void SetUp() override { OpenWriter(); }
  // (Re)opens the writer, as a new agent process would.
  void OpenWriter();
  std::vector<std::string> ApplyOk(const v1::ExportItem& item) {
    return testing::ApplyOk(*writer_, item);
  }
  const std::string& path() const { return company_.path(); }

  SqliteErpWriterOptions writer_options_;
  CompanyCopy company_;
  FixedClock clock_;
  std::unique_ptr<SqliteErpWriter> writer_;
};

}  // namespace erpsync::agent::testing

#endif  // ERPSYNC_TESTS_AGENT_ERP_EXPORT_TEST_UTIL_H_
