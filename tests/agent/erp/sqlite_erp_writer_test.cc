// SqliteErpWriter against a real sample company: every type written where
// the mappings read it, exactly once, refusals that write nothing, busy
// files, and the ODBC refusal.
#include "agent/erp/sqlite_erp_writer.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <cstdio>
#include <memory>
#include <string>

#include "agent/erp/odbc_erp_writer.h"
#include "agent/erp/sample/sample_schema.h"
#include "agent/erp/sqlite_erp_source.h"
#include "agent/erp/erp_checks.h"
#include "tests/agent/erp/export_test_util.h"
#include "tests/support/status_matchers.h"

namespace erpsync::agent {
namespace {

using testing::CompanyCopy;
using testing::CountRows;
using testing::Describe;
using ::testing::ElementsAre;
using ::testing::Eq;
using testing::ExportStamp;
using testing::FixedClock;
using ::testing::HasSubstr;
using testing::Query;
using testing::QueryInteger;
using testing::ReadWhere;
using testing::TextRow;
using testing::WholeCompany;

using Kind = ExportOutcome::Kind;

// A connection that holds the ERP's write lock (BEGIN IMMEDIATE) until
// destroyed, as another program entering data would.
class WriteLockHolder {
 public:
  explicit WriteLockHolder(const std::string& path) {
    EXPECT_EQ(sqlite3_open_v2(path.c_str(), &db_, SQLITE_OPEN_READWRITE, nullptr), SQLITE_OK);
    EXPECT_EQ(sqlite3_exec(db_, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr), SQLITE_OK);
  }
  ~WriteLockHolder() {
    sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
    sqlite3_close_v2(db_);
  }

 private:
  sqlite3* db_ = nullptr;
};

class SqliteErpWriterTest : public testing::ErpWriterTest {
 protected:
  // Busy files are given up fast.
  SqliteErpWriterTest() { writer_options_.busy_timeout_ms = 50; }

  // Applies `item`, expecting a rejection that writes nothing; returns the
  // message.
  std::string ApplyRejected(const v1::ExportItem& item) {
    const std::vector<TextRow> before = WholeCompany(path());
    const ExportOutcome outcome = writer_->Apply(item);
    EXPECT_EQ(outcome.kind, Kind::kRejected) << Describe(outcome);
    EXPECT_TRUE(outcome.erp_keys.empty());
    EXPECT_TRUE(WholeCompany(path()) == before) << "the rejected export wrote something";
    return outcome.message;
  }

