#include "agent/erp/sample/sample_transactions.h"

#include <algorithm>
#include <charconv>
#include <limits>
#include <string>
#include <vector>

#include "common/decimal.h"

namespace erpsync::agent {
namespace {

constexpr uint64_t kTransactionStream = 100;

enum TransactionType : int {
  kApCost,
  kJcCost,
  kPrCost,
  kEqCost,
  kIvCost,
  kSmCost,
  kOriginalEstimate,
  kApprovedEstimateChange,
  kCommitment,
  kCommitmentChangeOrder,
  kScheduledValue,
};

// Per mille of the transactions of each type, in kSampleTransactionTypes order.
constexpr std::array<int, 11> kTypeWeights = {300, 60, 250, 80, 40, 20, 90, 40, 60, 30, 30};
// The module whose batch posts each type.
constexpr std::array<std::string_view, 11> kTypeModules = {"AP", "JC", "PR", "EQ", "IV", "SM",
                                                           "JC", "JC", "JC", "JC", "CN"};

constexpr std::array<std::string_view, 5> kJournalDescriptions = {
    "Job cost adjustment", "Reclass cost", "Accrual", "Shop cost allocation", "Small tools"};

// Columns of JCT_CURRENT__TRANSACTION, in table order.
enum Column : int {
  kRowId,
  kJob,
  kExtra,
  kCostCode,
  kCategory,
  kTransactionType,
  kAccountingDate,
  kTransactionDate,
  kAmount,
  kUnits,
  kUnitCost,
  kVendor,
  kInvoice,
  kCommitmentColumn,
  kChangeOrder,
  kCommitmentType,
  kDebitAccount,
  kCreditAccount,
  kEmployee,
  kEquipment,
  kApPaymentId,
  kRef1,
  kRef2,
  kDescription,
  kBatch,
  kRun,
  kRowVersion,
  kDateStamp,
  kTimeStamp,
  kColumnCount,
};

void AppendNumber(int64_t value, std::string* out) {
  char buffer[24];
  const auto result = std::to_chars(buffer, buffer + sizeof(buffer), value);
  out->append(buffer, result.ptr);
}

// GL accounts of one prefix, as the transactions post them.
struct PrefixAccounts {
  std::array<std::string, kSampleRollupCount> cost;  // by rollup
  std::string accounts_payable;
  std::string accrued_payroll;
  std::string inventory;
  std::string equipment_revenue;
  std::string clearing;
};

class TransactionWriter {
 public:
  TransactionWriter(uint64_t seed, int64_t count, const SampleModel& model)
      : rng_(seed, kTransactionStream), count_(count), model_(model), calendar_(model.calendar) {}

  Status Write(sqlite3* db) {
    Prepare();
    ERPSYNC_ASSIGN_OR_RETURN(SampleTableWriter writer,
                             SampleTableWriter::Open(db, "JCT_CURRENT__TRANSACTION"));
    std::array<SqliteBind, kColumnCount> row;
    for (int64_t i = 0; i < count_; ++i) {
      FillRow(i, &row);
      ERPSYNC_RETURN_IF_ERROR(writer.Row(row));
    }
    return Status::Ok();
  }

 private:
  void Prepare() {
    for (const SampleCode& prefix : SampleGlPrefixes()) {
      const auto account = [&](std::string_view base) {
        return std::string(prefix.code) + "-" + std::string(base);
      };
      PrefixAccounts accounts;
      static constexpr std::array<std::string_view, kSampleRollupCount> kCostBases = {
          "5100", "5200", "5300", "5400", "5500", "5600"};
      for (size_t r = 0; r < kCostBases.size(); ++r) accounts.cost[r] = account(kCostBases[r]);
      accounts.accounts_payable = account("2000");
      accounts.accrued_payroll = account("2100");
      accounts.inventory = account("1400");
      accounts.equipment_revenue = account("4900");
      accounts.clearing = account("1990");
      accounts_.push_back(std::move(accounts));
    }
    for (const SampleResource& employee : model_.employees) {
      employee_descriptions_.push_back("Labor - " + employee.name);
    }
    for (const SampleResource& equipment : model_.equipment) {
      equipment_descriptions_.push_back(equipment.name + " hours");
    }
    // The jobs active on each day of the history; days without one fall back
    // to the job whose activity is nearest.
    active_jobs_.resize(static_cast<size_t>(calendar_.days()));
    for (uint32_t j = 0; j < model_.jobs.size(); ++j) {
      const SampleJob& job = model_.jobs[j];
      for (int64_t day = job.start_day; day <= job.end_day; ++day) {
        active_jobs_[static_cast<size_t>(day - calendar_.first_day())].push_back(j);
      }
    }
    for (size_t d = 0; d < active_jobs_.size(); ++d) {
      if (!active_jobs_[d].empty()) continue;
      const int64_t day = calendar_.first_day() + static_cast<int64_t>(d);
      uint32_t nearest = 0;
      int64_t best = std::numeric_limits<int64_t>::max();
      for (uint32_t j = 0; j < model_.jobs.size(); ++j) {
        const SampleJob& job = model_.jobs[j];
        const int64_t distance = day < job.start_day ? job.start_day - day : day - job.end_day;
        if (distance < best) {
          best = distance;
          nearest = j;
        }
      }
      active_jobs_[d].push_back(nearest);
    }
  }

