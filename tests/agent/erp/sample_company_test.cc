#include "agent/erp/sample/sample_company.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sqlite3.h>
#include <sys/stat.h>

#include <algorithm>
#include <filesystem>
#include <set>
#include <string>
#include <vector>

#include "agent/erp/sample/sample_schema.h"
#include "agent/erp/sample/sample_transactions.h"
#include "tests/agent/erp/erp_test_util.h"
#include "tests/support/status_matchers.h"
#include "tests/support/temp_dir.h"

namespace erpsync::agent {
namespace {

using ::erpsync::testing::TempDir;
using ::testing::HasSubstr;
using testing::Query;
using testing::QueryInteger;
using testing::SharedSampleCompany;
using testing::TextRow;

bool Exists(const std::string& path) {
  struct stat info {};
  return ::stat(path.c_str(), &info) == 0;
}

// Every row of every table, in table and rowid order.
std::vector<TextRow> Content(const std::string& path) {
  std::vector<TextRow> content;
  for (const SampleTableDef& table : SampleTables()) {
    content.push_back({std::string(table.name)});
    for (TextRow& row :
         Query(path, "SELECT * FROM \"" + std::string(table.name) + "\" ORDER BY rowid")) {
      content.push_back(std::move(row));
    }
  }
  return content;
}

SampleCompanyOptions TinyOptions(uint64_t seed) {
  SampleCompanyOptions options;
  options.jobs = 2;
  options.transactions = 150;
  options.seed = seed;
  return options;
}

// Rows of `sql` that break a reference (the query selects them).
int64_t Orphans(const std::string& sql) {
  return QueryInteger(SharedSampleCompany(), "SELECT COUNT(*) FROM (" + sql + ")");
}

TEST(SampleCompanyTest, WritesEveryTableWithRowsAndReportsTheCounts) {
  TempDir dir;
  const std::string path = dir.File("company.db");
  const auto summary = CreateSampleCompany(path, testing::SmallCompanyOptions());
  ASSERT_OK(summary);
  ASSERT_EQ(summary->tables.size(), SampleTables().size());
  for (size_t i = 0; i < SampleTables().size(); ++i) {
    const SampleTableCount& count = summary->tables[i];
    EXPECT_EQ(count.table, SampleTables()[i].name);
    EXPECT_GT(count.rows, 0) << count.table;
    EXPECT_EQ(count.rows, QueryInteger(path, "SELECT COUNT(*) FROM " + count.table)) << count.table;
  }
  EXPECT_EQ(QueryInteger(path, "SELECT COUNT(*) FROM JCT_CURRENT__TRANSACTION"), 600);
  EXPECT_EQ(QueryInteger(path, "SELECT COUNT(*) FROM JCM_MASTER__JOB"), 3);
  EXPECT_GT(summary->seconds, 0);
  EXPECT_FALSE(Exists(path + ".partial"));
}

TEST(SampleCompanyTest, SameOptionsGiveTheSameContent) {
  TempDir dir;
  ASSERT_OK(CreateSampleCompany(dir.File("a.db"), TinyOptions(5)));
  ASSERT_OK(CreateSampleCompany(dir.File("b.db"), TinyOptions(5)));
  EXPECT_EQ(Content(dir.File("a.db")), Content(dir.File("b.db")));
}

TEST(SampleCompanyTest, DifferentSeedsGiveDifferentContent) {
  TempDir dir;
  ASSERT_OK(CreateSampleCompany(dir.File("a.db"), TinyOptions(5)));
  ASSERT_OK(CreateSampleCompany(dir.File("b.db"), TinyOptions(6)));
  EXPECT_NE(Content(dir.File("a.db")), Content(dir.File("b.db")));
}

TEST(SampleCompanyTest, HistoryCoversTheTenYearsBeforeAsOf) {
  TempDir dir;
  const std::string path = dir.File("company.db");
  SampleCompanyOptions options = TinyOptions(3);
  options.as_of = "2020-06-30";
  options.transactions = 2000;
  ASSERT_OK(CreateSampleCompany(path, options));
  const std::vector<TextRow> range =
      Query(path,
            "SELECT MIN(Transaction_Date), MAX(Transaction_Date), MAX(Date_Stamp) "
            "FROM JCT_CURRENT__TRANSACTION");
  ASSERT_EQ(range.size(), 1u);
  EXPECT_EQ(range[0][0], "2010-07-01");
  EXPECT_GE(*range[0][1], "2020-06-01");
  EXPECT_LE(*range[0][1], "2020-06-30");
  EXPECT_LE(*range[0][2], "2020-06-30");
  for (const SampleTableDef& table : SampleTables()) {
    if (table.stamp_index_sql.empty()) continue;
    const std::string name(table.name);
    EXPECT_EQ(
        QueryInteger(path, "SELECT COUNT(*) FROM " + name +
                               " WHERE Date_Stamp < '2010-07-01' OR Date_Stamp > '2020-06-30'"),
        0)
        << name;
  }
}

TEST(SampleCompanyTest, TransactionsReferenceExistingMasters) {
  const std::string jct = "JCT_CURRENT__TRANSACTION t";
  EXPECT_EQ(Orphans("SELECT 1 FROM " + jct +
                    " LEFT JOIN JCM_MASTER__JOB j ON j.Job = t.Job WHERE j.Job IS NULL"),
            0);
  EXPECT_EQ(
      Orphans("SELECT 1 FROM " + jct +
              " LEFT JOIN JCM_MASTER__CATEGORY c ON c.Job = t.Job AND c.Extra = t.Extra "
              "AND c.Cost_Code = t.Cost_Code AND c.Category = t.Category WHERE c.Job IS NULL"),
      0);
  EXPECT_EQ(Orphans("SELECT 1 FROM " + jct +
                    " LEFT JOIN APM_MASTER__VENDOR v ON v.Vendor = t.Vendor "
                    "WHERE t.Vendor IS NOT NULL AND v.Vendor IS NULL"),
            0);
  EXPECT_EQ(
      Orphans("SELECT 1 FROM " + jct +
              " LEFT JOIN APM_MASTER__INVOICE i ON i.Vendor = t.Vendor AND i.Invoice = t.Invoice "
              "WHERE t.Invoice IS NOT NULL AND i.Invoice IS NULL"),
      0);
  EXPECT_EQ(Orphans("SELECT 1 FROM " + jct +
                    " LEFT JOIN JCM_MASTER__COMMITMENT m ON m.Commitment = t.Commitment "
                    "AND m.Vendor = t.Vendor AND m.Job = t.Job "
                    "AND m.Commitment_Type = t.Commitment_Type "
                    "WHERE t.Commitment IS NOT NULL AND m.Commitment IS NULL"),
            0);
  EXPECT_EQ(
      Orphans("SELECT 1 FROM " + jct +
              " LEFT JOIN APM_MASTER__PAYMENT p ON p.Payment_ID = t.AP_Payment_ID "
              "AND p.Vendor = t.Vendor WHERE t.AP_Payment_ID IS NOT NULL AND p.Vendor IS NULL"),
      0);
  EXPECT_EQ(Orphans("SELECT 1 FROM " + jct +
                    " WHERE Transaction_Type = 'Commitment change order' AND NOT EXISTS ("
                    "SELECT 1 FROM JCM_MASTER__COMMITMENT_CO o WHERE o.Commitment = t.Commitment "
                    "AND o.Change_Order = t.Change_Order)"),
            0);
  EXPECT_EQ(Orphans("SELECT 1 FROM " + jct +
                    " WHERE Transaction_Type = 'Approved est chg' AND NOT EXISTS ("
                    "SELECT 1 FROM CNM_MASTER__CHANGE_ORDER o WHERE o.Contract = t.Job "
                    "AND o.Change_Order = t.Change_Order AND o.Status = 'Approved')"),
            0);
  EXPECT_EQ(Orphans("SELECT 1 FROM " + jct +
                    " LEFT JOIN GLM_MASTER__ACCOUNT a ON a.Account = t.Debit_Account "
                    "LEFT JOIN GLM_MASTER__ACCOUNT b ON b.Account = t.Credit_Account "
                    "WHERE (t.Debit_Account IS NOT NULL AND a.Account IS NULL) "
                    "OR (t.Credit_Account IS NOT NULL AND b.Account IS NULL)"),
            0);
}

TEST(SampleCompanyTest, MastersReferenceEachOther) {
  // (child rows, parent rows they must match) as one anti-join each.
  const std::vector<std::string> orphan_queries = {
      "SELECT 1 FROM JCM_MASTER__JOB j WHERE j.AR_Customer NOT IN "
      "(SELECT Customer FROM ARM_MASTER__CUSTOMER) OR j.Tax_Group NOT IN "
      "(SELECT Tax_Group FROM TXM_MASTER__TAX_GROUP)",
      "SELECT 1 FROM JCM_MASTER__EXTRA e WHERE e.Job NOT IN (SELECT Job FROM JCM_MASTER__JOB)",
      "SELECT 1 FROM JCM_MASTER__COST_CODE c WHERE c.Cost_Code NOT IN "
      "(SELECT Cost_Code FROM JCM_MASTER__STANDARD_COST_CODE) OR c.Job NOT IN "
      "(SELECT Job FROM JCM_MASTER__JOB) OR (c.Extra <> '' AND NOT EXISTS (SELECT 1 FROM "
      "JCM_MASTER__EXTRA e WHERE e.Job = c.Job AND e.Extra = c.Extra))",
      "SELECT 1 FROM JCM_MASTER__CATEGORY c WHERE c.Category NOT IN "
      "(SELECT Category FROM JCM_MASTER__STANDARD_CATEGORY) OR NOT EXISTS (SELECT 1 FROM "
      "JCM_MASTER__COST_CODE k WHERE k.Job = c.Job AND k.Extra = c.Extra "
      "AND k.Cost_Code = c.Cost_Code)",
      "SELECT 1 FROM JCM_MASTER__COMMITMENT m WHERE m.Vendor NOT IN "
      "(SELECT Vendor FROM APM_MASTER__VENDOR) OR m.Job NOT IN (SELECT Job FROM JCM_MASTER__JOB)",
      "SELECT 1 FROM JCM_MASTER__COMMITMENT_ITEM i WHERE i.Commitment NOT IN "
      "(SELECT Commitment FROM JCM_MASTER__COMMITMENT) OR NOT EXISTS (SELECT 1 FROM "
      "JCM_MASTER__CATEGORY c WHERE c.Job = i.Job AND c.Extra = i.Extra "
      "AND c.Cost_Code = i.Cost_Code AND c.Category = i.Category)",
      "SELECT 1 FROM JCM_MASTER__COMMITMENT_CO o WHERE NOT EXISTS (SELECT 1 FROM "
      "JCM_MASTER__COMMITMENT_ITEM i WHERE i.Commitment = o.Commitment AND i.Item = o.Item)",
      "SELECT 1 FROM APM_MASTER__VENDOR v WHERE v.Type NOT IN "
      "(SELECT Type FROM APM_MASTER__VENDOR_TYPE) OR v.Vendor NOT IN "
      "(SELECT Vendor FROM APM_MASTER__INVOICE_SETTINGS)",
      "SELECT 1 FROM APM_MASTER__INVOICE i WHERE i.Vendor NOT IN "
      "(SELECT Vendor FROM APM_MASTER__VENDOR) OR (i.Commitment IS NOT NULL AND i.Commitment "
      "NOT IN (SELECT Commitment FROM JCM_MASTER__COMMITMENT))",
      "SELECT 1 FROM APM_MASTER__DISTRIBUTION d WHERE NOT EXISTS (SELECT 1 FROM "
      "APM_MASTER__INVOICE i WHERE i.Vendor = d.Vendor AND i.Invoice = d.Invoice) OR NOT EXISTS "
      "(SELECT 1 FROM JCM_MASTER__CATEGORY c WHERE c.Job = d.Job AND c.Extra = d.Extra "
      "AND c.Cost_Code = d.Cost_Code AND c.Category = d.Category)",
      // Cents as integers: the invoice is the sum of its distributions.
      "SELECT 1 FROM APM_MASTER__INVOICE i WHERE CAST(REPLACE(i.Amount, '.', '') AS INTEGER) <> "
      "(SELECT SUM(CAST(REPLACE(d.Amount, '.', '') AS INTEGER)) FROM APM_MASTER__DISTRIBUTION d "
      "WHERE d.Vendor = i.Vendor AND d.Invoice = i.Invoice)",
      "SELECT 1 FROM APM_MASTER__INVOICE_PAYMENT p WHERE p.Payment_ID NOT IN "
      "(SELECT Payment_ID FROM APM_MASTER__PAYMENT) OR NOT EXISTS (SELECT 1 FROM "
      "APM_MASTER__INVOICE i WHERE i.Vendor = p.Vendor AND i.Invoice = p.Invoice)",
      "SELECT 1 FROM APM_MASTER__DISTRIBUTION_PAYMENT p WHERE NOT EXISTS (SELECT 1 FROM "
      "APM_MASTER__INVOICE_PAYMENT i WHERE i.Vendor = p.Vendor AND i.Invoice = p.Invoice "
      "AND i.Payment_ID = p.Payment_ID) OR NOT EXISTS (SELECT 1 FROM APM_MASTER__DISTRIBUTION d "
      "WHERE d.Vendor = p.Vendor AND d.Invoice = p.Invoice AND d.Distribution = p.Distribution)",
      "SELECT 1 FROM ARM_MASTER__CUSTOMER c WHERE c.Type NOT IN "
      "(SELECT Type FROM ARM_MASTER__CUSTOMER_TYPE)",
      "SELECT 1 FROM ARM_MASTER__INVOICE i WHERE i.Contract NOT IN "
      "(SELECT Contract FROM CNM_MASTER__CONTRACT) OR i.Customer NOT IN "
      "(SELECT Customer FROM ARM_MASTER__CUSTOMER)",
      "SELECT 1 FROM ARM_MASTER__DISTRIBUTION d WHERE NOT EXISTS (SELECT 1 FROM "
      "ARM_MASTER__INVOICE i WHERE i.Customer = d.Customer AND i.Invoice = d.Invoice) OR NOT "
      "EXISTS (SELECT 1 FROM CNM_MASTER__CONTRACT_ITEM c WHERE c.Contract = d.Job "
      "AND c.Item = d.Contract_Item)",
      "SELECT 1 FROM GLM_MASTER__ACCOUNT a WHERE a.Prefix_A NOT IN "
      "(SELECT Prefix_A FROM GLM_MASTER__ACCOUNT_PREFIX_A)",
      "SELECT 1 FROM CNM_MASTER__CONTRACT c WHERE c.Job NOT IN (SELECT Job FROM JCM_MASTER__JOB) "
      "OR c.Customer NOT IN (SELECT Customer FROM ARM_MASTER__CUSTOMER)",
      "SELECT 1 FROM CNM_MASTER__CONTRACT c JOIN JCM_MASTER__JOB j ON j.Job = c.Job WHERE "
      "j.Original_Contract_Amount <> c.Original_Contract_Amount OR "
      "j.Revised_Contract_Amount <> c.Revised_Contract_Amount",
      "SELECT 1 FROM CNM_MASTER__CONTRACT_ITEM i WHERE i.Contract NOT IN "
      "(SELECT Contract FROM CNM_MASTER__CONTRACT) OR NOT EXISTS (SELECT 1 FROM "
      "JCM_MASTER__CATEGORY c WHERE c.Job = i.Job AND c.Extra = i.Extra "
      "AND c.Cost_Code = i.Cost_Code AND c.Category = i.Category)",
      "SELECT 1 FROM CNM_MASTER__CHANGE_ORDER_ITEM i WHERE NOT EXISTS (SELECT 1 FROM "
      "CNM_MASTER__CHANGE_ORDER o WHERE o.Contract = i.Contract AND o.Change_Order = "
      "i.Change_Order) OR NOT EXISTS (SELECT 1 FROM CNM_MASTER__CONTRACT_ITEM c WHERE "
      "c.Contract = i.Contract AND c.Item = i.Contract_Item)",
      "SELECT 1 FROM CNM_MASTER__QUICK_BILL_CONTRACT_ITEM i WHERE i.Contract NOT IN "
      "(SELECT Contract FROM CNM_MASTER__QUICK_BILL_CONTRACT)",
      "SELECT 1 FROM CNM_MASTER__QUICK_BILL_CONTRACT c WHERE c.Job NOT IN "
      "(SELECT Job FROM JCM_MASTER__JOB)",
      "SELECT 1 FROM PJM_MASTER__CONTRACT_CHANGE_ORDER p WHERE NOT EXISTS (SELECT 1 FROM "
      "CNM_MASTER__CHANGE_ORDER o WHERE o.Contract = p.Contract AND o.Change_Order = "
      "p.Contract_Change_Order)",
      "SELECT 1 FROM PJM_MASTER__CHANGE_REQUEST r WHERE r.Change_Order IS NOT NULL AND NOT "
      "EXISTS (SELECT 1 FROM PJM_MASTER__CONTRACT_CHANGE_ORDER p WHERE p.Project = r.Project "
      "AND p.Change_Order = r.Change_Order)",
      "SELECT 1 FROM TXM_MASTER__TAX_RATE r WHERE r.Tax_Group NOT IN "
      "(SELECT Tax_Group FROM TXM_MASTER__TAX_GROUP)",
  };
  for (const std::string& sql : orphan_queries) EXPECT_EQ(Orphans(sql), 0) << sql;
}

TEST(SampleCompanyTest, EveryTransactionTypeOccurs) {
  std::set<std::string> types;
  for (const TextRow& row :
       Query(SharedSampleCompany(),
             "SELECT DISTINCT Transaction_Type FROM JCT_CURRENT__TRANSACTION")) {
    types.insert(*row[0]);
  }
  EXPECT_EQ(types,
            std::set<std::string>(kSampleTransactionTypes.begin(), kSampleTransactionTypes.end()));
}

TEST(SampleCompanyTest, OptionalLinkedColumnsAreFilledWhereTheTypeHasThem) {
  struct Expectation {
    std::string column;
    // The only types that may fill it.
    std::string types;
  };
  const std::vector<Expectation> expectations = {
      {"Change_Order", "'Commitment change order', 'Approved est chg'"},
      {"Debit_Account", "'AP cost', 'JC cost', 'PR cost', 'EQ cost', 'IV cost', 'SM cost'"},
      {"Credit_Account", "'AP cost', 'JC cost', 'PR cost', 'EQ cost', 'IV cost', 'SM cost'"},
      {"Employee", "'PR cost'"},
      {"Equipment", "'EQ cost'"},
      {"AP_Payment_ID", "'AP cost'"},
      {"Ref_1", "'JC cost', 'IV cost', 'SM cost'"},
      {"Ref_2", "'JC cost', 'SM cost'"},
      {"Vendor", "'AP cost', 'Commitment', 'Commitment change order'"},
      {"Invoice", "'AP cost'"},
      {"Commitment", "'AP cost', 'Commitment', 'Commitment change order'"},
  };
  const std::string& path = SharedSampleCompany();
  for (const Expectation& e : expectations) {
    const std::string table = " FROM JCT_CURRENT__TRANSACTION WHERE ";
    EXPECT_GT(QueryInteger(path, "SELECT COUNT(*)" + table + e.column + " IS NOT NULL"), 0)
        << e.column;
    EXPECT_GT(QueryInteger(path, "SELECT COUNT(*)" + table + e.column + " IS NULL"), 0) << e.column;
    EXPECT_EQ(QueryInteger(path, "SELECT COUNT(*)" + table + e.column +
                                     " IS NOT NULL AND Transaction_Type NOT IN (" + e.types + ")"),
              0)
        << e.column;
  }
  // Types whose link is not optional always have it.
  EXPECT_EQ(
      QueryInteger(path,
                   "SELECT COUNT(*) FROM JCT_CURRENT__TRANSACTION WHERE "
                   "(Transaction_Type = 'PR cost' AND Employee IS NULL) OR "
                   "(Transaction_Type = 'EQ cost' AND Equipment IS NULL) OR "
                   "(Transaction_Type = 'Commitment change order' AND Change_Order IS NULL) OR "
                   "(Transaction_Type = 'AP cost' AND Invoice IS NULL)"),
      0);
}

TEST(SampleCompanyTest, MoneyAndQuantitiesAreExactDecimalText) {
  const std::string& path = SharedSampleCompany();
  for (const SampleTableDef& table : SampleTables()) {
    const std::string name(table.name);
    for (const TextRow& column :
         Query(path, "SELECT name, type FROM pragma_table_info('" + name + "')")) {
      EXPECT_THAT((std::vector<std::string>{"TEXT", "INTEGER"}), ::testing::Contains(*column[1]))
          << name << "." << *column[0];
      EXPECT_EQ(QueryInteger(path, "SELECT COUNT(*) FROM " + name + " WHERE typeof(\"" +
                                       *column[0] + "\") NOT IN ('text', 'integer', 'null')"),
                0)
          << name << "." << *column[0];
    }
  }
  EXPECT_EQ(QueryInteger(path,
                         "SELECT COUNT(*) FROM JCT_CURRENT__TRANSACTION WHERE typeof(Amount) <> "
                         "'text' OR Amount NOT GLOB '*[0-9].[0-9][0-9]' OR Amount GLOB '*.*.*' "
                         "OR Units NOT GLOB '*[0-9].[0-9][0-9][0-9][0-9]' "
                         "OR Unit_Cost NOT GLOB '*[0-9].[0-9][0-9][0-9][0-9]'"),
            0);
  // Units x unit cost, rounded to cents, is the amount where both are given.
  for (const TextRow& row :
       Query(path,
             "SELECT Amount, Units, Unit_Cost FROM JCT_CURRENT__TRANSACTION WHERE Transaction_Type "
             "IN ('PR cost', 'EQ cost', 'IV cost') LIMIT 20")) {
    const auto scaled = [](const std::string& text) {
      std::string digits;
      for (char c : text) {
        if (c != '.') digits += c;
      }
      return std::stoll(digits);
    };
    const int64_t product = scaled(*row[1]) * scaled(*row[2]);
    EXPECT_EQ(scaled(*row[0]), (product + 500000) / 1000000) << *row[1] << " x " << *row[2];
  }
}

TEST(SampleCompanyTest, CostCodesAreSectionedAndGroupCodesEndIn000) {
  const std::string& path = SharedSampleCompany();
  EXPECT_EQ(
      QueryInteger(path,
                   "SELECT COUNT(*) FROM JCM_MASTER__STANDARD_COST_CODE WHERE "
                   "length(Cost_Code) > 12 OR Cost_Code NOT GLOB '[0-9][0-9]-[0-9][0-9][0-9]' "
                   "OR (Group_Code = 'Y') <> (Cost_Code GLOB '*-000')"),
      0);
  EXPECT_GT(QueryInteger(path,
                         "SELECT COUNT(*) FROM JCM_MASTER__COST_CODE WHERE Cost_Code GLOB "
                         "'*-000'"),
            0);
  EXPECT_EQ(QueryInteger(path,
                         "SELECT COUNT(*) FROM JCT_CURRENT__TRANSACTION WHERE Cost_Code "
                         "GLOB '*-000'"),
            0);
  std::set<std::string> rollups;
  for (const TextRow& row :
       Query(path, "SELECT DISTINCT Rollup FROM JCM_MASTER__STANDARD_CATEGORY")) {
    rollups.insert(*row[0]);
  }
  EXPECT_EQ(rollups, (std::set<std::string>{"Labor", "Material", "Subcontract", "Equipment",
                                            "Other", "Overhead"}));
  // About 40 cost codes per job.
  const int64_t per_job =
      QueryInteger(path, "SELECT COUNT(*) / COUNT(DISTINCT Job) FROM JCM_MASTER__COST_CODE");
  EXPECT_GE(per_job, 20);
  EXPECT_LE(per_job, 80);
}

TEST(SampleCompanyTest, StampedTablesHaveDateAndTimeStampsAndAnIndex) {
  const std::string& path = SharedSampleCompany();
  for (const SampleTableDef& table : SampleTables()) {
    const std::string name(table.name);
    const int64_t stamp_columns =
        QueryInteger(path, "SELECT COUNT(*) FROM pragma_table_info('" + name +
                               "') WHERE name IN ('Date_Stamp', 'Time_Stamp')");
    if (table.stamp_index_sql.empty()) {
      EXPECT_EQ(stamp_columns, 0) << name;
      continue;
    }
    EXPECT_EQ(stamp_columns, 2) << name;
    EXPECT_EQ(QueryInteger(path, "SELECT COUNT(*) FROM " + name +
                                     " WHERE Date_Stamp NOT GLOB "
                                     "'[12][0-9][0-9][0-9]-[01][0-9]-[0-3][0-9]' OR Time_Stamp NOT "
                                     "GLOB '[0-2][0-9]:[0-5][0-9]:[0-5][0-9]'"),
              0)
        << name;
    EXPECT_EQ(QueryInteger(path,
                           "SELECT COUNT(*) FROM sqlite_master WHERE type = 'index' AND "
                           "tbl_name = '" +
                               name + "' AND sql LIKE '%(Date_Stamp, Time_Stamp, %'"),
              1)
        << name;
  }
  for (const char* table :
       {"JCT_CURRENT__TRANSACTION", "JCM_MASTER__JOB", "APM_MASTER__VENDOR", "ARM_MASTER__CUSTOMER",
        "JCM_MASTER__COMMITMENT", "CNM_MASTER__CONTRACT", "APM_MASTER__INVOICE"}) {
    ASSERT_NE(FindSampleTable(table), nullptr);
    EXPECT_FALSE(FindSampleTable(table)->stamp_index_sql.empty()) << table;
  }
}

TEST(SampleCompanyTest, KeysAndTextsRespectSageLimits) {
  const std::string& path = SharedSampleCompany();
  EXPECT_EQ(QueryInteger(path,
                         "SELECT COUNT(*) FROM JCM_MASTER__COMMITMENT WHERE "
                         "length(Commitment) > 12 OR length(Description) > 30"),
            0);
  EXPECT_EQ(QueryInteger(path, "SELECT COUNT(*) FROM APM_MASTER__VENDOR WHERE length(Name) > 30"),
            0);
  EXPECT_EQ(QueryInteger(path, "SELECT COUNT(*) FROM ARM_MASTER__CUSTOMER WHERE length(Name) > 30"),
            0);
  EXPECT_EQ(QueryInteger(path,
                         "SELECT COUNT(DISTINCT Commitment_Type) FROM JCM_MASTER__COMMITMENT "
                         "WHERE Commitment_Type IN ('Subcontract', 'Purchase order')"),
            2);
  EXPECT_EQ(QueryInteger(path,
                         "SELECT COUNT(*) FROM JCM_MASTER__JOB WHERE Job NOT GLOB "
                         "'[0-9][0-9]-[0-9][0-9][0-9]'"),
            0);
}

TEST(SampleCompanyTest, TheCompanyIsInWalMode) {
  const std::vector<TextRow> mode = Query(SharedSampleCompany(), "PRAGMA journal_mode");
  ASSERT_EQ(mode.size(), 1u);
  EXPECT_EQ(mode[0][0], "wal");
}

TEST(SampleCompanyTest, RefusesAnExistingPathAndLeavesItAlone) {
  TempDir dir;
  const std::string path = dir.File("company.db");
  erpsync::testing::WriteTextFile(path, "precious");
  const auto summary = CreateSampleCompany(path, TinyOptions(1));
  ASSERT_THAT(summary, StatusIs(StatusCode::kAlreadyExists, HasSubstr(path + " already exists")));
  EXPECT_EQ(std::filesystem::file_size(path), 8u);
}

TEST(SampleCompanyTest, LeavesNothingBehindWhenTheDirectoryIsMissing) {
  TempDir dir;
  const std::string path = dir.File("missing/company.db");
  const auto summary = CreateSampleCompany(path, TinyOptions(1));
  ASSERT_THAT(summary,
              StatusIs(StatusCode::kNotFound, HasSubstr("directory " + dir.File("missing"))));
  EXPECT_FALSE(Exists(path));
  EXPECT_FALSE(Exists(path + ".partial"));
}

TEST(SampleCompanyTest, LeavesNothingAtThePathWhenTheBuildFails) {
  TempDir dir;
  const std::string path = dir.File("company.db");
  // A directory in the way of the partial file makes the build fail.
  std::filesystem::create_directories(path + ".partial/blocker");
  const auto summary = CreateSampleCompany(path, TinyOptions(1));
  ASSERT_THAT(summary,
              StatusIs(StatusCode::kInternal, HasSubstr("creating sample company " + path)));
  EXPECT_FALSE(Exists(path));
}

TEST(SampleCompanyTest, ReplacesAStalePartialFile) {
  TempDir dir;
  const std::string path = dir.File("company.db");
  erpsync::testing::WriteTextFile(path + ".partial", "left over by a killed run");
  ASSERT_OK(CreateSampleCompany(path, TinyOptions(1)));
  EXPECT_FALSE(Exists(path + ".partial"));
  EXPECT_EQ(QueryInteger(path, "SELECT COUNT(*) FROM JCT_CURRENT__TRANSACTION"), 150);
}

TEST(SampleCompanyTest, IgnoresTheWalOfAnEarlierFileAtThePath) {
  TempDir dir;
  const std::string path = dir.File("company.db");
  ASSERT_OK(CreateSampleCompany(path, TinyOptions(1)));
  {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE, nullptr), SQLITE_OK);
    sqlite3_db_config(db, SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, nullptr);
    EXPECT_EQ(sqlite3_exec(db, "DELETE FROM JCT_CURRENT__TRANSACTION", nullptr, nullptr, nullptr),
              SQLITE_OK);
    sqlite3_close(db);
  }
  ASSERT_TRUE(Exists(path + "-wal"));
  std::filesystem::remove(path);
  ASSERT_OK(CreateSampleCompany(path, TinyOptions(1)));
  EXPECT_EQ(QueryInteger(path, "SELECT COUNT(*) FROM JCT_CURRENT__TRANSACTION"), 150);
}