  int64_t JournalRows() { return CountRows(path(), "ERPSYNC_EXPORT_JOURNAL"); }
};

// ---- Every type, where the mappings read it --------------------------------

TEST_F(SqliteErpWriterTest, WritesAJobStampedForTheNextIncrementalSync) {
  EXPECT_THAT(ApplyOk(testing::JobExport(1, "26-101")), ElementsAre("26-101"));
  const LocalDateTime now = ExportStamp();
  EXPECT_THAT(
      ReadWhere(
          path(), "JCM_MASTER__JOB",
          {"Job", "Description", "Status", "Original_Contract_Amount", "Revised_Contract_Amount",
           "Address_1", "City", "State", "Zip_Code", "Date_Stamp", "Time_Stamp"},
          "Job", "26-101"),
      ElementsAre(TextRow{"26-101", "Riverside Clinic", "In progress", "1250000.50", "1250000.50",
                          "100 Main St", "Sacramento", "CA", "95814", now.date, now.time}));
  // An incremental read from the stamp picks it up.
  auto erp = SqliteErpSource::Open(path());
  ASSERT_OK(erp);
  TableRead read;
  read.table = "JCM_MASTER__JOB";
  read.columns = {"Job"};
  read.since_column = "Date_Stamp";
  read.since_value = now.date;
  auto rows = testing::ReadAll(**erp, read);
  ASSERT_OK(rows);
  EXPECT_THAT(*rows, ElementsAre(TextRow{"26-101"}));
}

TEST_F(SqliteErpWriterTest, WritesASubJobKeyedJobAndExtra) {
  EXPECT_THAT(ApplyOk(testing::SubJobExport(2, "4")), ElementsAre("17-001|4"));
  const LocalDateTime now = ExportStamp();
  EXPECT_THAT(ReadWhere(path(), "JCM_MASTER__EXTRA",
                        {"Job", "Extra", "Description", "Status", "Date_Stamp", "Time_Stamp"},
                        "Extra", "4"),
              ElementsAre(TextRow{"17-001", "4", "Area D", "In progress", now.date, now.time}));
}

TEST_F(SqliteErpWriterTest, WritesAVendorWithDefaultInvoiceSettings) {
  EXPECT_THAT(ApplyOk(testing::VendorExport(3, "V09990")), ElementsAre("V09990"));
  const LocalDateTime now = ExportStamp();
  EXPECT_THAT(ReadWhere(path(), "APM_MASTER__VENDOR",
                        {"Vendor", "Name", "City", "State", "Telephone", "Address_1", "Date_Stamp",
                         "Time_Stamp"},
                        "Vendor", "V09990"),
              ElementsAre(TextRow{"V09990", "Delta Drywall Inc", "Reno", "NV", "(775) 555-0100",
                                  std::nullopt, now.date, now.time}));
  EXPECT_THAT(ReadWhere(path(), "APM_MASTER__INVOICE_SETTINGS",
                        {"Payment_Terms", "Retainage_Percent", "Hold_Payment"}, "Vendor", "V09990"),
              ElementsAre(TextRow{"Net 30", "0.00", "N"}));
}

TEST_F(SqliteErpWriterTest, CostCodeUpdateAddsCodesWithTheirGroupAndKeepsExistingDescriptions) {
  ASSERT_THAT(ApplyOk(testing::JobExport(1, "26-101")), ElementsAre("26-101"));
  v1::ExportItem update = testing::CostCodeUpdateExport(2, "26-101", {"03-310", "01-100"});
  update.mutable_content()->mutable_cost_code_update()->mutable_lines(1)->set_description(
      "Field supervision");
  EXPECT_THAT(ApplyOk(update), ElementsAre("26-101||03-310", "26-101||01-100"));
  EXPECT_THAT(
      ReadWhere(path(), "JCM_MASTER__COST_CODE",
                {"Extra", "Cost_Code", "Description", "Unit_Description"}, "Job", "26-101",
                {"Cost_Code"}),
      ElementsAre(TextRow{"", "01-000", "General requirements", ""},
                  TextRow{"", "01-100", "Field supervision", "HR"},
                  TextRow{"", "03-000", "Concrete", ""}, TextRow{"", "03-310", "Footings", "CY"}));
  // A code the job has keeps its description.
  v1::ExportItem again = testing::CostCodeUpdateExport(3, "26-101", {"01-100"});
  again.mutable_content()->mutable_cost_code_update()->mutable_lines(0)->set_description("Other");
  EXPECT_THAT(ApplyOk(again), ElementsAre("26-101||01-100"));
  EXPECT_EQ(QueryInteger(path(),
                         "SELECT COUNT(*) FROM JCM_MASTER__COST_CODE WHERE Job = "
                         "'26-101' AND Description = 'Field supervision'"),
            1);
}

TEST_F(SqliteErpWriterTest, WritesACommitmentWithItemsAndTiesStandardCategories) {
  const int64_t categories_before = CountRows(path(), "JCM_MASTER__CATEGORY");
  EXPECT_THAT(ApplyOk(testing::CommitmentExport(10, "26101-01")), ElementsAre("26101-01"));
  const LocalDateTime now = ExportStamp();
  EXPECT_THAT(
      ReadWhere(path(), "JCM_MASTER__COMMITMENT",
                {"Commitment", "Vendor", "Job", "Commitment_Type", "Description", "Closed",
                 "Commitment_Date", "Retainage_Percent", "Date_Stamp", "Time_Stamp"},
                "Commitment", "26101-01"),
      ElementsAre(TextRow{"26101-01", "V00010", "17-001", "Subcontract", "Concrete footings", "N",
                          now.date, "10.00", now.date, now.time}));
  EXPECT_THAT(
      ReadWhere(path(), "JCM_MASTER__COMMITMENT_ITEM",
                {"Item", "Job", "Extra", "Cost_Code", "Category", "Description", "Amount",
                 "Retainage_Percent"},
                "Commitment", "26101-01", {"Item"}),
      ElementsAre(TextRow{"001", "17-001", "1", "01-100", "L", "Supervision", "1000.00", "10.00"},
                  TextRow{"002", "17-001", "1", "03-310", "M", "Footings", "2500.50", "10.00"}));
  // 03-310 had no category M on the job: tied on use, once.
  EXPECT_EQ(CountRows(path(), "JCM_MASTER__CATEGORY"), categories_before + 1);
  EXPECT_EQ(QueryInteger(path(),
                         "SELECT COUNT(*) FROM JCM_MASTER__CATEGORY WHERE Job = '17-001' "
                         "AND Extra = '1' AND Cost_Code = '03-310' AND Category = 'M' "
                         "AND Description = 'Material'"),
            1);
}

TEST_F(SqliteErpWriterTest, WritesAChangeOrderLinePerItemAndAddsNewItems) {
  ASSERT_THAT(ApplyOk(testing::CommitmentExport(10, "26101-01")), ElementsAre("26101-01"));
  EXPECT_THAT(ApplyOk(testing::ChangeOrderExport(11, "26101-01", "001")),
              ElementsAre("26101-01|001|001", "26101-01|001|003"));
  const LocalDateTime now = ExportStamp();
  EXPECT_THAT(
      ReadWhere(path(), "JCM_MASTER__COMMITMENT_CO",
                {"Change_Order", "Item", "Description", "Amount", "Status", "Change_Order_Date"},
                "Commitment", "26101-01", {"Change_Order", "Item"}),
      ElementsAre(TextRow{"001", "001", "Added rebar", "100.00", "Approved", now.date},
                  TextRow{"001", "003", "Site material", "-20.25", "Approved", now.date}));
  EXPECT_THAT(ReadWhere(path(), "JCM_MASTER__COMMITMENT_ITEM",
                        {"Item", "Cost_Code", "Category", "Amount", "Retainage_Percent"},
                        "Commitment", "26101-01", {"Item"}),
              ElementsAre(TextRow{"001", "01-100", "L", "1000.00", "10.00"},
                          TextRow{"002", "03-310", "M", "2500.50", "10.00"},
                          TextRow{"003", "01-100", "M", "0.00", "10.00"}));
}

TEST_F(SqliteErpWriterTest, WritesABudgetAsUnpostedOriginalEstimatesUnderAFreshBatch) {
  const int64_t posted_before = CountRows(path(), "JCT_CURRENT__TRANSACTION");
  EXPECT_THAT(ApplyOk(testing::BudgetExport(20)), ElementsAre("EX-20-1"));
  const LocalDateTime now = ExportStamp();
  const std::string month_end = now.date.substr(0, 8) + "31";  // March
  EXPECT_THAT(ReadWhere(path(), "JCT_UNPOSTED__TRANSACTION",
                        {"Job", "Extra", "Cost_Code", "Category", "Transaction_Type",
                         "Accounting_Date", "Transaction_Date", "Amount", "Units", "Description",
                         "Batch", "Run", "Date_Stamp", "Time_Stamp"},
                        "Batch", "EX-20-1", {"Unposted_ID"}),
              ElementsAre(TextRow{"17-001", "1", "01-100", "L", "Original estimate", month_end,
                                  now.date, "12000.00", "40.0000", "Supervision", "EX-20-1",
                                  std::nullopt, now.date, now.time},
                          TextRow{"17-001", "1", "03-310", "S", "Original estimate", month_end,
                                  now.date, "55000.50", std::nullopt, "Footings sub", "EX-20-1",
                                  std::nullopt, now.date, now.time}));
  // Unposted: nothing in the posted transactions yet.
  EXPECT_EQ(CountRows(path(), "JCT_CURRENT__TRANSACTION"), posted_before);
}

TEST_F(SqliteErpWriterTest, WritesABudgetChangeAsApprovedEstimateChanges) {
  ASSERT_THAT(ApplyOk(testing::BudgetExport(20)), ElementsAre("EX-20-1"));
  EXPECT_THAT(ApplyOk(testing::BudgetExport(21, /*change=*/true)), ElementsAre("EX-21-1"));
  EXPECT_THAT(ReadWhere(path(), "JCT_UNPOSTED__TRANSACTION", {"Transaction_Type", "Amount"},
                        "Batch", "EX-21-1", {"Unposted_ID"}),
              ElementsAre(TextRow{"Approved est chg", "12000.00"},
                          TextRow{"Approved est chg", "55000.50"}));
}

TEST_F(SqliteErpWriterTest, WritesAPrimeContractChangeOrderAsUnpostedEntries) {
  EXPECT_THAT(ApplyOk(testing::PrimeContractChangeOrderExport(30, "PCO-7")),
              ElementsAre("17-001|PCO-7", "EX-30-1"));
  const LocalDateTime now = ExportStamp();
  EXPECT_THAT(ReadWhere(path(), "CNT_UNPOSTED__CHANGE_ORDER",
                        {"Contract", "Change_Order", "Description", "Status", "Change_Order_Date",
                         "Approved_Date", "Amount", "Batch", "Date_Stamp", "Time_Stamp"},
                        "Batch", "EX-30-1"),
              ElementsAre(TextRow{"17-001", "PCO-7", "Owner change 7", "Approved", "2026-03-10",
                                  "2026-03-10", "6500.25", "EX-30-1", now.date, now.time}));
  EXPECT_THAT(ReadWhere(path(), "CNT_UNPOSTED__CHANGE_ORDER_ITEM",
                        {"Item", "Extra", "Cost_Code", "Category", "Description", "Amount"},
                        "Change_Order", "PCO-7", {"Item"}),
              ElementsAre(TextRow{"001", "2", "01-170", "LB", "Safety", "1500.00"},
                          TextRow{"002", "1", "01-100", "L", "Extra supervision", "5000.25"}));
}

TEST_F(SqliteErpWriterTest, WritesASubcontractorInvoiceWithDistributionsAndRetainage) {
  ASSERT_THAT(ApplyOk(testing::CommitmentExport(10, "26101-01")), ElementsAre("26101-01"));
  EXPECT_THAT(ApplyOk(testing::InvoiceExport(11, "26101-01", "INV-5001")),
              ElementsAre("V00010|INV-5001", "EX-11-1"));
  const LocalDateTime now = ExportStamp();
  EXPECT_THAT(ReadWhere(path(), "APT_UNPOSTED__INVOICE",
                        {"Vendor", "Invoice", "Invoice_Date", "Due_Date", "Accounting_Date",
                         "Description", "Job", "Commitment", "Amount", "Retainage", "Amount_Paid",
                         "Status", "Batch", "Date_Stamp", "Time_Stamp"},
                        "Invoice", "INV-5001"),
              ElementsAre(TextRow{"V00010", "INV-5001", "2026-03-05", "2026-04-04", "2026-03-31",
                                  "Progress bill 1", "17-001", "26101-01", "500.10", "50.01",
                                  "0.00", "Open", "EX-11-1", now.date, now.time}));
  EXPECT_THAT(ReadWhere(path(), "APT_UNPOSTED__DISTRIBUTION",
                        {"Distribution", "Job", "Extra", "Cost_Code", "Category", "Commitment_Item",
                         "Expense_Account", "Description", "Amount", "Retainage"},
                        "Invoice", "INV-5001", {"Distribution"}),
              ElementsAre(TextRow{"001", "17-001", "1", "01-100", "L", "001", "01-5300",
                                  "Supervision", "400.00", "40.00"},
                          TextRow{"002", "17-001", "1", "03-310", "M", "002", "01-5300",
                                  "Footings to date", "100.10", "10.01"}));
}

// ---- Exactly once ---------------------------------------------------------

TEST_F(SqliteErpWriterTest, RedeliveryWritesOnceAndReturnsTheSameKeys) {
  const v1::ExportItem commitment = testing::CommitmentExport(10, "26101-01");
  ASSERT_THAT(ApplyOk(commitment), ElementsAre("26101-01"));
  const std::vector<TextRow> after_first = WholeCompany(path());
  const ExportOutcome again = writer_->Apply(commitment);
  EXPECT_EQ(again.kind, Kind::kAlreadyApplied) << Describe(again);
  EXPECT_THAT(again.erp_keys, ElementsAre("26101-01"));
  EXPECT_TRUE(WholeCompany(path()) == after_first);
  EXPECT_EQ(JournalRows(), 1);
  EXPECT_THAT(
      Query(path(),
            "SELECT Item_ID, Version, ERP_Keys, Applied_At FROM "
            "ERPSYNC_EXPORT_JOURNAL"),
      ElementsAre(TextRow{"10", "1", "26101-01", ExportStamp().date + " " + ExportStamp().time}));
}

TEST_F(SqliteErpWriterTest, RedeliveryAfterACrashThroughANewApplierWritesOnce) {
  const v1::ExportItem budget = testing::BudgetExport(20);
  ASSERT_THAT(ApplyOk(budget), ElementsAre("EX-20-1"));
  // The agent dies before reporting; a new process opens the ERP again.
  OpenWriter();
  const ExportOutcome again = writer_->Apply(budget);
  EXPECT_EQ(again.kind, Kind::kAlreadyApplied) << Describe(again);
  EXPECT_THAT(again.erp_keys, ElementsAre("EX-20-1"));
  EXPECT_EQ(CountRows(path(), "JCT_UNPOSTED__TRANSACTION"), 2);
  EXPECT_EQ(JournalRows(), 1);
}

TEST_F(SqliteErpWriterTest, RedeliveryIsAnsweredWhileAnotherProgramHoldsTheWriteLock) {
  const v1::ExportItem job = testing::JobExport(1, "26-101");
  ASSERT_THAT(ApplyOk(job), ElementsAre("26-101"));
  WriteLockHolder other(path());
  const ExportOutcome again = writer_->Apply(job);
  EXPECT_EQ(again.kind, Kind::kAlreadyApplied) << Describe(again);
  EXPECT_THAT(again.erp_keys, ElementsAre("26-101"));
}

TEST_F(SqliteErpWriterTest, EveryTypeRedeliveredWritesOnceWithTheSameKeys) {
  const std::vector<v1::ExportItem> exports = {
      testing::JobExport(1, "26-101"),
      testing::SubJobExport(2, "4"),
      testing::VendorExport(3, "V09990"),
      testing::CostCodeUpdateExport(4, "26-101", {"03-310"}),
      testing::CommitmentExport(10, "26101-01"),
      testing::ChangeOrderExport(11, "26101-01", "001"),
      testing::InvoiceExport(12, "26101-01", "INV-5001"),
      testing::BudgetExport(20),
      testing::BudgetExport(21, /*change=*/true),
      testing::PrimeContractChangeOrderExport(30, "PCO-7"),
  };
  std::vector<std::vector<std::string>> keys;
  for (const v1::ExportItem& item : exports) {
    SCOPED_TRACE(item.item_id());
    keys.push_back(ApplyOk(item));
  }
  const std::vector<TextRow> written = WholeCompany(path());
  OpenWriter();
  for (size_t i = 0; i < exports.size(); ++i) {
    SCOPED_TRACE(exports[i].item_id());
    const ExportOutcome again = writer_->Apply(exports[i]);
    EXPECT_EQ(again.kind, Kind::kAlreadyApplied) << Describe(again);
    EXPECT_EQ(again.erp_keys, keys[i]);
  }
  EXPECT_TRUE(WholeCompany(path()) == written);
  EXPECT_EQ(JournalRows(), static_cast<int64_t>(exports.size()));
}

// ---- Refusals: the ERP's message, nothing written -------------------------

TEST_F(SqliteErpWriterTest, RejectsACommitmentIdAlreadyInUse) {
  EXPECT_EQ(ApplyRejected(testing::CommitmentExport(10, testing::kExistingCommitment)),
            "Commitment ID '17001-01' is already in use");
}

TEST_F(SqliteErpWriterTest, RejectsAnUnknownVendor) {
  v1::ExportItem item = testing::CommitmentExport(10, "26101-01");
  item.mutable_content()->mutable_commitment()->set_vendor("V77777");
  EXPECT_EQ(ApplyRejected(item), "Vendor 'V77777' does not exist");
}

TEST_F(SqliteErpWriterTest, RejectsACommitmentIdLongerThan12Characters) {
  EXPECT_EQ(ApplyRejected(testing::CommitmentExport(10, "26101-01-XYZW")),
            "Commitment ID '26101-01-XYZW' is longer than 12 characters");
}

TEST_F(SqliteErpWriterTest, RejectsACommitmentTitleLongerThan30Characters) {
  v1::ExportItem item = testing::CommitmentExport(10, "26101-01");
  item.mutable_content()->mutable_commitment()->set_title("Concrete footings and foundation");
  EXPECT_EQ(ApplyRejected(item),
            "Commitment title 'Concrete footings and foundation' is longer than 30 characters");
}

TEST_F(SqliteErpWriterTest, CountsCharactersNotBytesInWidths) {
  const std::string title = "Béton coulé façade nord ouest!";
  ASSERT_EQ(Utf8Length(title), 30u);
  ASSERT_GT(title.size(), 30u);
  v1::ExportItem item = testing::CommitmentExport(10, "26101-01");
  item.mutable_content()->mutable_commitment()->set_title(title);
  EXPECT_THAT(ApplyOk(item), ElementsAre("26101-01"));
  EXPECT_THAT(
      ReadWhere(path(), "JCM_MASTER__COMMITMENT", {"Description"}, "Commitment", "26101-01"),
      ElementsAre(TextRow{title}));
}

TEST_F(SqliteErpWriterTest, RejectsAnUnknownJob) {
  v1::ExportItem item = testing::CommitmentExport(10, "26101-01");
  item.set_erp_job("99-999");
  EXPECT_EQ(ApplyRejected(item), "Job '99-999' does not exist");
}

TEST_F(SqliteErpWriterTest, RejectsACostCodeTheJobDoesNotHaveAndRollsBackTheHeader) {
  v1::ExportItem item = testing::CommitmentExport(10, "26101-01");
  item.mutable_content()->mutable_commitment()->mutable_lines(1)->set_cost_code("09-250");
  EXPECT_EQ(ApplyRejected(item),
            "Item '002': Cost code '09-250' is not set up for job '17-001' extra '1'");
  EXPECT_EQ(QueryInteger(path(),
                         "SELECT COUNT(*) FROM JCM_MASTER__COMMITMENT WHERE Commitment = "
                         "'26101-01'"),
            0);
}

TEST_F(SqliteErpWriterTest, RejectsACategoryOutsideTheStandardList) {
  v1::ExportItem item = testing::BudgetExport(20);
  item.mutable_content()->mutable_budget()->mutable_lines(1)->set_category("ZZ");
  EXPECT_EQ(ApplyRejected(item), "Line 2: Category 'ZZ' is not in the standard category list");
}

TEST_F(SqliteErpWriterTest, RejectsABudgetLineWithoutACategory) {
  v1::ExportItem item = testing::BudgetExport(20);
  item.mutable_content()->mutable_budget()->mutable_lines(0)->clear_category();
  EXPECT_EQ(ApplyRejected(item), "Line 1: Category is required");
}

TEST_F(SqliteErpWriterTest, RejectsAMalformedAmount) {
  v1::ExportItem item = testing::BudgetExport(20);
  item.mutable_content()->mutable_budget()->mutable_lines(1)->set_amount("12.345");
  EXPECT_EQ(ApplyRejected(item),
            "Line 2: Amount '12.345' is not an amount with at most 2 decimals");
}

TEST_F(SqliteErpWriterTest, RejectsKeysAlreadyInUse) {
  EXPECT_EQ(ApplyRejected(testing::JobExport(1, testing::kJob)), "Job '17-001' is already in use");
  EXPECT_EQ(ApplyRejected(testing::SubJobExport(2, "1")),
            "Extra '1' of job '17-001' is already in use");
  EXPECT_EQ(ApplyRejected(testing::VendorExport(3, testing::kVendor)),
            "Vendor 'V00010' is already in use");
  EXPECT_EQ(ApplyRejected(testing::PrimeContractChangeOrderExport(30, "001")),
            "Change order '001' of contract '17-001' is already in use");
}

TEST_F(SqliteErpWriterTest, RejectsKeysTooLong) {
  EXPECT_EQ(ApplyRejected(testing::JobExport(1, "2026-000101")),
            "Job '2026-000101' is longer than 10 characters");
  EXPECT_EQ(ApplyRejected(testing::VendorExport(3, "VENDOR-00001")),
            "Vendor 'VENDOR-00001' is longer than 10 characters");
  EXPECT_EQ(ApplyRejected(testing::SubJobExport(2, "PHASE-7")),
            "Extra 'PHASE-7' is longer than 6 characters");
}

TEST_F(SqliteErpWriterTest, RejectsASecondInvoiceNumberOfTheVendorAndUnknownItems) {
  ASSERT_THAT(ApplyOk(testing::CommitmentExport(10, "26101-01")), ElementsAre("26101-01"));
  ASSERT_THAT(ApplyOk(testing::InvoiceExport(11, "26101-01", "INV-5001")),
              ElementsAre("V00010|INV-5001", "EX-11-1"));
  EXPECT_EQ(ApplyRejected(testing::InvoiceExport(12, "26101-01", "INV-5001")),
            "Invoice 'INV-5001' is already in use for vendor 'V00010'");
  v1::ExportItem unknown_item = testing::InvoiceExport(13, "26101-01", "INV-5002");
  unknown_item.mutable_content()->mutable_subcontractor_invoice()->mutable_lines(1)->set_item(
      "009");
  EXPECT_EQ(ApplyRejected(unknown_item),
            "Line 2: Item '009' is not an item of commitment '26101-01'");
}

TEST_F(SqliteErpWriterTest, RejectsChangeOrdersAndInvoicesOnClosedOrUnknownCommitments) {
  EXPECT_EQ(ApplyRejected(testing::ChangeOrderExport(11, testing::kExistingCommitment, "009")),
            "Commitment '17001-01' is closed");
  EXPECT_EQ(ApplyRejected(testing::InvoiceExport(12, "NOPE", "INV-1")),
            "Commitment 'NOPE' does not exist");
  ASSERT_THAT(ApplyOk(testing::CommitmentExport(10, "26101-01")), ElementsAre("26101-01"));
  v1::ExportItem new_item = testing::ChangeOrderExport(11, "26101-01", "001");
  new_item.mutable_content()
      ->mutable_commitment_change_order()
      ->mutable_lines(1)
      ->clear_cost_code();
  EXPECT_EQ(ApplyRejected(new_item),
            "Item '003': the item is new on commitment '26101-01'; Cost code is required");
}

TEST_F(SqliteErpWriterTest, ARefusalNamesAnEarlierWriteOfTheSameItem) {
  v1::ExportItem commitment = testing::CommitmentExport(10, "26101-01");
  ASSERT_THAT(ApplyOk(commitment), ElementsAre("26101-01"));
  commitment.set_version(4);
  EXPECT_EQ(ApplyRejected(commitment),
            "Commitment ID '26101-01' is already in use (item 10 version 1 was written into the "
            "ERP as 26101-01)");
}

TEST_F(SqliteErpWriterTest, ANewVersionOfAFailedItemIsAppliedAfterTheFix) {
  v1::ExportItem commitment = testing::CommitmentExport(10, "26101-01");
  commitment.mutable_content()->mutable_commitment()->set_vendor("V09990");
  EXPECT_EQ(ApplyRejected(commitment), "Vendor 'V09990' does not exist");
  EXPECT_EQ(JournalRows(), 0);
  // The vendor is exported; the commitment is re-sent (a new version).
  ASSERT_THAT(ApplyOk(testing::VendorExport(3, "V09990")), ElementsAre("V09990"));
  commitment.set_version(3);
  EXPECT_THAT(ApplyOk(commitment), ElementsAre("26101-01"));
  EXPECT_THAT(Query(path(), "SELECT Item_ID, Version FROM ERPSYNC_EXPORT_JOURNAL ORDER BY Item_ID"),
              ElementsAre(TextRow{"3", "1"}, TextRow{"10", "3"}));
}

TEST_F(SqliteErpWriterTest, OneRefusedExportDoesNotBlockTheNext) {
  EXPECT_EQ(ApplyRejected(testing::CommitmentExport(10, testing::kExistingCommitment)),
            "Commitment ID '17001-01' is already in use");
  EXPECT_THAT(ApplyOk(testing::CommitmentExport(11, "26101-02")), ElementsAre("26101-02"));
}

TEST_F(SqliteErpWriterTest, RejectsContentThatDoesNotMatchTheType) {
  v1::ExportItem item = testing::JobExport(1, "26-101");
  item.set_type(v1::VENDOR);
  EXPECT_EQ(ApplyRejected(item), "the export of item 1 has no vendor content");
}

// ---- Failures of the ERP file ------------------------------------------------

TEST_F(SqliteErpWriterTest, AnotherWriterHoldingTheLockIsTransientAndTheRetrySucceeds) {
  const v1::ExportItem job = testing::JobExport(1, "26-101");
  {
    WriteLockHolder other(path());
    const ExportOutcome busy = writer_->Apply(job);
    EXPECT_EQ(busy.kind, Kind::kTransient) << Describe(busy);
    EXPECT_THAT(busy.message, HasSubstr("database is locked"));
    EXPECT_TRUE(busy.erp_keys.empty());
  }
  EXPECT_EQ(JournalRows(), 0);
  EXPECT_THAT(ApplyOk(job), ElementsAre("26-101"));
}

TEST_F(SqliteErpWriterTest, AWriteTheCompanyCannotHoldIsRejectedAndRolledBack) {
  // A company without the vendors' invoice settings table.
  ASSERT_EQ(QueryInteger(path(), "SELECT COUNT(*) FROM APM_MASTER__VENDOR WHERE Vendor = 'V09990'"),
            0);
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path().c_str(), &db), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(db, "DROP TABLE APM_MASTER__INVOICE_SETTINGS", nullptr, nullptr, nullptr),
            SQLITE_OK);
  sqlite3_close(db);
  const std::string message = ApplyRejected(testing::VendorExport(3, "V09990"));
  EXPECT_THAT(message, HasSubstr("the ERP could not write it: "));
  EXPECT_THAT(message, HasSubstr("no such table: APM_MASTER__INVOICE_SETTINGS"));
}

