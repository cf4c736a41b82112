// Exports seen through the Advanced Mappings catalog, as the next sync
// sends them: the keys the applier reports are the record keys of the
// mappings the server checks them against (ItemRules::LinkedRecordState,
// BudgetEntriesPosted), every written row converts under its mapping, and
// opening a company for exports changes no mapping's checksum.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <set>

#include "agent/erp/sample/sample_poster.h"
#include "agent/erp/sqlite_erp_source.h"
#include "agent/erp/sqlite_erp_writer.h"
#include "agent/mapping/entity_plan.h"
#include "agent/mapping/row_key.h"
#include "agent/sync/erp_checksum.h"
#include "tests/agent/erp/export_test_util.h"
#include "tests/agent/mapping/shipped_catalog_test_base.h"
#include "tests/support/status_matchers.h"

namespace erpsync::agent {
namespace {

using testing::CompanyCopy;
using ::testing::Contains;
using testing::Describe;
using testing::FixedClock;
using ::testing::Not;

class ExportCatalogTest : public testing::ShippedCatalogTest {
 protected:

  static EntityPlan Plan(const std::string& entity) {
    const MappingDefinition* mapping = catalog_->Find(entity);
    EXPECT_NE(mapping, nullptr) << entity;
    auto plan = EntityPlan::Build(*mapping, {});
    EXPECT_OK(plan);
    return *std::move(plan);
  }

  // Every record of `entity` the next sync would send: key -> fields.
  std::map<std::string, std::map<std::string, std::string>> Records(const std::string& entity) {
    const EntityPlan plan = Plan(entity);
    auto erp = SqliteErpSource::Open(company_.path());
    EXPECT_OK(erp);
    auto cursor = (*erp)->Read(plan.BaseRead());
    EXPECT_OK(cursor);
    std::vector<size_t> key_positions;
    for (const std::string& column : plan.key_columns()) {
      for (size_t i = 0; i < plan.columns().size(); ++i) {
        if (plan.columns()[i] == column) key_positions.push_back(i);
      }
    }
    std::map<std::string, std::map<std::string, std::string>> records;
    for (;;) {
      auto more = (*cursor)->Next();
      EXPECT_OK(more);
      if (!more.ok() || !*more) break;
      std::string key;
      AppendRowKey(**cursor, key_positions, &key);
      std::map<std::string, std::string>& fields = records[key];
      for (size_t i = 0; i < plan.schema().fields().size(); ++i) {
        fields[plan.schema().fields()[i].name] = std::string((*cursor)->Text(static_cast<int>(i)));
      }
    }
    return records;
  }

  std::set<std::string> Keys(const std::string& entity) {
    std::set<std::string> keys;
    for (const auto& [key, fields] : Records(entity)) keys.insert(key);
    return keys;
  }

  std::map<std::string, uint64_t> Checksums() {
    std::map<std::string, uint64_t> checksums;
    auto erp = SqliteErpSource::Open(company_.path());
    EXPECT_OK(erp);
    for (const MappingDefinition& mapping : catalog_->mappings()) {
      const Result<ErpEntityChecksum> checksum = ComputeErpChecksum(**erp, Plan(mapping.id()));
      EXPECT_OK(checksum) << mapping.id();
      checksums[mapping.id()] = checksum.ok() ? checksum->checksum : 0;
    }
    return checksums;
  }

