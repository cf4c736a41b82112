#include "agent/erp/sample/sample_masters.h"

#include <algorithm>
#include <array>
#include <iterator>
#include <numeric>
#include <string>
#include <utility>
#include <vector>

#include "common/civil_time.h"
#include "common/decimal.h"

namespace erpsync::agent {
namespace {

// Independent random streams, one per part of the company.
enum Stream : uint64_t {
  kTaxStream = 1,
  kCustomerStream,
  kVendorStream,
  kJobStream,
  kContractStream,
  kCommitmentStream,
  kApStream,
  kArStream,
  kQuickBillStream,
  kProjectStream,
  kResourceStream,
};

constexpr std::string_view kSubcontract = "Subcontract";
constexpr std::string_view kPurchaseOrder = "Purchase order";

template <typename T>
const T& Pick(SampleRandom& rng, std::span<const T> items) {
  return items[rng.Index(items.size())];
}

std::string PersonName(SampleRandom& rng) {
  std::string name(Pick(rng, SampleFirstNames()));
  name += ' ';
  name += Pick(rng, SampleLastNames());
  return name;
}

std::string StreetAddress(SampleRandom& rng) {
  return std::to_string(rng.Between(10, 9999)) + " " + std::string(Pick(rng, SampleStreets()));
}

std::string ZipCode(SampleRandom& rng, const SampleCity& city) {
  return std::string(city.zip_prefix) + Code("", 2, rng.Between(1, 99));
}

std::string Telephone(SampleRandom& rng, const SampleCity& city) {
  return "(" + std::string(city.area_code) + ") 555-" + Code("", 4, rng.Between(100, 9999));
}

// "CA-SAC" for Sacramento, CA.
std::string TaxGroupOf(const SampleCity& city) {
  std::string group(city.state);
  group += '-';
  for (char c : city.name.substr(0, 3)) {
    group += static_cast<char>(c >= 'a' && c <= 'z' ? c - 'a' + 'A' : c);
  }
  return group;
}

std::string_view StateRate(std::string_view state) {
  if (state == "CA") return "7.2500";
  if (state == "NV") return "6.8500";
  if (state == "ID") return "6.0000";
  if (state == "WA") return "6.5000";
  return "0.0000";  // OR, MT: no sales tax
}

// Whole dollars in [low, high], as cents.
int64_t Dollars(SampleRandom& rng, int64_t low, int64_t high) {
  return rng.Between(low, high) * 100;
}

// Dollars and cents in [low, high] dollars.
int64_t DollarsAndCents(SampleRandom& rng, int64_t low, int64_t high) {
  return rng.Between(low * 100, high * 100);
}

// "21004" for job "21-004".
std::string JobDigits(const std::string& job) {
  std::string digits;
  for (char c : job) {
    if (c != '-') digits += c;
  }
  return digits;
}

class MasterWriter {
 public:
  MasterWriter(sqlite3* db, uint64_t seed, SampleModel* model)
      : db_(db), seed_(seed), model_(*model), calendar_(model->calendar) {}

  Status Write(int jobs) {
    ERPSYNC_RETURN_IF_ERROR(WriteGl());
    ERPSYNC_RETURN_IF_ERROR(WriteTax());
    ERPSYNC_RETURN_IF_ERROR(WriteCustomers(std::max(20, jobs)));
    ERPSYNC_RETURN_IF_ERROR(WriteVendors(std::max(50, jobs * 5)));
    ERPSYNC_RETURN_IF_ERROR(WriteStandardCodes());
    BuildJobs(jobs);
    ERPSYNC_RETURN_IF_ERROR(WriteContractsAndJobs());
    ERPSYNC_RETURN_IF_ERROR(WriteCommitments());
    ERPSYNC_RETURN_IF_ERROR(WriteApDocuments());
    ERPSYNC_RETURN_IF_ERROR(WriteArDocuments());
    ERPSYNC_RETURN_IF_ERROR(WriteQuickBills());
    BuildResources(jobs);
    return Status::Ok();
  }

 private:
  struct Customer {
    std::string id;
    size_t city = 0;
  };

  std::string Account(size_t prefix, std::string_view base) const {
    std::string account(SampleGlPrefixes()[prefix].code);
    account += '-';
    account += base;
    return account;
  }

  static std::string_view DebitBase(SampleRollup rollup) {
    switch (rollup) {
      case SampleRollup::kLabor:
        return "5100";
      case SampleRollup::kMaterial:
        return "5200";
      case SampleRollup::kSubcontract:
        return "5300";
      case SampleRollup::kEquipment:
        return "5400";
      case SampleRollup::kOther:
        return "5500";
      case SampleRollup::kOverhead:
        return "5600";
    }
    return "5500";
  }

  const std::vector<uint32_t>& VendorsOfType(std::string_view type) const {
    for (const auto& [code, vendors] : vendors_by_type_) {
      if (code == type) return vendors;
    }
    return vendors_by_type_.front().second;
  }

  // ---- GL and tax -----------------------------------------------------------
  Status WriteGl() {
    ERPSYNC_ASSIGN_OR_RETURN(auto prefixes,
                             SampleTableWriter::Open(db_, "GLM_MASTER__ACCOUNT_PREFIX_A"));
    ERPSYNC_ASSIGN_OR_RETURN(auto accounts, SampleTableWriter::Open(db_, "GLM_MASTER__ACCOUNT"));
    for (size_t p = 0; p < SampleGlPrefixes().size(); ++p) {
      const SampleCode& prefix = SampleGlPrefixes()[p];
      ERPSYNC_RETURN_IF_ERROR(prefixes.Row({prefix.code, prefix.description}));
      for (const SampleGlAccount& account : SampleGlAccounts()) {
        ERPSYNC_RETURN_IF_ERROR(
            accounts.Row({Account(p, account.base), account.description, prefix.code, account.base,
                          account.account_type, account.normal_balance, "Active"}));
      }
    }
    return Status::Ok();
  }