TEST_F(SqliteErpWriterTest, ADamagedFileIsRejectedNotRetried) {
  // Overwrite the pages of the job table and its key index.
  writer_.reset();
  const std::vector<TextRow> pages =
      Query(path(), "SELECT rootpage FROM sqlite_master WHERE tbl_name = 'JCM_MASTER__JOB'");
  const int64_t page_size = QueryInteger(path(), "PRAGMA page_size");
  ASSERT_FALSE(pages.empty());
  {
    std::FILE* file = std::fopen(path().c_str(), "r+b");
    ASSERT_NE(file, nullptr);
    const std::string garbage(static_cast<size_t>(page_size), '\x5a');
    for (const TextRow& page : pages) {
      ASSERT_EQ(std::fseek(file, (std::stol(*page[0]) - 1) * page_size, SEEK_SET), 0);
      ASSERT_EQ(std::fwrite(garbage.data(), 1, garbage.size(), file), garbage.size());
    }
    std::fclose(file);
  }
  OpenWriter();
  const ExportOutcome outcome = writer_->Apply(testing::JobExport(1, "26-101"));
  EXPECT_EQ(outcome.kind, Kind::kRejected) << Describe(outcome);
  EXPECT_THAT(outcome.message, HasSubstr("the ERP database is damaged; nothing was written: "));
  EXPECT_EQ(JournalRows(), 0);
}