  CompanyCopy company_;
  FixedClock clock_;
};


TEST_F(ExportCatalogTest, OpeningACompanyForExportsChangesNoChecksum) {
  const std::map<std::string, uint64_t> before = Checksums();
  auto applier = SqliteErpWriter::Open(company_.path(), &clock_);
  ASSERT_OK(applier);
  EXPECT_EQ(Checksums(), before);
}

TEST_F(ExportCatalogTest, ReportedKeysAreTheRecordKeysTheServerLooksUp) {
  auto opened = SqliteErpWriter::Open(company_.path(), &clock_);
  ASSERT_OK(opened);
  SqliteErpWriter& applier = **opened;
  const auto job = testing::ApplyOk(applier, testing::JobExport(1, "26-101"));
  const auto sub_job = testing::ApplyOk(applier, testing::SubJobExport(2, "4"));
  const auto vendor = testing::ApplyOk(applier, testing::VendorExport(3, "V09990"));
  const auto codes = testing::ApplyOk(applier, testing::CostCodeUpdateExport(4, "26-101", {"03-310"}));
  const auto commitment = testing::ApplyOk(applier, testing::CommitmentExport(10, "26101-01"));
  const auto change_order = testing::ApplyOk(applier, testing::ChangeOrderExport(11, "26101-01", "001"));
  const auto invoice = testing::ApplyOk(applier, testing::InvoiceExport(12, "26101-01", "INV-5001"));
  const auto budget = testing::ApplyOk(applier, testing::BudgetExport(20));
  const auto budget_change = testing::ApplyOk(applier, testing::BudgetExport(21, /*change=*/true));
  const auto pcco = testing::ApplyOk(applier, testing::PrimeContractChangeOrderExport(30, "PCO-7"));
  ASSERT_FALSE(::testing::Test::HasFailure());

  // Linked records (ItemRules::LinkedEntity), live on the next sync.
  EXPECT_THAT(Keys("cv_job"), Contains(job[0]));
  EXPECT_THAT(Keys("jc_job"), Contains(job[0]));
  EXPECT_THAT(Keys("jc_extra"), Contains(sub_job[0]));
  EXPECT_THAT(Keys("vendor"), Contains(vendor[0]));
  EXPECT_THAT(Keys("jc_cost_code"), Contains(codes[0]));
  EXPECT_THAT(Keys("jc_commitment"), Contains(commitment[0]));
  for (const std::string& key : change_order) {
    EXPECT_THAT(Keys("jc_commitment_change_order"), Contains(key));
  }
  // Entries: invisible until posted.
  EXPECT_THAT(Keys("ap_invoice"), Not(Contains(invoice[0])));
  EXPECT_THAT(Keys("cn_contract_change_order"), Not(Contains(pcco[0])));
  const auto posted_batches = [&] {
    std::set<std::string> batches;
    for (const auto& [key, fields] : Records("jc_transaction")) {
      if (fields.at("job") == testing::kJob) batches.insert(fields.at("batch"));
    }
    return batches;
  };
  EXPECT_THAT(posted_batches(), Not(Contains(budget[0])));

  const Result<SamplePostSummary> posted = PostSampleEntries(company_.path());
  ASSERT_OK(posted);
  EXPECT_THAT(Keys("ap_invoice"), Contains(invoice[0]));
  EXPECT_THAT(Keys("cn_contract_change_order"), Contains(pcco[0]));
  // BudgetEntriesPosted: a Transaction (JC) record of the project's job
  // carrying the reported batch.
  const std::set<std::string> batches = posted_batches();
  EXPECT_THAT(batches, Contains(budget[0]));
  EXPECT_THAT(batches, Contains(budget_change[0]));
}

TEST_F(ExportCatalogTest, EveryWrittenAndPostedRowConvertsUnderItsMapping) {
  const std::map<std::string, uint64_t> before = Checksums();
  {
    auto opened = SqliteErpWriter::Open(company_.path(), &clock_);
    ASSERT_OK(opened);
    SqliteErpWriter& applier = **opened;
    testing::ApplyOk(applier, testing::JobExport(1, "26-101"));
    testing::ApplyOk(applier, testing::SubJobExport(2, "4"));
    testing::ApplyOk(applier, testing::VendorExport(3, "V09990"));
    testing::ApplyOk(applier, testing::CostCodeUpdateExport(4, "26-101", {"03-310"}));
    testing::ApplyOk(applier, testing::CommitmentExport(10, "26101-01"));
    testing::ApplyOk(applier, testing::ChangeOrderExport(11, "26101-01", "001"));
    testing::ApplyOk(applier, testing::InvoiceExport(12, "26101-01", "INV-5001"));
    testing::ApplyOk(applier, testing::BudgetExport(20));
    testing::ApplyOk(applier, testing::PrimeContractChangeOrderExport(30, "PCO-7"));
  }
  ASSERT_OK(PostSampleEntries(company_.path()));
  // Checksums() fails the test for any row that does not convert.
  const std::map<std::string, uint64_t> after = Checksums();
  for (const char* entity :
       {"cv_job", "jc_job", "jc_extra", "vendor", "ap_invoice_settings", "jc_cost_code",
        "jc_category", "jc_commitment", "jc_commitment_item", "jc_commitment_change_order",
        "ap_invoice", "ap_distribution", "jc_transaction", "cn_contract",
        "cn_contract_change_order", "cn_contract_change_order_item"}) {
    EXPECT_NE(after.at(entity), before.at(entity)) << entity;
  }
  for (const char* entity : {"customer", "gl_account", "ar_invoice", "standard_cost_code"}) {
    EXPECT_EQ(after.at(entity), before.at(entity)) << entity;
  }
}

}  // namespace
}  // namespace erpsync::agent
