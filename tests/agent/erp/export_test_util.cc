#include "tests/agent/erp/export_test_util.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <memory>

#include "agent/erp/sqlite_erp_source.h"
#include "tests/support/status_matchers.h"

namespace erpsync::agent::testing {
namespace {

const std::string& TemplateCompany() {
  static erpsync::testing::TempDir directory;
  static const std::string path = [] {
    std::string file = directory.File("template.db");
    const auto created = CreateSampleCompany(file, SmallCompanyOptions());
    EXPECT_OK(created);
    return file;
  }();
  return path;
}

v1::ExportItem Export(int64_t item_id, v1::ItemType type, const std::string& job) {
  v1::ExportItem item;
  item.set_item_id(item_id);
  item.set_version(1);
  item.set_type(type);
  item.set_erp_job(job);
  item.set_queued_unix(kExportUnix - 60);
  item.set_accepted_by("ann");
  return item;
}

}  // namespace

LocalDateTime ExportStamp() { return ToLocalDateTime(kExportUnix); }

CompanyCopy::CompanyCopy() : path_(dir_.File("company.db")) {
  std::filesystem::copy_file(TemplateCompany(), path_);
}

v1::ExportItem JobExport(int64_t item_id, const std::string& job) {
  v1::ExportItem item = Export(item_id, v1::JOB, job);
  v1::JobContent* content = item.mutable_content()->mutable_job();
  content->set_job(job);
  content->set_description("Riverside Clinic");
  content->set_address("100 Main St");
  content->set_city("Sacramento");
  content->set_state("CA");
  content->set_zip_code("95814");
  content->set_contract_amount("1250000.50");
  return item;
}

v1::ExportItem SubJobExport(int64_t item_id, const std::string& extra) {
  v1::ExportItem item = Export(item_id, v1::SUB_JOB, kJob);
  v1::SubJobContent* content = item.mutable_content()->mutable_sub_job();
  content->set_extra(extra);
  content->set_description("Area D");
  return item;
}

v1::ExportItem VendorExport(int64_t item_id, const std::string& vendor) {
  v1::ExportItem item = Export(item_id, v1::VENDOR, "");
  item.set_erp_vendor(vendor);
  v1::VendorContent* content = item.mutable_content()->mutable_vendor();
  content->set_vendor(vendor);
  content->set_name("Delta Drywall Inc");
  content->set_city("Reno");
  content->set_state("NV");
  content->set_telephone("(775) 555-0100");
  return item;
}

v1::ExportItem CostCodeUpdateExport(int64_t item_id, const std::string& job,
                                    const std::vector<std::string>& cost_codes) {
  v1::ExportItem item = Export(item_id, v1::COST_CODE_UPDATE, job);
  v1::CostCodeUpdateContent* content = item.mutable_content()->mutable_cost_code_update();
  for (const std::string& code : cost_codes) {
    v1::CostCodeUpdateLine* line = content->add_lines();
    line->set_cost_code(code);
  }
  return item;
}

v1::ExportItem CommitmentExport(int64_t item_id, const std::string& id) {
  v1::ExportItem item = Export(item_id, v1::COMMITMENT, kJob);
  item.set_erp_commitment(id);
  item.set_erp_vendor(kVendor);
  v1::CommitmentContent* content = item.mutable_content()->mutable_commitment();
  content->set_id(id);
  content->set_title("Concrete footings");
  content->set_commitment_type(v1::SUBCONTRACT);
  content->set_status(v1::APPROVED);
  content->set_vendor(kVendor);
  content->set_retainage_percent("10");
  v1::CommitmentLine* line = content->add_lines();
  line->set_item("001");
  line->set_extra(kExtra);
  line->set_cost_code(kCostCode);
  line->set_category("L");
  line->set_description("Supervision");
  line->set_amount("1000.00");
  line = content->add_lines();
  line->set_item("002");
  line->set_extra(kExtra);
  line->set_cost_code("03-310");
  line->set_category("M");
  line->set_description("Footings");
  line->set_amount("2500.50");
  return item;
}

v1::ExportItem ChangeOrderExport(int64_t item_id, const std::string& commitment,
                                 const std::string& number) {
  v1::ExportItem item = Export(item_id, v1::COMMITMENT_CHANGE_ORDER, kJob);
  item.set_erp_commitment(commitment);
  item.set_erp_vendor(kVendor);
  v1::CommitmentChangeOrderContent* content =
      item.mutable_content()->mutable_commitment_change_order();
  content->set_commitment_item_id(item_id - 1);
  content->set_number(number);
  content->set_title("Added rebar");
  v1::ChangeOrderLine* line = content->add_lines();
  line->set_item("001");
  line->set_amount("100.00");
  line = content->add_lines();
  line->set_item("003");
  line->set_extra(kExtra);
  line->set_cost_code(kCostCode);
  line->set_category("M");
  line->set_description("Site material");
  line->set_amount("-20.25");
  return item;
}

v1::ExportItem BudgetExport(int64_t item_id, bool change) {
  v1::ExportItem item = Export(item_id, change ? v1::BUDGET_CHANGE : v1::BUDGET, kJob);
  v1::BudgetContent* content = change ? item.mutable_content()->mutable_budget_change()
                                      : item.mutable_content()->mutable_budget();
  content->set_description(change ? "Owner upgrades" : "Original budget");
  v1::BudgetLine* line = content->add_lines();
  line->set_extra(kExtra);
  line->set_cost_code(kCostCode);
  line->set_category("L");
  line->set_amount("12000.00");
  line->set_units("40");
  line = content->add_lines();
  line->set_extra(kExtra);
  line->set_cost_code("03-310");
  line->set_category("S");
  line->set_description("Footings sub");
  line->set_amount("55000.50");
  return item;
}

v1::ExportItem PrimeContractChangeOrderExport(int64_t item_id, const std::string& number) {
  v1::ExportItem item = Export(item_id, v1::PRIME_CONTRACT_CHANGE_ORDER, kJob);
  v1::PrimeContractChangeOrderContent* content =
      item.mutable_content()->mutable_prime_contract_change_order();
  content->set_number(number);
  content->set_title("Owner change 7");
  content->set_transaction_date("2026-03-10");
  v1::PrimeContractChangeOrderLine* line = content->add_lines();
  line->set_extra("2");
  line->set_cost_code("01-170");
  line->set_category("LB");
  line->set_amount("1500.00");
  line = content->add_lines();
  line->set_extra(kExtra);
  line->set_cost_code(kCostCode);
  line->set_category("L");
  line->set_description("Extra supervision");
  line->set_amount("5000.25");
  return item;
}

v1::ExportItem InvoiceExport(int64_t item_id, const std::string& commitment,
                             const std::string& invoice) {
  v1::ExportItem item = Export(item_id, v1::SUBCONTRACTOR_INVOICE, kJob);
  item.set_erp_commitment(commitment);
  item.set_erp_vendor(kVendor);
  v1::SubcontractorInvoiceContent* content =
      item.mutable_content()->mutable_subcontractor_invoice();
  content->set_commitment_item_id(item_id - 1);
  content->set_invoice(invoice);
  content->set_invoice_date("2026-03-05");
  content->set_description("Progress bill 1");
  v1::InvoiceLine* line = content->add_lines();
  line->set_item("001");
  line->set_amount("400.00");
  line = content->add_lines();
  line->set_item("002");
  line->set_description("Footings to date");
  line->set_amount("100.10");
  return item;
}

std::vector<TextRow> ReadWhere(const std::string& path, const std::string& table,
                               const std::vector<std::string>& columns, const std::string& column,
                               const std::string& value, const std::vector<std::string>& order_by) {
  auto erp = SqliteErpSource::Open(path);
  if (!erp.ok()) {
    ADD_FAILURE() << erp.status().ToString();
    return {};
  }
  TableRead read;
  read.table = table;
  read.columns = columns;
  read.in_column = column;
  read.in_values = {value};
  read.order_by = order_by;
  auto rows = ReadAll(**erp, read);
  if (!rows.ok()) {
    ADD_FAILURE() << rows.status().ToString();
    return {};
  }
  return *std::move(rows);
}

int64_t CountRows(const std::string& path, const std::string& table) {
  return QueryInteger(path, "SELECT COUNT(*) FROM \"" + table + "\"");
}

namespace {

void AppendTable(const std::string& path, const std::string& table, std::vector<TextRow>* out) {
  out->push_back({table});
  for (TextRow& row : Query(path, "SELECT * FROM \"" + table + "\" ORDER BY rowid")) {
    out->push_back(std::move(row));
  }
}

}  // namespace

std::vector<TextRow> WholeCompany(const std::string& path) {
  std::vector<TextRow> content;
  for (const TextRow& table :
       Query(path, "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")) {
    AppendTable(path, *table[0], &content);
  }
  return content;
}

std::vector<TextRow> WholeCompany(const std::string& path, std::span<const SampleTableDef> tables) {
  std::vector<TextRow> content;
  for (const SampleTableDef& table : tables) AppendTable(path, std::string(table.name), &content);
  return content;
}

std::string Describe(const ExportOutcome& outcome) {
  std::string text(ExportOutcomeKindName(outcome.kind));
  if (!outcome.message.empty()) text += ": " + outcome.message;
  text += " [";
  for (size_t i = 0; i < outcome.erp_keys.size(); ++i) {
    text += (i > 0 ? ", " : "") + outcome.erp_keys[i];
  }
  return text + "]";
}

std::vector<std::string> ApplyOk(ErpWriter& writer, const v1::ExportItem& item) {
  const ExportOutcome outcome = writer.Apply(item);
  EXPECT_EQ(outcome.kind, ExportOutcome::Kind::kApplied) << Describe(outcome);
  return outcome.erp_keys;
}

void ErpWriterTest::OpenWriter() {
  writer_.reset();
  ASSERT_OK_AND_ASSIGN(writer_, SqliteErpWriter::Open(company_.path(), &clock_, writer_options_));
}

}  // namespace erpsync::agent::testing