TEST(SampleCompanyTest, RejectsOptionsOutOfRange) {
  TempDir dir;
  const std::string path = dir.File("company.db");
  SampleCompanyOptions options = TinyOptions(1);
  options.jobs = 0;
  auto summary = CreateSampleCompany(path, options);
  EXPECT_THAT(summary,
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("jobs must be 1 to 5000, not 0")));

  options = TinyOptions(1);
  options.transactions = -1;
  summary = CreateSampleCompany(path, options);
  EXPECT_THAT(summary,
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("transactions must be 0 to")));

  options = TinyOptions(1);
  options.as_of = "2025-13-01";
  summary = CreateSampleCompany(path, options);
  EXPECT_THAT(summary, StatusIs(StatusCode::kInvalidArgument, HasSubstr("as_of")));
  EXPECT_FALSE(Exists(path));
}

TEST(SampleCompanyTest, ZeroTransactionsStillWritesTheMasters) {
  TempDir dir;
  const std::string path = dir.File("company.db");
  SampleCompanyOptions options = TinyOptions(1);
  options.transactions = 0;
  const auto summary = CreateSampleCompany(path, options);
  ASSERT_OK(summary);
  EXPECT_EQ(QueryInteger(path, "SELECT COUNT(*) FROM JCT_CURRENT__TRANSACTION"), 0);
  EXPECT_EQ(QueryInteger(path, "SELECT COUNT(*) FROM JCM_MASTER__JOB"), 2);
}

}  // namespace
}  // namespace erpsync::agent