  Status WriteTax() {
    SampleRandom rng(seed_, kTaxStream);
    ERPSYNC_ASSIGN_OR_RETURN(auto groups, SampleTableWriter::Open(db_, "TXM_MASTER__TAX_GROUP"));
    ERPSYNC_ASSIGN_OR_RETURN(auto rates, SampleTableWriter::Open(db_, "TXM_MASTER__TAX_RATE"));
    const std::string effective(calendar_.Date(calendar_.first_day()));
    for (const SampleCity& city : SampleCities()) {
      const std::string group = TaxGroupOf(city);
      const std::string county = group.substr(3) + "CO";
      const int64_t state_rate = ParseRate(StateRate(city.state));
      const int64_t county_rate = rng.Between(1, 6) * 2500;  // 0.25% steps
      const int64_t district_rate = rng.Percent(50) ? rng.Between(1, 8) * 1250 : 0;
      ERPSYNC_RETURN_IF_ERROR(rates.Row({group, city.state, std::string(city.state) + " state tax",
                                         FormatDecimal(state_rate, 4), effective}));
      ERPSYNC_RETURN_IF_ERROR(rates.Row({group, county, std::string(city.name) + " county tax",
                                         FormatDecimal(county_rate, 4), effective}));
      if (district_rate > 0) {
        ERPSYNC_RETURN_IF_ERROR(
            rates.Row({group, group.substr(3) + "DI", std::string(city.name) + " district tax",
                       FormatDecimal(district_rate, 4), effective}));
      }
      ERPSYNC_RETURN_IF_ERROR(
          groups.Row({group, std::string(city.name) + ", " + std::string(city.state) + " sales tax",
                      city.state, FormatDecimal(state_rate + county_rate + district_rate, 4)}));
    }
    return Status::Ok();
  }

  static int64_t ParseRate(std::string_view text) {
    int64_t value = 0;
    for (char c : text) {
      if (c >= '0' && c <= '9') value = value * 10 + (c - '0');
    }
    return value;
  }

  // ---- AR customers ---------------------------------------------------------
  Status WriteCustomers(int count) {
    SampleRandom rng(seed_, kCustomerStream);
    ERPSYNC_ASSIGN_OR_RETURN(auto types, SampleTableWriter::Open(db_, "ARM_MASTER__CUSTOMER_TYPE"));
    for (const SampleCode& type : SampleCustomerTypes()) {
      ERPSYNC_RETURN_IF_ERROR(types.Row({type.code, type.description}));
    }
    ERPSYNC_ASSIGN_OR_RETURN(auto customers, SampleTableWriter::Open(db_, "ARM_MASTER__CUSTOMER"));
    for (int i = 0; i < count; ++i) {
      Customer customer{Code("C", 5, (i + 1) * 10), rng.Index(SampleCities().size())};
      const SampleCity& city = SampleCities()[customer.city];
      const SampleCode& type = SampleCustomerTypes()[rng.Index(SampleCustomerTypes().size())];
      const std::string word(Pick(rng, SampleCompanyWords()));
      std::string name;
      if (type.code == "GOV") {
        name = rng.Percent(50) ? "City of " + std::string(city.name)
                               : std::string(city.name) + " County";
      } else if (type.code == "EDU") {
        name = rng.Percent(50) ? std::string(city.name) + " School District"
                               : word + " Unified School Dist";
      } else if (type.code == "MED") {
        name = word + (rng.Percent(50) ? " Medical Group" : " Health");
      } else if (type.code == "RES") {
        name = word + " Homes";
      } else {
        name = word + (rng.Percent(50) ? " Properties LLC" : " Development");
      }
      const SampleStamp stamp =
          RandomStamp(rng, calendar_, calendar_.first_day(), calendar_.last_day());
      ERPSYNC_RETURN_IF_ERROR(customers.Row(
          {customer.id, Truncate(name, 30), type.code, StreetAddress(rng), city.name, city.state,
           ZipCode(rng, city), Telephone(rng, city), PersonName(rng), stamp.date, stamp.Time()}));
      customers_.push_back(std::move(customer));
    }
    return Status::Ok();
  }

  // ---- AP vendors -----------------------------------------------------------
  Status WriteVendors(int count) {
    SampleRandom rng(seed_, kVendorStream);
    ERPSYNC_ASSIGN_OR_RETURN(auto types, SampleTableWriter::Open(db_, "APM_MASTER__VENDOR_TYPE"));
    for (const SampleCode& type : SampleVendorTypes()) {
      ERPSYNC_RETURN_IF_ERROR(types.Row({type.code, type.description}));
      vendors_by_type_.emplace_back(type.code, std::vector<uint32_t>());
    }
    ERPSYNC_ASSIGN_OR_RETURN(auto vendors, SampleTableWriter::Open(db_, "APM_MASTER__VENDOR"));
    ERPSYNC_ASSIGN_OR_RETURN(auto settings,
                             SampleTableWriter::Open(db_, "APM_MASTER__INVOICE_SETTINGS"));
    const auto trades = SampleTrades();
    for (int i = 0; i < count; ++i) {
      SampleVendor vendor;
      vendor.id = Code("V", 5, (i + 1) * 10);
      // Every trade once, then at random: each vendor type has vendors.
      vendor.trade = static_cast<size_t>(i) < trades.size() ? static_cast<size_t>(i)
                                                            : rng.Index(trades.size());
      const SampleTrade& trade = trades[vendor.trade];
      vendor.name =
          Truncate(std::string(Pick(rng, SampleCompanyWords())) + " " + std::string(trade.name) +
                       " " + std::string(Pick(rng, SampleCompanySuffixes())),
                   30);
      const SampleCity& city = SampleCities()[rng.Index(SampleCities().size())];
      const SampleStamp stamp =
          RandomStamp(rng, calendar_, calendar_.first_day(), calendar_.last_day());
      ERPSYNC_RETURN_IF_ERROR(vendors.Row(
          {vendor.id, vendor.name, trade.vendor_type, StreetAddress(rng), city.name, city.state,
           ZipCode(rng, city), Telephone(rng, city), PersonName(rng), stamp.date, stamp.Time()}));
      const bool sub = trade.vendor_type == "SUB";
      const int terms = static_cast<int>(rng.Below(4));
      static constexpr std::array<std::string_view, 4> kTerms = {"Net 30", "Net 15", "2% 10 Net 30",
                                                                 "Due on receipt"};
      std::string_view expense = "5500";
      if (sub) expense = "5300";
      if (trade.vendor_type == "SUP") expense = "5200";
      if (trade.vendor_type == "EQP") expense = "5400";
      ERPSYNC_RETURN_IF_ERROR(
          settings.Row({vendor.id, kTerms[static_cast<size_t>(terms)], terms == 2 ? "2.00" : "0.00",
                        sub ? (rng.Percent(70) ? "10.00" : "5.00") : "0.00", Account(0, expense),
                        rng.Percent(5) ? "Y" : "N", rng.Percent(10) ? "Y" : "N"}));
      for (auto& [code, list] : vendors_by_type_) {
        if (code == trade.vendor_type) list.push_back(static_cast<uint32_t>(i));
      }
      model_.vendors.push_back(std::move(vendor));
    }
    return Status::Ok();
  }