TEST(SqliteErpWriterOpenTest, RefusesAMissingFileAnotherFormatAndANonSageDatabase) {
  FixedClock clock;
  erpsync::testing::TempDir dir;
  auto missing = SqliteErpWriter::Open(dir.File("none.db"), &clock);
  ASSERT_THAT(missing, StatusIs(StatusCode::kNotFound,
                                Eq("ERP database " + dir.File("none.db") + " does not exist")));

  erpsync::testing::WriteTextFile(dir.File("notes.txt"), "not a database, clearly not one\n");
  auto text = SqliteErpWriter::Open(dir.File("notes.txt"), &clock);
  ASSERT_THAT(text, StatusIs(StatusCode::kInvalidArgument,
                             Eq(dir.File("notes.txt") + " is not an SQLite database")));

  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(dir.File("other.db").c_str(), &db), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(db, "CREATE TABLE t (x)", nullptr, nullptr, nullptr), SQLITE_OK);
  sqlite3_close(db);
  auto other = SqliteErpWriter::Open(dir.File("other.db"), &clock);
  ASSERT_THAT(other, StatusIs(StatusCode::kFailedPrecondition,
                              Eq(dir.File("other.db") +
                                 " is not a Sage 300 CRE company (no table JCM_MASTER__JOB)")));
}

