// PostSampleEntries: the accountant posting the entries exports wrote into
// the sample company.
#include "agent/erp/sample/sample_poster.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <memory>

#include "agent/erp/sqlite_erp_writer.h"
#include "common/decimal.h"
#include "tests/agent/erp/export_test_util.h"
#include "tests/support/status_matchers.h"

namespace erpsync::agent {
namespace {

using testing::CompanyCopy;
using testing::CountRows;
using testing::Describe;
using ::testing::ElementsAre;
using ::testing::Eq;
using testing::FixedClock;
using testing::Query;
using testing::QueryInteger;
using testing::ReadWhere;
using testing::TextRow;
using testing::WholeCompany;

class SamplePosterTest : public testing::ErpWriterTest {
 protected:
  int64_t Unposted() {
    return CountRows(path(), "JCT_UNPOSTED__TRANSACTION") +
           CountRows(path(), "APT_UNPOSTED__INVOICE") +
           CountRows(path(), "APT_UNPOSTED__DISTRIBUTION") +
           CountRows(path(), "CNT_UNPOSTED__CHANGE_ORDER") +
           CountRows(path(), "CNT_UNPOSTED__CHANGE_ORDER_ITEM");
  }

};

TEST_F(SamplePosterTest, PostsEstimatesUnderTheirBatchWithNewRowIdsVersionsAndStamps) {
  const int64_t last_row = QueryInteger(path(), "SELECT MAX(Row_ID) FROM JCT_CURRENT__TRANSACTION");
  const int64_t last_version =
      QueryInteger(path(), "SELECT MAX(Row_Version) FROM JCT_CURRENT__TRANSACTION");
  const int64_t last_run = QueryInteger(path(), "SELECT MAX(Run) FROM JCT_CURRENT__TRANSACTION");
  ASSERT_THAT(ApplyOk(testing::BudgetExport(20)), ElementsAre("EX-20-1"));

  const auto posted = PostSampleEntries(path());
  ASSERT_OK(posted);
  EXPECT_EQ(posted->transactions, 2);
  EXPECT_EQ(posted->ap_invoices, 0);
  EXPECT_EQ(posted->change_orders, 0);
  EXPECT_THAT(posted->batches, ElementsAre("EX-20-1"));
  EXPECT_EQ(Unposted(), 0);

  // Through the table the Transaction (JC) mapping reads.
  const std::vector<TextRow> rows =
      ReadWhere(path(), "JCT_CURRENT__TRANSACTION",
                {"Row_ID", "Job", "Extra", "Cost_Code", "Category", "Transaction_Type", "Amount",
                 "Units", "Batch", "Run", "Row_Version"},
                "Batch", "EX-20-1", {"Row_ID"});
  const auto text = [](int64_t value) { return std::to_string(value); };
  EXPECT_THAT(rows, ElementsAre(TextRow{text(last_row + 1), "17-001", "1", "01-100", "L",
                                        "Original estimate", "12000.00", "40.0000", "EX-20-1",
                                        text(last_run + 1), text(last_version + 1)},
                                TextRow{text(last_row + 2), "17-001", "1", "03-310", "S",
                                        "Original estimate", "55000.50", std::nullopt, "EX-20-1",
                                        text(last_run + 1), text(last_version + 2)}));
  // Stamped at posting time (now), so the next incremental sync sends them.
  const std::vector<TextRow> stamps = Query(
      path(), "SELECT DISTINCT Date_Stamp FROM JCT_CURRENT__TRANSACTION WHERE Batch = 'EX-20-1'");
  ASSERT_EQ(stamps.size(), 1u);
  EXPECT_EQ(*stamps[0][0], ToLocalDateTime(RealClock().NowUnix()).date);
}

TEST_F(SamplePosterTest, PostsOnlyTheNamedBatch) {
  ASSERT_THAT(ApplyOk(testing::BudgetExport(20)), ElementsAre("EX-20-1"));
  ASSERT_THAT(ApplyOk(testing::BudgetExport(21, /*change=*/true)), ElementsAre("EX-21-1"));
  const auto posted = PostSampleEntries(path(), "EX-21-1");
  ASSERT_OK(posted);
  EXPECT_EQ(posted->transactions, 2);
  EXPECT_THAT(posted->batches, ElementsAre("EX-21-1"));
  EXPECT_EQ(QueryInteger(path(),
                         "SELECT COUNT(*) FROM JCT_CURRENT__TRANSACTION WHERE Batch = "
                         "'EX-21-1' AND Transaction_Type = 'Approved est chg'"),
            2);
  EXPECT_EQ(QueryInteger(path(),
                         "SELECT COUNT(*) FROM JCT_CURRENT__TRANSACTION WHERE Batch = "
                         "'EX-20-1'"),
            0);
  EXPECT_THAT(Query(path(), "SELECT DISTINCT Batch FROM JCT_UNPOSTED__TRANSACTION"),
              ElementsAre(TextRow{"EX-20-1"}));
}

TEST_F(SamplePosterTest, PostsInvoicesWithTheirDistributions) {
  ASSERT_THAT(ApplyOk(testing::CommitmentExport(10, "26101-01")), ElementsAre("26101-01"));
  ASSERT_THAT(ApplyOk(testing::InvoiceExport(11, "26101-01", "INV-5001")),
              ElementsAre("V00010|INV-5001", "EX-11-1"));
  const auto posted = PostSampleEntries(path());
  ASSERT_OK(posted);
  EXPECT_EQ(posted->ap_invoices, 1);
  EXPECT_THAT(posted->batches, ElementsAre("EX-11-1"));
  EXPECT_EQ(Unposted(), 0);
  EXPECT_THAT(ReadWhere(path(), "APM_MASTER__INVOICE",
                        {"Vendor", "Invoice", "Commitment", "Amount", "Retainage", "Status"},
                        "Invoice", "INV-5001"),
              ElementsAre(TextRow{"V00010", "INV-5001", "26101-01", "500.10", "50.01", "Open"}));
  EXPECT_THAT(ReadWhere(path(), "APM_MASTER__DISTRIBUTION",
                        {"Distribution", "Commitment_Item", "Amount", "Retainage"}, "Invoice",
                        "INV-5001", {"Distribution"}),
              ElementsAre(TextRow{"001", "001", "400.00", "40.00"},
                          TextRow{"002", "002", "100.10", "10.01"}));
}

TEST_F(SamplePosterTest, PostsChangeOrdersOnContractItemsAndRevisesTheContract) {
  const std::vector<TextRow> before =
      Query(path(),
            "SELECT c.Revised_Contract_Amount, j.Revised_Contract_Amount FROM "
            "CNM_MASTER__CONTRACT c JOIN JCM_MASTER__JOB j ON j.Job = c.Job WHERE c.Contract = "
            "'17-001'");
  ASSERT_EQ(before.size(), 1u);
  const int64_t items_before = QueryInteger(
      path(), "SELECT COUNT(*) FROM CNM_MASTER__CONTRACT_ITEM WHERE Contract = '17-001'");
  ASSERT_THAT(ApplyOk(testing::PrimeContractChangeOrderExport(30, "PCO-7")),
              ElementsAre("17-001|PCO-7", "EX-30-1"));
  const auto posted = PostSampleEntries(path());
  ASSERT_OK(posted);
  EXPECT_EQ(posted->change_orders, 1);
  EXPECT_EQ(Unposted(), 0);
  EXPECT_THAT(ReadWhere(path(), "CNM_MASTER__CHANGE_ORDER",
                        {"Contract", "Change_Order", "Description", "Status", "Amount"},
                        "Change_Order", "PCO-7"),
              ElementsAre(TextRow{"17-001", "PCO-7", "Owner change 7", "Approved", "6500.25"}));
  // Line 1 is on the contract's item 001 (17-001 extra 2, 01-170/LB); line
  // 2's coding had no contract item: one is added.
  const std::vector<TextRow> lines =
      ReadWhere(path(), "CNM_MASTER__CHANGE_ORDER_ITEM", {"Item", "Contract_Item", "Amount"},
                "Change_Order", "PCO-7", {"Item"});
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_EQ(lines[0], (TextRow{"001", "001", "1500.00"}));
  EXPECT_EQ(QueryInteger(path(),
                         "SELECT COUNT(*) FROM CNM_MASTER__CONTRACT_ITEM WHERE Contract = "
                         "'17-001'"),
            items_before + 1);
  EXPECT_THAT(Query(path(),
                    "SELECT Job, Extra, Cost_Code, Category, Scheduled_Value FROM "
                    "CNM_MASTER__CONTRACT_ITEM WHERE Contract = '17-001' AND Item = '" +
                        *lines[1][1] + "'"),
              ElementsAre(TextRow{"17-001", "1", "01-100", "L", "0.00"}));
  const auto plus = [](const std::optional<std::string>& text) {
    return FormatDecimal(*ParseDecimal(*text, 2) + 650025, 2);
  };
  EXPECT_THAT(Query(path(),
                    "SELECT c.Revised_Contract_Amount, j.Revised_Contract_Amount FROM "
                    "CNM_MASTER__CONTRACT c JOIN JCM_MASTER__JOB j ON j.Job = c.Job WHERE "
                    "c.Contract = '17-001'"),
              ElementsAre(TextRow{plus(before[0][0]), plus(before[0][1])}));
}

TEST_F(SamplePosterTest, NothingToPostIsOkAndANamedBatchWithNothingIsNotFound) {
  const auto nothing = PostSampleEntries(path());
  ASSERT_OK(nothing);
  EXPECT_EQ(nothing->transactions + nothing->ap_invoices + nothing->change_orders, 0);
  EXPECT_TRUE(nothing->batches.empty());
  const auto named = PostSampleEntries(path(), "EX-1-1");
  ASSERT_THAT(named, StatusIs(StatusCode::kNotFound, Eq("posting entries of " + path() +
                                                        ": no unposted entries in batch EX-1-1")));
  const auto missing = PostSampleEntries(path() + ".missing");
  ASSERT_THAT(missing, StatusIs(StatusCode::kNotFound,
                                Eq("sample company " + path() + ".missing does not exist")));
}

TEST_F(SamplePosterTest, ACompanyWithoutEntryTablesPostsNothing) {
  CompanyCopy fresh;
  const std::vector<TextRow> before = WholeCompany(fresh.path());
  const auto posted = PostSampleEntries(fresh.path());
  ASSERT_OK(posted);
  EXPECT_TRUE(posted->batches.empty());
  EXPECT_TRUE(WholeCompany(fresh.path()) == before);
}

TEST_F(SamplePosterTest, AnInvoiceAlreadyPostedIsRefusedAndNothingChanges) {
  ASSERT_THAT(ApplyOk(testing::BudgetExport(20)), ElementsAre("EX-20-1"));
  ASSERT_THAT(ApplyOk(testing::CommitmentExport(10, "26101-01")), ElementsAre("26101-01"));
  ASSERT_THAT(ApplyOk(testing::InvoiceExport(11, "26101-01", "INV-5001")),
              ElementsAre("V00010|INV-5001", "EX-11-1"));
  // Someone entered the same invoice in Sage meanwhile.
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path().c_str(), &db), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(db,
                         "INSERT INTO APM_MASTER__INVOICE (Vendor, Invoice, Amount) VALUES "
                         "('V00010', 'INV-5001', '1.00')",
                         nullptr, nullptr, nullptr),
            SQLITE_OK);
  sqlite3_close(db);
  const std::vector<TextRow> before = WholeCompany(path());
  const auto posted = PostSampleEntries(path());
  ASSERT_THAT(
      posted,
      StatusIs(StatusCode::kFailedPrecondition,
               Eq("posting entries of " + path() +
                  ": invoice INV-5001 of vendor V00010 is already posted; delete its unposted "
                  "entry (batch EX-11-1)")));
  EXPECT_TRUE(WholeCompany(path()) == before);
}

}  // namespace
}  // namespace erpsync::agent