  // ---- JC standard lists ----------------------------------------------------
  Status WriteStandardCodes() {
    ERPSYNC_ASSIGN_OR_RETURN(auto codes,
                             SampleTableWriter::Open(db_, "JCM_MASTER__STANDARD_COST_CODE"));
    for (const SampleDivision& division : SampleDivisions()) {
      ERPSYNC_RETURN_IF_ERROR(
          codes.Row({std::string(division.code) + "-000", division.description, "Y", ""}));
      for (const SampleCostItem& item : division.items) {
        ERPSYNC_RETURN_IF_ERROR(
            codes.Row({std::string(division.code) + "-" + std::string(item.suffix),
                       item.description, "N", item.unit}));
      }
    }
    ERPSYNC_ASSIGN_OR_RETURN(auto categories,
                             SampleTableWriter::Open(db_, "JCM_MASTER__STANDARD_CATEGORY"));
    for (const SampleCategory& category : SampleCategories()) {
      ERPSYNC_RETURN_IF_ERROR(
          categories.Row({category.code, category.description, SampleRollupName(category.rollup)}));
    }
    return Status::Ok();
  }

  // ---- Jobs -----------------------------------------------------------------
  void BuildJobs(int count) {
    SampleRandom rng(seed_, kJobStream);
    const int64_t first = calendar_.first_day();
    const int64_t last = calendar_.last_day();
    for (int i = 0; i < count; ++i) {
      SampleJob job;
      job.start_day = rng.Between(first, std::max(first, last - 30));
      const int64_t planned_end = job.start_day + rng.Between(180, 1095);
      job.closed = planned_end < last - 30;
      job.end_day = std::min(planned_end, last);
      planned_end_.push_back(planned_end);
      job.customer = rng.Index(customers_.size());
      job.city = rng.Index(SampleCities().size());
      job.gl_prefix = job.city < 8 ? 0 : 1;
      job.description = Truncate(std::string(Pick(rng, SampleJobPlaces())) + " " +
                                     std::string(Pick(rng, SampleJobKinds())),
                                 30);
      if (rng.Percent(35)) {
        const int extras = static_cast<int>(rng.Between(2, 4));
        for (int e = 1; e <= extras; ++e) job.extras.push_back(std::to_string(e));
      }
      BuildCodings(rng, &job);
      model_.jobs.push_back(std::move(job));
    }
    // Job numbers follow the start year: "21-004" is the 4th job of 2021.
    std::vector<size_t> order(model_.jobs.size());
    std::iota(order.begin(), order.end(), size_t{0});
    std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
      return model_.jobs[a].start_day < model_.jobs[b].start_day;
    });
    std::vector<SampleJob> sorted;
    std::vector<int64_t> sorted_planned_end;
    int year = -1;
    int sequence = 0;
    for (size_t index : order) {
      SampleJob& job = model_.jobs[index];
      const int job_year = CivilFromDays(job.start_day).year;
      sequence = job_year == year ? sequence + 1 : 1;
      year = job_year;
      job.id = Code("", 2, job_year % 100) + "-" + Code("", 3, sequence);
      sorted.push_back(std::move(job));
      sorted_planned_end.push_back(planned_end_[index]);
    }
    model_.jobs = std::move(sorted);
    planned_end_ = std::move(sorted_planned_end);
  }

  void BuildCodings(SampleRandom& rng, SampleJob* job) {
    const bool has_extras = !job->extras.empty();
    const std::vector<std::string> extras = has_extras ? job->extras : std::vector<std::string>{""};
    for (const std::string& extra : extras) {
      for (const SampleDivision& division : SampleDivisions()) {
        const bool core = division.code == "01" || division.code == "03";
        if (!core && !rng.Percent(has_extras ? 40 : 75)) continue;
        for (const SampleCostItem& item : division.items) {
          const bool required = division.code == "01" && item.suffix == "100";
          if (!required && !rng.Percent(has_extras ? 30 : 40)) continue;
          AddCategories(rng, division, item, extra, job);
        }
      }
    }
    for (uint32_t i = 0; i < job->codings.size(); ++i) {
      job->codings_by_rollup[static_cast<size_t>(job->codings[i].rollup)].push_back(i);
    }
  }