TEST(SqliteErpWriterOpenTest, CreatesTheJournalAndEmptyEntryTablesOnce) {
  CompanyCopy company;
  const std::vector<TextRow> before = WholeCompany(company.path(), SampleTables());
  FixedClock clock;
  for (int i = 0; i < 2; ++i) {
    auto applier = SqliteErpWriter::Open(company.path(), &clock);
    ASSERT_OK(applier);
  }
  for (const char* table : {"ERPSYNC_EXPORT_JOURNAL", "JCT_UNPOSTED__TRANSACTION",
                            "APT_UNPOSTED__INVOICE", "APT_UNPOSTED__DISTRIBUTION",
                            "CNT_UNPOSTED__CHANGE_ORDER", "CNT_UNPOSTED__CHANGE_ORDER_ITEM"}) {
    EXPECT_EQ(CountRows(company.path(), table), 0) << table;
  }
  // The company's own tables are untouched.
  EXPECT_TRUE(WholeCompany(company.path(), SampleTables()) == before);
}

TEST(OdbcErpWriterTest, RefusesEveryExportAsUnsupported) {
  const std::unique_ptr<ErpWriter> applier = std::make_unique<OdbcErpWriter>();
  const ExportOutcome outcome = applier->Apply(testing::JobExport(1, "26-101"));
  EXPECT_EQ(outcome.kind, Kind::kRejected);
  EXPECT_EQ(outcome.message, kOdbcExportUnsupported);
  EXPECT_TRUE(outcome.erp_keys.empty());
}

}  // namespace
}  // namespace erpsync::agent