  // The first transactions of each eleventh of the history have each type in
  // turn, so every type occurs; the others are drawn by weight.
  int ChooseType(int64_t index) {
    const int64_t stride = count_ / static_cast<int64_t>(kTypeWeights.size());
    if (stride > 0 && index % stride == 0 && index / stride < std::ssize(kTypeWeights)) {
      return static_cast<int>(index / stride);
    }
    int roll = static_cast<int>(rng_.Below(1000));
    for (int type = 0; type < std::ssize(kTypeWeights); ++type) {
      roll -= kTypeWeights[static_cast<size_t>(type)];
      if (roll < 0) return type;
    }
    return kApCost;
  }

  void SetDecimal(int64_t scaled, uint32_t scale, std::string* buffer, SqliteBind* cell) {
    buffer->clear();
    AppendDecimal(scaled, scale, buffer);
    *cell = SqliteBind(*buffer);
  }

  void FillRow(int64_t index, std::array<SqliteBind, kColumnCount>* out) {
    std::array<SqliteBind, kColumnCount>& row = *out;
    row.fill(SqliteBind());
    const int64_t day = calendar_.first_day() + index * calendar_.days() / count_;
    const auto& active = active_jobs_[static_cast<size_t>(day - calendar_.first_day())];
    const SampleJob& job = model_.jobs[active[rng_.Index(active.size())]];
    const PrefixAccounts& accounts = accounts_[job.gl_prefix];
    const int type = ChooseType(index);

    uint32_t coding_index = 0;
    int64_t units = 0;
    int64_t unit_cost = 0;
    int64_t amount = 0;
    std::string_view description;
    switch (type) {
      case kApCost: {
        const SampleApInvoice& invoice =
            model_.ap_invoices[job.ap_invoices[rng_.Index(job.ap_invoices.size())]];
        coding_index = invoice.codings[rng_.Index(invoice.codings.size())];
        row[kVendor] = SqliteBind(invoice.vendor);
        row[kInvoice] = SqliteBind(invoice.invoice);
        if (invoice.commitment >= 0) {
          const SampleCommitment& commitment =
              model_.commitments[static_cast<size_t>(invoice.commitment)];
          row[kCommitmentColumn] = SqliteBind(commitment.id);
          row[kCommitmentType] = SqliteBind(commitment.type);
        }
        if (!invoice.payment_id.empty()) row[kApPaymentId] = SqliteBind(invoice.payment_id);
        if (job.codings[coding_index].rollup == SampleRollup::kMaterial) {
          units = rng_.Between(1, 400) * 10000;
          unit_cost = rng_.Between(100, 20000) * 100;
          amount = ExtendCents(units, unit_cost);
        } else {
          amount = rng_.Between(10000, 2500000);
        }
        row[kDebitAccount] =
            SqliteBind(accounts.cost[static_cast<size_t>(job.codings[coding_index].rollup)]);
        row[kCreditAccount] = SqliteBind(accounts.accounts_payable);
        description = invoice.description;
        break;
      }
      case kJcCost: {
        coding_index = static_cast<uint32_t>(rng_.Index(job.codings.size()));
        amount = rng_.Between(-500000, 500000);
        if (amount == 0) amount = 2500;
        row[kDebitAccount] =
            SqliteBind(accounts.cost[static_cast<size_t>(job.codings[coding_index].rollup)]);
        row[kCreditAccount] = SqliteBind(accounts.clearing);
        ref1_.assign("JE");
        AppendNumber(1000 + index % 90000, &ref1_);
        row[kRef1] = SqliteBind(ref1_);
        if (rng_.Percent(50)) row[kRef2] = SqliteBind("Reclass");
        description = kJournalDescriptions[rng_.Index(kJournalDescriptions.size())];
        break;
      }
      case kPrCost: {
        coding_index = job.PickCoding(rng_, SampleRollup::kLabor);
        const size_t e = rng_.Index(model_.employees.size());
        units = rng_.Between(8, 40) * 2500;  // 2 to 10 hours in quarters
        unit_cost = model_.employees[e].rate;
        amount = ExtendCents(units, unit_cost);
        row[kEmployee] = SqliteBind(model_.employees[e].id);
        row[kDebitAccount] = SqliteBind(accounts.cost[static_cast<size_t>(SampleRollup::kLabor)]);
        row[kCreditAccount] = SqliteBind(accounts.accrued_payroll);
        description = employee_descriptions_[e];
        break;
      }
      case kEqCost: {
        coding_index = job.PickCoding(rng_, SampleRollup::kEquipment);
        const size_t e = rng_.Index(model_.equipment.size());
        units = rng_.Between(4, 40) * 2500;
        unit_cost = model_.equipment[e].rate;
        amount = ExtendCents(units, unit_cost);
        row[kEquipment] = SqliteBind(model_.equipment[e].id);
        row[kDebitAccount] =
            SqliteBind(accounts.cost[static_cast<size_t>(SampleRollup::kEquipment)]);
        row[kCreditAccount] = SqliteBind(accounts.equipment_revenue);
        description = equipment_descriptions_[e];
        break;
      }
      case kIvCost: {
        coding_index = job.PickCoding(rng_, SampleRollup::kMaterial);
        units = rng_.Between(1, 500) * 10000;
        unit_cost = rng_.Between(100, 25000) * 100;
        amount = ExtendCents(units, unit_cost);
        row[kDebitAccount] =
            SqliteBind(accounts.cost[static_cast<size_t>(SampleRollup::kMaterial)]);
        row[kCreditAccount] = SqliteBind(accounts.inventory);
        ref1_.assign("REQ");
        AppendNumber(5000 + index % 90000, &ref1_);
        row[kRef1] = SqliteBind(ref1_);
        description = "Materials from stock";
        break;
      }
      case kSmCost: {
        coding_index = job.PickCoding(rng_, SampleRollup::kOther);
        amount = rng_.Between(5000, 300000);
        row[kDebitAccount] = SqliteBind(accounts.cost[static_cast<size_t>(SampleRollup::kOther)]);
        row[kCreditAccount] = SqliteBind(accounts.clearing);
        ref1_.assign("WO");
        AppendNumber(2000 + index % 90000, &ref1_);
        row[kRef1] = SqliteBind(ref1_);
        if (rng_.Percent(60)) {
          ref2_.assign("SC");
          AppendNumber(rng_.Between(100, 9999), &ref2_);
          row[kRef2] = SqliteBind(ref2_);
        }
        description = "Service work order";
        break;
      }
      case kOriginalEstimate: {
        coding_index = static_cast<uint32_t>(rng_.Index(job.codings.size()));
        units = rng_.Between(1, 5000) * 10000;
        amount = rng_.Between(100000, 20000000);
        description = job.codings[coding_index].cost_code_description;
        break;
      }
      case kApprovedEstimateChange: {
        coding_index = static_cast<uint32_t>(rng_.Index(job.codings.size()));
        amount = rng_.Between(-1000000, 3000000);
        if (amount == 0) amount = 10000;
        description_.assign("Budget change");
        if (!job.change_orders.empty()) {
          const std::string& change_order = job.change_orders[rng_.Index(job.change_orders.size())];
          row[kChangeOrder] = SqliteBind(change_order);
          description_.append(" CO ");
          description_.append(change_order);
        }
        description = description_;
        break;
      }
      case kCommitment: {
        const SampleCommitmentItem& item =
            model_.commitment_items[job.commitment_items[rng_.Index(job.commitment_items.size())]];
        const SampleCommitment& commitment = model_.commitments[item.commitment];
        coding_index = item.coding;
        units = item.units;
        unit_cost = item.unit_cost;
        amount = item.amount;
        row[kVendor] = SqliteBind(model_.vendors[commitment.vendor].id);
        row[kCommitmentColumn] = SqliteBind(commitment.id);
        row[kCommitmentType] = SqliteBind(commitment.type);
        description = item.description;
        break;
      }
      case kCommitmentChangeOrder: {
        const SampleCommitmentCo& co =
            model_.commitment_cos[job.commitment_cos[rng_.Index(job.commitment_cos.size())]];
        const SampleCommitmentItem& item = model_.commitment_items[co.item];
        const SampleCommitment& commitment = model_.commitments[item.commitment];
        coding_index = item.coding;
        amount = co.amount;
        row[kVendor] = SqliteBind(model_.vendors[commitment.vendor].id);
        row[kCommitmentColumn] = SqliteBind(commitment.id);
        row[kChangeOrder] = SqliteBind(co.change_order);
        row[kCommitmentType] = SqliteBind(commitment.type);
        description = co.description;
        break;
      }
      default: {  // kScheduledValue
        const SampleContractItem& item = job.contract_items[rng_.Index(job.contract_items.size())];
        coding_index = item.coding;
        amount = item.scheduled_value;
        description = item.description;
        break;
      }
    }

    const SampleCoding& coding = job.codings[coding_index];
    const int64_t stamp_day =
        std::min(day + static_cast<int64_t>(rng_.Below(4)), calendar_.last_day());
    FormatClock(RandomWorkSeconds(rng_), time_.data());
    const std::string_view stamp_date = calendar_.Date(stamp_day);
    batch_.assign(kTypeModules[static_cast<size_t>(type)]);
    batch_ += '-';
    batch_.append(stamp_date.substr(2, 2));
    batch_.append(stamp_date.substr(5, 2));
    batch_.append(stamp_date.substr(8, 2));

    const int64_t row_id = index + 1;
    row[kRowId] = SqliteBind(row_id);
    row[kJob] = SqliteBind(job.id);
    row[kExtra] = SqliteBind(coding.extra);
    row[kCostCode] = SqliteBind(coding.cost_code);
    row[kCategory] = SqliteBind(coding.category);
    row[kTransactionType] = SqliteBind(kSampleTransactionTypes[static_cast<size_t>(type)]);
    row[kAccountingDate] = SqliteBind(calendar_.Date(calendar_.MonthEnd(day)));
    row[kTransactionDate] = SqliteBind(calendar_.Date(day));
    SetDecimal(amount, 2, &amount_, &row[kAmount]);
    SetDecimal(units, 4, &units_, &row[kUnits]);
    SetDecimal(unit_cost, 4, &unit_cost_, &row[kUnitCost]);
    row[kDescription] = SqliteBind(description);
    row[kBatch] = SqliteBind(batch_);
    row[kRun] = SqliteBind(stamp_day - calendar_.first_day() + 1);
    row[kRowVersion] = SqliteBind(row_id);
    row[kDateStamp] = SqliteBind(stamp_date);
    row[kTimeStamp] = SqliteBind(std::string_view(time_.data(), time_.size()));
  }

  SampleRandom rng_;
  int64_t count_;
  const SampleModel& model_;
  const SampleCalendar& calendar_;
  std::vector<PrefixAccounts> accounts_;
  std::vector<std::string> employee_descriptions_;
  std::vector<std::string> equipment_descriptions_;
  std::vector<std::vector<uint32_t>> active_jobs_;  // by day of the history
  // Text of the row being written; bound without copying.
  std::string amount_;
  std::string units_;
  std::string unit_cost_;
  std::string ref1_;
  std::string ref2_;
  std::string description_;
  std::string batch_;
  std::array<char, 8> time_{};
};

}  // namespace

Status WriteSampleTransactions(sqlite3* db, uint64_t seed, int64_t count,
                               const SampleModel& model) {
  if (count == 0) return Status::Ok();
  return TransactionWriter(seed, count, model).Write(db);
}

}  // namespace erpsync::agent