  static void AddCategories(SampleRandom& rng, const SampleDivision& division,
                            const SampleCostItem& item, const std::string& extra, SampleJob* job) {
    const bool general = division.code == "01";
    const bool site = division.code == "02";
    const std::string cost_code = std::string(division.code) + "-" + std::string(item.suffix);
    size_t added = 0;
    for (const SampleCategory& category : SampleCategories()) {
      int percent = 0;
      if (category.code == "L") percent = 75;
      if (category.code == "LB") percent = 40;
      if (category.code == "M") percent = 60;
      if (category.code == "S") percent = 45;
      if (category.code == "E") percent = site ? 60 : 25;
      if (category.code == "R") percent = 10;
      if (category.code == "O") percent = 20;
      if (category.code == "P") percent = general ? 40 : 5;
      if (category.code == "OH") percent = general ? 50 : 0;
      if (!rng.Percent(percent)) continue;
      job->codings.push_back(
          {extra, cost_code, std::string(category.code), category.rollup, item.description});
      ++added;
    }
    if (added == 0) {
      job->codings.push_back({extra, cost_code, "S", SampleRollup::kSubcontract, item.description});
    }
  }

  // Contracts first: the job row carries the contract amounts.
  Status WriteContractsAndJobs() {
    SampleRandom rng(seed_, kContractStream);
    SampleRandom project_rng(seed_, kProjectStream);
    ERPSYNC_ASSIGN_OR_RETURN(auto jobs, SampleTableWriter::Open(db_, "JCM_MASTER__JOB"));
    ERPSYNC_ASSIGN_OR_RETURN(auto extras, SampleTableWriter::Open(db_, "JCM_MASTER__EXTRA"));
    ERPSYNC_ASSIGN_OR_RETURN(auto cost_codes,
                             SampleTableWriter::Open(db_, "JCM_MASTER__COST_CODE"));
    ERPSYNC_ASSIGN_OR_RETURN(auto categories, SampleTableWriter::Open(db_, "JCM_MASTER__CATEGORY"));
    ERPSYNC_ASSIGN_OR_RETURN(auto contracts, SampleTableWriter::Open(db_, "CNM_MASTER__CONTRACT"));
    ERPSYNC_ASSIGN_OR_RETURN(auto items, SampleTableWriter::Open(db_, "CNM_MASTER__CONTRACT_ITEM"));
    ERPSYNC_ASSIGN_OR_RETURN(auto change_orders,
                             SampleTableWriter::Open(db_, "CNM_MASTER__CHANGE_ORDER"));
    ERPSYNC_ASSIGN_OR_RETURN(auto change_order_items,
                             SampleTableWriter::Open(db_, "CNM_MASTER__CHANGE_ORDER_ITEM"));
    ERPSYNC_ASSIGN_OR_RETURN(auto project_cos,
                             SampleTableWriter::Open(db_, "PJM_MASTER__CONTRACT_CHANGE_ORDER"));
    ERPSYNC_ASSIGN_OR_RETURN(auto change_requests,
                             SampleTableWriter::Open(db_, "PJM_MASTER__CHANGE_REQUEST"));
    static constexpr std::array<std::string_view, 4> kContractTypes = {
        "Lump sum", "Cost plus", "Unit price", "Time and material"};
    static constexpr std::array<std::string_view, 3> kExtraSchemes = {"Phase ", "Building ",
                                                                      "Area "};

    for (size_t j = 0; j < model_.jobs.size(); ++j) {
      SampleJob& job = model_.jobs[j];
      const SampleCity& city = SampleCities()[job.city];
      const std::string& customer = customers_[job.customer].id;
      const std::string_view status = job.closed ? "Closed" : "In progress";

      // Extras, cost codes (with their group codes) and categories.
      const std::string_view scheme = kExtraSchemes[rng.Index(kExtraSchemes.size())];
      for (size_t e = 0; e < job.extras.size(); ++e) {
        const std::string name =
            std::string(scheme) +
            (scheme == "Phase " ? job.extras[e] : std::string(1, static_cast<char>('A' + e)));
        const SampleStamp stamp = RandomStamp(rng, calendar_, job.start_day, job.end_day);
        ERPSYNC_RETURN_IF_ERROR(
            extras.Row({job.id, job.extras[e], name, status, stamp.date, stamp.Time()}));
      }
      ERPSYNC_RETURN_IF_ERROR(WriteJobCostCodes(job, &cost_codes, &categories));

      // The prime contract: items on the job's codings, change orders.
      const int64_t retainage = rng.Percent(70) ? 1000 : 500;
      const size_t item_count = std::min<size_t>(job.codings.size(), rng.Between(4, 10));
      int64_t original = 0;
      for (size_t i = 0; i < item_count; ++i) {
        SampleContractItem item;
        item.item = Code("", 3, static_cast<int64_t>(i + 1));
        item.coding = static_cast<uint32_t>(rng.Index(job.codings.size()));
        const SampleCoding& coding = job.codings[item.coding];
        item.description = std::string(coding.cost_code_description);
        item.scheduled_value = Dollars(rng, 10000, 900000);
        original += item.scheduled_value;
        ERPSYNC_RETURN_IF_ERROR(
            items.Row({job.id, item.item, item.description, job.id, coding.extra, coding.cost_code,
                       coding.category, "1.0000", Money(item.scheduled_value),
                       Money(item.scheduled_value), FormatDecimal(retainage, 2)}));
        job.contract_items.push_back(std::move(item));
      }
      int64_t approved = 0;
      const int co_count = static_cast<int>(rng.Between(1, 4));
      int request_number = 0;
      for (int c = 1; c <= co_count; ++c) {
        const std::string co = Code("", 3, c);
        const int roll = static_cast<int>(rng.Below(100));
        // The first change order is approved, so every job has one.
        const bool is_approved = c == 1 || roll < 70;
        const std::string_view co_status =
            is_approved ? "Approved" : (roll < 90 ? "Pending" : "Rejected");
        const int64_t co_day = rng.Between(job.start_day, job.end_day);
        const int64_t approved_day = std::min(co_day + rng.Between(3, 30), calendar_.last_day());
        const std::string description =
            std::string(Pick(rng, SampleChangeReasons())) + " " + Code("#", 0, c);
        int64_t amount = 0;
        const int line_count = static_cast<int>(rng.Between(1, 3));
        for (int l = 1; l <= line_count; ++l) {
          const SampleContractItem& item = job.contract_items[rng.Index(job.contract_items.size())];
          int64_t line = Dollars(rng, -20000, 80000);
          if (line == 0) line = 100000;
          amount += line;
          ERPSYNC_RETURN_IF_ERROR(change_order_items.Row(
              {job.id, co, Code("", 3, l), item.item, item.description, Money(line)}));
        }
        if (is_approved) {
          approved += amount;
          job.change_orders.push_back(co);
        }
        SampleStamp stamp = RandomStamp(rng, calendar_, is_approved ? approved_day : co_day,
                                        (is_approved ? approved_day : co_day) + 3);
        ERPSYNC_RETURN_IF_ERROR(change_orders.Row(
            {job.id, co, description, co_status, calendar_.Date(co_day),
             is_approved ? SqliteBind(calendar_.Date(approved_day)) : SqliteBind(), Money(amount),
             stamp.date, stamp.Time()}));

        // Its project management side: a contract change order and the
        // change requests it grew from.
        const std::string pcco = "CCO-" + co;
        const int64_t requested_day = std::max(job.start_day, co_day - project_rng.Between(5, 20));
        stamp = RandomStamp(project_rng, calendar_, co_day, co_day + 5);
        ERPSYNC_RETURN_IF_ERROR(
            project_cos.Row({job.id, pcco, job.id, job.id, co, description, co_status,
                             calendar_.Date(requested_day),
                             is_approved ? SqliteBind(calendar_.Date(approved_day)) : SqliteBind(),
                             Money(amount), stamp.date, stamp.Time()}));
        const int requests = static_cast<int>(project_rng.Between(1, 2));
        for (int r = 0; r < requests; ++r) {
          const int64_t share =
              requests == 1 ? amount : (r == 0 ? amount / 2 : amount - amount / 2);
          stamp = RandomStamp(project_rng, calendar_, requested_day, requested_day + 10);
          ERPSYNC_RETURN_IF_ERROR(change_requests.Row(
              {job.id, Code("CR-", 3, ++request_number), description, co_status, Money(share), pcco,
               calendar_.Date(requested_day), stamp.date, stamp.Time()}));
        }
      }
      const int unattached = static_cast<int>(project_rng.Between(0, 2));
      for (int r = 0; r < unattached; ++r) {
        const int64_t day = project_rng.Between(job.start_day, job.end_day);
        const SampleStamp stamp = RandomStamp(project_rng, calendar_, day, day + 10);
        ERPSYNC_RETURN_IF_ERROR(change_requests.Row(
            {job.id, Code("CR-", 3, ++request_number),
             std::string(Pick(project_rng, SampleChangeReasons())),
             project_rng.Percent(60) ? "Open" : "Void", Money(Dollars(project_rng, 500, 40000)),
             nullptr, calendar_.Date(day), stamp.date, stamp.Time()}));
      }

      SampleStamp stamp = RandomStamp(rng, calendar_, job.start_day, job.end_day);
      ERPSYNC_RETURN_IF_ERROR(contracts.Row(
          {job.id, job.id, customer, job.description, Money(original), Money(original + approved),
           FormatDecimal(retainage, 2), job.closed ? "Closed" : "Open",
           calendar_.Date(job.start_day), stamp.date, stamp.Time()}));
      stamp = RandomStamp(rng, calendar_, job.start_day, job.end_day);
      ERPSYNC_RETURN_IF_ERROR(
          jobs.Row({job.id, job.description, status, customer,
                    kContractTypes[rng.Index(kContractTypes.size())], Money(original),
                    Money(original + approved), PersonName(rng), calendar_.Date(job.start_day),
                    calendar_.Date(planned_end_[j]), StreetAddress(rng), city.name, city.state,
                    ZipCode(rng, city), TaxGroupOf(city), FormatDecimal(retainage, 2), stamp.date,
                    stamp.Time()}));
      job_retainage_.push_back(retainage);
    }
    return Status::Ok();
  }

