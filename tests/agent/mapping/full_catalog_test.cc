// The shipped Advanced Mappings catalog (mappings/sage300cre) as a whole:
// every record type of the setup guides, the defaults, the dependencies,
// the typing conventions, and every file checked against and read from the
// sample company.
#include <SQLiteCpp/SQLiteCpp.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <set>

#include "agent/erp/sqlite_erp_source.h"
#include "agent/erp/table_read_sql.h"
#include "agent/mapping/erp_check.h"
#include "agent/sync/erp_checksum.h"
#include "tests/agent/erp/erp_test_util.h"
#include "tests/agent/mapping/shipped_catalog_test_base.h"
#include "tests/support/status_matchers.h"
#include "tests/support/subprocess.h"

namespace erpsync::agent {
namespace {

class FullCatalogTest : public testing::ShippedCatalogTest {};

TEST_F(FullCatalogTest, HasEveryRecordTypeOfTheGuides) {
  const std::map<std::string, std::string> expected = {
      {"Contract (CN)", "cn_contract"},
      {"Contract Change Order (CN)", "cn_contract_change_order"},
      {"Contract Change Order Item (CN)", "cn_contract_change_order_item"},
      {"Contract Item (CN)", "cn_contract_item"},
      {"Contract Change Order (PJ)", "pj_contract_change_order"},
      {"Contract Change Request (PJ)", "pj_contract_change_request"},
      {"Customer", "customer"},
      {"Customer Type", "customer_type"},
      {"Invoice (AP)", "ap_invoice"},
      {"Job (CV)", "cv_job"},
      {"Job (JC)", "jc_job"},
      {"Quick Bill Contract", "quick_bill_contract"},
      {"Quick Bill Contract Item", "quick_bill_contract_item"},
      {"Transaction (JC)", "jc_transaction"},
      {"GL Account", "gl_account"},
      {"GL Account Prefix", "gl_account_prefix"},
      {"Distribution (AP)", "ap_distribution"},
      {"Distribution Payment (AP)", "ap_distribution_payment"},
      {"Payment (AP)", "ap_payment"},
      {"Invoice Payment (AP)", "ap_invoice_payment"},
      {"Invoice Settings (AP)", "ap_invoice_settings"},
      {"Distribution (AR)", "ar_distribution"},
      {"Invoice (AR)", "ar_invoice"},
      {"Tax Group", "tax_group"},
      {"Tax Rate", "tax_rate"},
      {"Vendor", "vendor"},
      {"Vendor Type", "vendor_type"},
      {"Standard Cost Code", "standard_cost_code"},
      {"Standard Category", "standard_category"},
      {"Cost Code (JC)", "jc_cost_code"},
      {"Category (JC)", "jc_category"},
      {"Extra (JC)", "jc_extra"},
      {"Commitment (JC)", "jc_commitment"},
      {"Commitment Item (JC)", "jc_commitment_item"},
      {"Commitment Change Order (JC)", "jc_commitment_change_order"},
  };
  std::map<std::string, std::string> actual;
  for (const MappingDefinition& mapping : catalog_->mappings()) {
    actual[mapping.spec.display_name()] = mapping.id();
    // Files are named after their id and name their schema first.
    EXPECT_EQ(std::filesystem::path(mapping.path).filename().string(), mapping.id() + ".textproto");
    EXPECT_EQ(::erpsync::testing::ReadFile(mapping.path)
                  .rfind("# proto-file: protos/erpsync/v1/mapping.proto\n"
                         "# proto-message: erpsync.v1.EntityMapping\n",
                         0),
              0u)
        << mapping.path;
    EXPECT_FALSE(mapping.spec.description().empty()) << mapping.id();
  }
  EXPECT_EQ(actual, expected);
}

TEST_F(FullCatalogTest, OnlyTheOriginalEightAreTickedOnAFreshAgent) {
  std::set<std::string> enabled;
  for (const MappingDefinition& mapping : catalog_->mappings()) {
    if (mapping.spec.enabled_by_default()) enabled.insert(mapping.id());
  }
  EXPECT_EQ(enabled, (std::set<std::string>{"cn_contract", "customer", "cv_job", "jc_category",
                                            "jc_cost_code", "jc_job", "jc_transaction", "vendor"}));
}

TEST_F(FullCatalogTest, DeclaresTheDependenciesTheGuidesRequire) {
  const auto dependencies = [&](const std::string& id) {
    const MappingDefinition* mapping = catalog_->Find(id);
    EXPECT_NE(mapping, nullptr) << id;
    return mapping == nullptr ? std::set<std::string>()
                              : std::set<std::string>(mapping->spec.depends_on().begin(),
                                                      mapping->spec.depends_on().end());
  };
  EXPECT_EQ(dependencies("jc_transaction"),
            (std::set<std::string>{"jc_job", "jc_cost_code", "jc_category"}));
  EXPECT_EQ(dependencies("cn_contract_item"), (std::set<std::string>{"cn_contract"}));
  // A mapping ticked on a fresh agent depends only on mappings ticked too.
  for (const MappingDefinition& mapping : catalog_->mappings()) {
    if (!mapping.spec.enabled_by_default()) continue;
    for (const std::string& dependency : mapping.spec.depends_on()) {
      EXPECT_TRUE(catalog_->Find(dependency)->spec.enabled_by_default())
          << mapping.id() << " -> " << dependency;
    }
  }
}

TEST_F(FullCatalogTest, EveryMappingValidatesAndReadsTheSampleCompany) {
  const std::string& company = agent::testing::SharedSampleCompany();
  auto erp = SqliteErpSource::Open(company);
  ASSERT_OK(erp);
  for (const MappingDefinition& mapping : catalog_->mappings()) {
    SCOPED_TRACE(mapping.id());
    const Status checked = CheckMappingAgainstErp(mapping, **erp);
    ASSERT_OK(checked);
    const Result<EntityPlan> plan = EntityPlan::Build(mapping, {});
    ASSERT_OK(plan);
    // Every row converts to its field types, and the sample company has
    // rows of every record type.
    const Result<ErpEntityChecksum> checksum = ComputeErpChecksum(**erp, *plan);
    ASSERT_OK(checksum);
    EXPECT_GT(checksum->count, 0u);
    EXPECT_EQ(
        static_cast<int64_t>(checksum->count),
        agent::testing::QueryInteger(company, "SELECT COUNT(*) FROM " + mapping.spec.table()));
  }
}

TEST_F(FullCatalogTest, StampedTablesDeclareTheirRowStampAndOthersUseHashes) {
  auto erp = SqliteErpSource::Open(agent::testing::SharedSampleCompany());
  ASSERT_OK(erp);
  for (const MappingDefinition& mapping : catalog_->mappings()) {
    const Result<TableInfo> table = (*erp)->DescribeTable(mapping.spec.table());
    ASSERT_OK(table);
    const bool stamped =
        table->ColumnIndex("Date_Stamp") >= 0 && table->ColumnIndex("Time_Stamp") >= 0;
    EXPECT_EQ(mapping.spec.has_row_stamp(), stamped) << mapping.id();
    if (mapping.spec.has_row_stamp()) {
      EXPECT_EQ(mapping.spec.row_stamp().date_column(), "Date_Stamp") << mapping.id();
      EXPECT_EQ(mapping.spec.row_stamp().time_column(), "Time_Stamp") << mapping.id();
    }
  }
}

// The reads bounded by row stamps (an incremental sync's stamp read and
// its read of rows stamped in the future) go through the ERP's index on
// the stamp columns where the table has one, whatever the row filter:
// ordered by key, the future read scanned the whole table (1M transactions)
// at every incremental sync.
TEST_F(FullCatalogTest, StampBoundReadsUseTheStampIndexWhereTheTableHasOne) {
  const std::string& company = agent::testing::SharedSampleCompany();
  SQLite::Database db(company, SQLite::OPEN_READONLY);
  std::set<std::string> checked;
  for (const MappingDefinition& mapping : catalog_->mappings()) {
    if (!mapping.spec.has_row_stamp()) continue;
    SQLite::Statement index(db,
                            "SELECT COUNT(*) FROM sqlite_master WHERE type = 'index' AND "
                            "tbl_name = ? AND sql LIKE '%Date_Stamp%'");
    index.bind(1, mapping.spec.table());
    index.executeStep();
    if (index.getColumn(0).getInt() == 0) continue;
    SCOPED_TRACE(mapping.id());
    ASSERT_OK_AND_ASSIGN(const EntityPlan plan, EntityPlan::Build(mapping, {}));
    TableRead future = plan.StampOrderRead();
    future.after.columns = plan.stamp_columns();
    future.after.values = {SqlValue("2030-01-01"), SqlValue("00:00:00")};
    TableRead window = future;
    window.through = window.after;
    window.after.values = {SqlValue("2029-01-01"), SqlValue("00:00:00")};
    for (const TableRead& read : {future, window}) {
      SQLite::Statement plan_rows(db, "EXPLAIN QUERY PLAN " + RenderSelect(read, kSqliteDialect).sql);
      std::string details;
      while (plan_rows.executeStep()) details += plan_rows.getColumn(3).getString() + "; ";
      EXPECT_THAT(details, ::testing::HasSubstr("USING INDEX"));
      EXPECT_THAT(details, ::testing::Not(::testing::HasSubstr("TEMP B-TREE")));
    }
    checked.insert(mapping.id());
  }
  EXPECT_EQ(checked.count("jc_transaction"), 1u);
  EXPECT_EQ(checked.count("vendor"), 1u);
}

// The type a column's name calls for: money, percentages and quantities
// exact, dates as dates, Y/N flags as booleans.
v1::FieldSpec::Type ConventionalType(const std::string& column) {
  const auto ends_with = [&](std::string_view suffix) {
    return column.size() >= suffix.size() &&
           column.compare(column.size() - suffix.size(), suffix.size(), suffix) == 0;
  };
  static const std::set<std::string> kMoney = {"Amount", "Retainage", "Amount_Paid", "Discount",
                                               "Scheduled_Value"};
  static const std::set<std::string> kQuantities = {"Units", "Unit_Cost", "Unit_Price", "Rate"};
  static const std::set<std::string> kFlags = {"Closed", "Void", "Hold_Payment", "Separate_Check",
                                               "Group_Code"};
  if (kMoney.count(column) > 0 || ends_with("_Amount")) return v1::FieldSpec::MONEY;
  if (kQuantities.count(column) > 0 || ends_with("_Percent") || ends_with("_Rate")) {
    return v1::FieldSpec::DECIMAL;
  }
  if (ends_with("_Date") || column.rfind("Date_", 0) == 0) return v1::FieldSpec::DATE;
  if (kFlags.count(column) > 0) return v1::FieldSpec::BOOLEAN;
  if (column == "Row_ID" || column == "Run") return v1::FieldSpec::INTEGER;
  return v1::FieldSpec::TEXT;
}

TEST_F(FullCatalogTest, ColumnTypesFollowTheConventions) {
  for (const MappingDefinition& mapping : catalog_->mappings()) {
    for (const v1::MappedField& field : mapping.spec.fields()) {
      EXPECT_EQ(v1::FieldSpec::Type_Name(field.type()),
                v1::FieldSpec::Type_Name(ConventionalType(field.column())))
          << mapping.id() << "." << field.name();
      if (field.type() == v1::FieldSpec::DECIMAL) {
        EXPECT_EQ(field.scale(), 4u) << mapping.id() << "." << field.name();
      }
    }
  }
}

}  // namespace
}  // namespace erpsync::agent