  static Status WriteJobCostCodes(const SampleJob& job, SampleTableWriter* cost_codes,
                                  SampleTableWriter* categories) {
    std::string last_code;
    std::string last_extra;
    std::string last_group;
    for (const SampleCoding& coding : job.codings) {
      if (coding.cost_code != last_code || coding.extra != last_extra) {
        const std::string group = coding.cost_code.substr(0, 3) + "000";
        if (group != last_group || coding.extra != last_extra) {
          const SampleDivision* division = nullptr;
          for (const SampleDivision& d : SampleDivisions()) {
            if (coding.cost_code.compare(0, 2, d.code) == 0) division = &d;
          }
          ERPSYNC_RETURN_IF_ERROR(cost_codes->Row(
              {job.id, coding.extra, group, division != nullptr ? division->description : "", ""}));
          last_group = group;
        }
        std::string_view unit;
        for (const SampleDivision& d : SampleDivisions()) {
          if (coding.cost_code.compare(0, 2, d.code) != 0) continue;
          for (const SampleCostItem& item : d.items) {
            if (coding.cost_code.compare(3, std::string::npos, item.suffix) == 0) unit = item.unit;
          }
        }
        ERPSYNC_RETURN_IF_ERROR(cost_codes->Row(
            {job.id, coding.extra, coding.cost_code, coding.cost_code_description, unit}));
        last_code = coding.cost_code;
        last_extra = coding.extra;
      }
      std::string_view description;
      for (const SampleCategory& category : SampleCategories()) {
        if (category.code == coding.category) description = category.description;
      }
      ERPSYNC_RETURN_IF_ERROR(
          categories->Row({job.id, coding.extra, coding.cost_code, coding.category, description}));
    }
    return Status::Ok();
  }

  // ---- Commitments ----------------------------------------------------------
  Status WriteCommitments() {
    SampleRandom rng(seed_, kCommitmentStream);
    ERPSYNC_ASSIGN_OR_RETURN(auto commitments,
                             SampleTableWriter::Open(db_, "JCM_MASTER__COMMITMENT"));
    ERPSYNC_ASSIGN_OR_RETURN(auto items,
                             SampleTableWriter::Open(db_, "JCM_MASTER__COMMITMENT_ITEM"));
    ERPSYNC_ASSIGN_OR_RETURN(auto cos, SampleTableWriter::Open(db_, "JCM_MASTER__COMMITMENT_CO"));
    const auto& subcontractors = VendorsOfType("SUB");
    const auto& suppliers = VendorsOfType("SUP");
    for (uint32_t j = 0; j < model_.jobs.size(); ++j) {
      SampleJob& job = model_.jobs[j];
      const int count = static_cast<int>(rng.Between(2, 5));
      for (int c = 1; c <= count; ++c) {
        const bool sub = rng.Percent(70);
        const auto& candidates = sub ? subcontractors : suppliers;
        const uint32_t vendor_index = candidates[rng.Index(candidates.size())];
        const SampleVendor& vendor = model_.vendors[vendor_index];
        SampleCommitment commitment;
        commitment.id = JobDigits(job.id) + "-" + Code("", 2, c);
        commitment.vendor = vendor_index;
        commitment.type = sub ? kSubcontract : kPurchaseOrder;
        commitment.job = j;
        const std::string description = Truncate(
            std::string(SampleTrades()[vendor.trade].name) + (sub ? " subcontract" : " materials"),
            30);
        const int64_t day = std::min(job.start_day + rng.Between(0, 60), job.end_day);
        const int64_t retainage = sub ? 1000 : 0;
        const SampleStamp stamp = RandomStamp(rng, calendar_, day, job.end_day);
        ERPSYNC_RETURN_IF_ERROR(commitments.Row(
            {commitment.id, vendor.id, job.id, commitment.type, description, job.closed ? "Y" : "N",
             calendar_.Date(day), FormatDecimal(retainage, 2), stamp.date, stamp.Time()}));
        const auto commitment_index = static_cast<uint32_t>(model_.commitments.size());
        model_.commitments.push_back(std::move(commitment));
        const SampleCommitment& saved = model_.commitments.back();

        const auto first_item = static_cast<uint32_t>(model_.commitment_items.size());
        const int item_count = static_cast<int>(rng.Between(1, 4));
        for (int i = 1; i <= item_count; ++i) {
          SampleCommitmentItem item;
          item.commitment = commitment_index;
          item.item = Code("", 3, i);
          item.coding =
              job.PickCoding(rng, sub ? SampleRollup::kSubcontract : SampleRollup::kMaterial);
          const SampleCoding& coding = job.codings[item.coding];
          item.description = std::string(coding.cost_code_description);
          if (sub) {
            item.amount = Dollars(rng, 5000, 400000);
          } else {
            item.units = rng.Between(10, 2000) * 10000;
            item.unit_cost = rng.Between(500, 25000) * 100;
            item.amount = ExtendCents(item.units, item.unit_cost);
          }
          ERPSYNC_RETURN_IF_ERROR(items.Row(
              {saved.id, item.item, job.id, coding.extra, coding.cost_code, coding.category,
               item.description, FormatDecimal(item.units, 4), FormatDecimal(item.unit_cost, 4),
               Money(item.amount), FormatDecimal(retainage, 2)}));
          job.commitment_items.push_back(static_cast<uint32_t>(model_.commitment_items.size()));
          model_.commitment_items.push_back(std::move(item));
        }

        // Change orders: the job's first commitment always has one. One line
        // per commitment item per change order.
        const int co_count =
            c == 1 ? static_cast<int>(rng.Between(1, 2)) : static_cast<int>(rng.Between(0, 2));
        for (int k = 1; k <= co_count; ++k) {
          const std::string change_order = Code("", 3, k);
          const std::string_view co_status = rng.Percent(80) ? "Approved" : "Pending";
          const int64_t co_day = rng.Between(day, job.end_day);
          const std::string description_co = std::string(Pick(rng, SampleChangeReasons()));
          for (int i = 0; i < item_count; ++i) {
            if (i > 0 && !rng.Percent(40)) continue;
            SampleCommitmentCo co;
            co.item = first_item + static_cast<uint32_t>(i);
            co.change_order = change_order;
            co.description = description_co;
            co.amount = Dollars(rng, -10000, 50000);
            if (co.amount == 0) co.amount = 50000;
            ERPSYNC_RETURN_IF_ERROR(
                cos.Row({saved.id, change_order, model_.commitment_items[co.item].item,
                         co.description, Money(co.amount), co_status, calendar_.Date(co_day)}));
            job.commitment_cos.push_back(static_cast<uint32_t>(model_.commitment_cos.size()));
            model_.commitment_cos.push_back(std::move(co));
          }
        }
      }
    }
    return Status::Ok();
  }

  // ---- AP invoices and payments ---------------------------------------------
  Status WriteApDocuments() {
    SampleRandom rng(seed_, kApStream);
    ERPSYNC_ASSIGN_OR_RETURN(auto invoices, SampleTableWriter::Open(db_, "APM_MASTER__INVOICE"));
    ERPSYNC_ASSIGN_OR_RETURN(auto distributions,
                             SampleTableWriter::Open(db_, "APM_MASTER__DISTRIBUTION"));
    ERPSYNC_ASSIGN_OR_RETURN(auto payments, SampleTableWriter::Open(db_, "APM_MASTER__PAYMENT"));
    ERPSYNC_ASSIGN_OR_RETURN(auto invoice_payments,
                             SampleTableWriter::Open(db_, "APM_MASTER__INVOICE_PAYMENT"));
    ERPSYNC_ASSIGN_OR_RETURN(auto distribution_payments,
                             SampleTableWriter::Open(db_, "APM_MASTER__DISTRIBUTION_PAYMENT"));
    static constexpr std::array<std::string_view, 4> kOtherTypes = {"SUP", "EQP", "PRO", "SVC"};
    int64_t invoice_number = 0;
    int64_t payment_number = 0;

    // Writes one invoice with its distributions and, when paid, payment.
    const auto write_invoice = [&](SampleJob& job, const SampleVendor& vendor,
                                   int32_t commitment) -> Status {
      SampleApInvoice invoice;
      invoice.vendor = vendor.id;
      ++invoice_number;
      invoice.invoice = rng.Percent(50) ? std::to_string(10000 + invoice_number * 3)
                                        : Code("INV-", 6, invoice_number);
      invoice.commitment = commitment;
      const SampleTrade& trade = SampleTrades()[vendor.trade];
      invoice.description =
          Truncate(std::string(trade.name) + (commitment >= 0 ? " progress bill" : " invoice"), 30);
      const int64_t day = rng.Between(job.start_day, job.end_day);
      const int64_t retainage_percent =
          commitment >= 0 &&
                  model_.commitments[static_cast<size_t>(commitment)].type == kSubcontract
              ? 1000
              : 0;
      SampleRollup rollup = SampleRollup::kOther;
      if (trade.vendor_type == "SUP") rollup = SampleRollup::kMaterial;
      if (trade.vendor_type == "EQP") rollup = SampleRollup::kEquipment;

      struct Line {
        std::string distribution;
        int64_t amount;
        int64_t retainage;
      };
      std::vector<Line> lines;
      int64_t total = 0;
      int64_t total_retainage = 0;
      const int line_count = static_cast<int>(rng.Between(1, 3));
      for (int l = 1; l <= line_count; ++l) {
        uint32_t coding = 0;
        SqliteBind commitment_item;
        std::string item_text;
        if (commitment >= 0) {
          // A line per billed commitment item.
          std::vector<uint32_t> candidates;
          for (uint32_t index : job.commitment_items) {
            if (model_.commitment_items[index].commitment == static_cast<uint32_t>(commitment)) {
              candidates.push_back(index);
            }
          }
          const SampleCommitmentItem& item =
              model_.commitment_items[candidates[rng.Index(candidates.size())]];
          coding = item.coding;
          item_text = item.item;
          commitment_item = SqliteBind(item_text);
        } else {
          coding = job.PickCoding(rng, rollup);
        }
        const SampleCoding& line_coding = job.codings[coding];
        Line line{Code("", 3, l), DollarsAndCents(rng, 100, commitment >= 0 ? 60000 : 15000), 0};
        line.retainage = PercentOf(line.amount, retainage_percent);
        total += line.amount;
        total_retainage += line.retainage;
        ERPSYNC_RETURN_IF_ERROR(distributions.Row(
            {invoice.vendor, invoice.invoice, line.distribution, job.id, line_coding.extra,
             line_coding.cost_code, line_coding.category, commitment_item,
             Account(job.gl_prefix, DebitBase(line_coding.rollup)),
             line_coding.cost_code_description, Money(line.amount), Money(line.retainage)}));
        invoice.codings.push_back(coding);
        lines.push_back(std::move(line));
      }

      // Invoices older than 45 days are paid.
      const bool paid = day + 45 <= calendar_.last_day();
      const int64_t check_day = std::min(day + rng.Between(15, 40), calendar_.last_day());
      if (paid) {
        invoice.payment_id = std::to_string(100000 + ++payment_number);
        const SampleStamp stamp = RandomStamp(rng, calendar_, check_day, check_day + 2);
        ERPSYNC_RETURN_IF_ERROR(
            payments.Row({invoice.payment_id, invoice.vendor,
                          std::to_string(20000 + payment_number), calendar_.Date(check_day),
                          Account(job.gl_prefix, "1010"), Money(total - total_retainage), "N",
                          "Inv " + invoice.invoice, stamp.date, stamp.Time()}));
        ERPSYNC_RETURN_IF_ERROR(
            invoice_payments.Row({invoice.vendor, invoice.invoice, invoice.payment_id,
                                  Money(total - total_retainage), "0.00"}));
        for (const Line& line : lines) {
          ERPSYNC_RETURN_IF_ERROR(
              distribution_payments.Row({invoice.vendor, invoice.invoice, line.distribution,
                                         invoice.payment_id, Money(line.amount - line.retainage)}));
        }
      }
      const SampleStamp stamp = paid ? RandomStamp(rng, calendar_, check_day, check_day + 2)
                                     : RandomStamp(rng, calendar_, day, day + 3);
      ERPSYNC_RETURN_IF_ERROR(invoices.Row(
          {invoice.vendor, invoice.invoice, calendar_.Date(day), calendar_.Date(day + 30),
           calendar_.Date(calendar_.MonthEnd(day)), invoice.description, job.id,
           commitment >= 0 ? SqliteBind(model_.commitments[static_cast<size_t>(commitment)].id)
                           : SqliteBind(),
           Money(total), Money(total_retainage), Money(paid ? total - total_retainage : 0),
           paid ? "Paid" : "Open", stamp.date, stamp.Time()}));
      job.ap_invoices.push_back(static_cast<uint32_t>(model_.ap_invoices.size()));
      model_.ap_invoices.push_back(std::move(invoice));
      return Status::Ok();
    };

    for (uint32_t c = 0; c < model_.commitments.size(); ++c) {
      const SampleCommitment& commitment = model_.commitments[c];
      SampleJob& job = model_.jobs[commitment.job];
      const SampleVendor& vendor = model_.vendors[commitment.vendor];
      const int count = static_cast<int>(rng.Between(1, 5));
      for (int i = 0; i < count; ++i) {
        ERPSYNC_RETURN_IF_ERROR(write_invoice(job, vendor, static_cast<int32_t>(c)));
      }
    }
    for (SampleJob& job : model_.jobs) {
      const int count = static_cast<int>(rng.Between(2, 8));
      for (int i = 0; i < count; ++i) {
        const auto& candidates = VendorsOfType(kOtherTypes[rng.Index(kOtherTypes.size())]);
        ERPSYNC_RETURN_IF_ERROR(
            write_invoice(job, model_.vendors[candidates[rng.Index(candidates.size())]], -1));
      }
    }
    return Status::Ok();
  }

  // ---- AR invoices ----------------------------------------------------------
  Status WriteArDocuments() {
    SampleRandom rng(seed_, kArStream);
    ERPSYNC_ASSIGN_OR_RETURN(auto invoices, SampleTableWriter::Open(db_, "ARM_MASTER__INVOICE"));
    ERPSYNC_ASSIGN_OR_RETURN(auto distributions,
                             SampleTableWriter::Open(db_, "ARM_MASTER__DISTRIBUTION"));
    int64_t invoice_number = 0;
    for (size_t j = 0; j < model_.jobs.size(); ++j) {
      const SampleJob& job = model_.jobs[j];
      const std::string& customer = customers_[job.customer].id;
      int64_t contract_total = 0;
      for (const SampleContractItem& item : job.contract_items) {
        contract_total += item.scheduled_value;
      }
      const int64_t bills = std::clamp<int64_t>((job.end_day - job.start_day) / 30, 1, 36);
      for (int64_t b = 1; b <= bills; ++b) {
        const int64_t day = std::min(job.start_day + b * 30, job.end_day);
        const std::string invoice = Code("", 6, ++invoice_number);
        const int64_t amount =
            std::max<int64_t>(10000, contract_total / bills * rng.Between(80, 120) / 100);
        const int64_t retainage = PercentOf(amount, job_retainage_[j]);
        const bool paid = day + 60 <= calendar_.last_day();
        const SampleStamp stamp = paid ? RandomStamp(rng, calendar_, day + 30, day + 60)
                                       : RandomStamp(rng, calendar_, day, day + 3);
        ERPSYNC_RETURN_IF_ERROR(invoices.Row(
            {customer, invoice, job.id, job.id, calendar_.Date(day), calendar_.Date(day + 30),
             calendar_.Date(calendar_.MonthEnd(day)), Code("Progress billing #", 0, b),
             Money(amount), Money(retainage), Money(paid ? amount - retainage : 0),
             paid ? "Paid" : "Open", stamp.date, stamp.Time()}));
        const int line_count =
            static_cast<int>(std::min<int64_t>(rng.Between(1, 3), std::ssize(job.contract_items)));
        int64_t remaining = amount;
        for (int l = 1; l <= line_count; ++l) {
          const SampleContractItem& item = job.contract_items[rng.Index(job.contract_items.size())];
          const int64_t line = l == line_count ? remaining : remaining * rng.Between(20, 60) / 100;
          remaining -= line;
          ERPSYNC_RETURN_IF_ERROR(
              distributions.Row({customer, invoice, Code("", 3, l), job.id, item.item,
                                 job.codings[item.coding].cost_code, Account(job.gl_prefix, "4000"),
                                 item.description, Money(line)}));
        }
      }
    }
    return Status::Ok();
  }

  Status WriteQuickBills() {
    SampleRandom rng(seed_, kQuickBillStream);
    ERPSYNC_ASSIGN_OR_RETURN(auto contracts,
                             SampleTableWriter::Open(db_, "CNM_MASTER__QUICK_BILL_CONTRACT"));
    ERPSYNC_ASSIGN_OR_RETURN(auto items,
                             SampleTableWriter::Open(db_, "CNM_MASTER__QUICK_BILL_CONTRACT_ITEM"));
    static constexpr std::array<std::string_view, 5> kLines = {
        "Lump sum billing", "Extra work", "Time and material", "Service call", "Punch list work"};
    for (size_t j = 0; j < model_.jobs.size(); ++j) {
      const SampleJob& job = model_.jobs[j];
      // A quarter of the jobs, and always the first one.
      if (j > 0 && !rng.Percent(25)) continue;
      const std::string contract = "QB" + JobDigits(job.id);
      int64_t total = 0;
      const int count = static_cast<int>(rng.Between(1, 4));
      for (int i = 1; i <= count; ++i) {
        const int64_t amount = DollarsAndCents(rng, 500, 25000);
        total += amount;
        ERPSYNC_RETURN_IF_ERROR(
            items.Row({contract, Code("", 3, i), kLines[rng.Index(kLines.size())],
                       job.codings[rng.Index(job.codings.size())].cost_code,
                       Account(job.gl_prefix, "4100"), Money(amount)}));
      }
      const int64_t day = rng.Between(job.start_day, job.end_day);
      const SampleStamp stamp = RandomStamp(rng, calendar_, day, job.end_day);
      ERPSYNC_RETURN_IF_ERROR(contracts.Row({contract, job.id, customers_[job.customer].id,
                                             Truncate("T&M " + job.description, 30), Money(total),
                                             job.closed ? "Closed" : "Open", calendar_.Date(day),
                                             stamp.date, stamp.Time()}));
    }
    return Status::Ok();
  }

  // Employees and equipment exist only as ids in transactions (no PR or EQ
  // tables in the catalog).
  void BuildResources(int jobs) {
    SampleRandom rng(seed_, kResourceStream);
    const int employees = 25 + jobs;
    for (int i = 0; i < employees; ++i) {
      model_.employees.push_back(
          {std::to_string(1000 + i), PersonName(rng), rng.Between(100, 300) * 2500});
    }
    const int equipment = 10 + jobs / 2;
    for (int i = 0; i < equipment; ++i) {
      model_.equipment.push_back({Code("EQ-", 3, 100 + i),
                                  std::string(Pick(rng, SampleEquipmentNames())),
                                  rng.Between(45, 180) * 10000});
    }
  }

  sqlite3* db_;
  uint64_t seed_;
  SampleModel& model_;
  const SampleCalendar& calendar_;
  std::vector<Customer> customers_;
  std::vector<std::pair<std::string_view, std::vector<uint32_t>>> vendors_by_type_;
  std::vector<int64_t> planned_end_;    // per job, after BuildJobs
  std::vector<int64_t> job_retainage_;  // per job, percent with 2 decimals
};

}  // namespace

Status WriteSampleMasters(sqlite3* db, uint64_t seed, int jobs, SampleModel* model) {
  return MasterWriter(db, seed, model).Write(jobs);
}

}  // namespace erpsync::agent
