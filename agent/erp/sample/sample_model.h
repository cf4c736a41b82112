// SampleModel: what the sample company generator keeps in memory after
// writing the master tables, so that the JC transactions it writes next
// reference existing jobs, extras, cost codes, categories, vendors,
// commitments, invoices and change orders. Also the calendar of the
// company's history and the text formats shared by the generators.
// Internal to agent/erp/sample; not thread-safe.
#ifndef ERPSYNC_AGENT_ERP_SAMPLE_SAMPLE_MODEL_H_
#define ERPSYNC_AGENT_ERP_SAMPLE_SAMPLE_MODEL_H_

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "agent/erp/sample/sample_random.h"
#include "agent/erp/sample/sample_vocabulary.h"
#include "agent/erp/sqlite_handle.h"
#include "common/decimal.h"
#include "common/status.h"

namespace erpsync::agent {

// Dates of the company's history, [first_day, last_day] in days since
// 1970-01-01, with their YYYY-MM-DD text computed once.
class SampleCalendar {
 public:
  // Days before first_day and after last_day that Date() still covers (due
  // dates, planned completions).
  static constexpr int64_t kMargin = 1200;

  SampleCalendar(int64_t first_day, int64_t last_day);

  int64_t first_day() const { return first_day_; }
  int64_t last_day() const { return last_day_; }
  int64_t days() const { return last_day_ - first_day_ + 1; }

  // YYYY-MM-DD; `day` is clamped to the covered range.
  std::string_view Date(int64_t day) const;
  // Last day of the month of `day` (Sage's accounting period end).
  int64_t MonthEnd(int64_t day) const;

 private:
  int64_t first_day_;
  int64_t last_day_;
  std::vector<std::array<char, 10>> text_;
  std::vector<int32_t> month_end_offset_;
};

// Inserts whole rows into one table through a prepared statement.
class SampleTableWriter {
 public:
  // INTERNAL (or UNAVAILABLE) when the statement cannot be prepared.
  static Result<SampleTableWriter> Open(sqlite3* db, std::string_view table);

  // One row, values in column order.
  Status Row(std::initializer_list<SqliteBind> values) {
    return ExecPrepared(stmt_.get(), values, doing_);
  }
  Status Row(std::span<const SqliteBind> values) {
    return ExecPrepared(stmt_.get(), values, doing_);
  }

 private:
  SampleTableWriter(SqliteStmt stmt, std::string doing)
      : stmt_(std::move(stmt)), doing_(std::move(doing)) {}

  SqliteStmt stmt_;
  std::string doing_;
};

// A Date_Stamp/Time_Stamp pair.
struct SampleStamp {
  std::string_view date;
  std::array<char, 8> time{};
  std::string_view Time() const { return {time.data(), time.size()}; }
};

// A stamp on a random day in [from_day, to_day] (clamped to the history) at
// a random working-hours time.
SampleStamp RandomStamp(SampleRandom& rng, const SampleCalendar& calendar, int64_t from_day,
                        int64_t to_day);

// HH:MM:SS for `seconds` since midnight, into `out` (8 characters).
void FormatClock(int seconds, char* out);

// A random working-hours time of day (07:00:00 to 18:59:59), in seconds.
int RandomWorkSeconds(SampleRandom& rng);

// "1234.50" for 123450 cents.
inline std::string Money(int64_t cents) { return FormatDecimal(cents, 2); }

// Cents of units x unit_cost (both with 4 decimals), rounded half away from
// zero.
int64_t ExtendCents(int64_t units4, int64_t unit_cost4);

// Cents of `cents` x percent (2 decimals, 1000 = 10.00%), rounded.
int64_t PercentOf(int64_t cents, int64_t percent2);

// `text` cut to at most `limit` characters (Sage's field widths).
std::string Truncate(std::string text, size_t limit);

// "<prefix><zero-padded number>", e.g. Code("V", 5, 120) = "V00120".
std::string Code(std::string_view prefix, int width, int64_t number);

// A detail cost code/category of a job: one JCM_MASTER__CATEGORY row.
struct SampleCoding {
  std::string extra;  // '' when the job has no extras
  std::string cost_code;
  std::string category;
  SampleRollup rollup = SampleRollup::kOther;
  std::string_view cost_code_description;
};

struct SampleContractItem {
  std::string item;
  uint32_t coding = 0;  // index into the job's codings
  std::string description;
  int64_t scheduled_value = 0;
};

struct SampleJob {
  std::string id;
  std::string description;
  int64_t start_day = 0;
  // Last day with activity (completion, or the end of history).
  int64_t end_day = 0;
  bool closed = false;
  size_t customer = 0;
  size_t city = 0;
  size_t gl_prefix = 0;
  std::vector<std::string> extras;
  std::vector<SampleCoding> codings;
  std::array<std::vector<uint32_t>, kSampleRollupCount> codings_by_rollup;
  std::vector<SampleContractItem> contract_items;
  std::vector<std::string> change_orders;  // CN change orders of the job's contract
  std::vector<uint32_t> commitment_items;  // indexes into SampleModel::commitment_items
  std::vector<uint32_t> commitment_cos;    // indexes into SampleModel::commitment_cos
  std::vector<uint32_t> ap_invoices;       // indexes into SampleModel::ap_invoices

  // A coding with `rollup`, or any coding when the job has none.
  uint32_t PickCoding(SampleRandom& rng, SampleRollup rollup) const;
};

struct SampleVendor {
  std::string id;
  std::string name;
  size_t trade = 0;
};

struct SampleCommitment {
  std::string id;
  uint32_t vendor = 0;    // index into SampleModel::vendors
  std::string_view type;  // "Subcontract" or "Purchase order"
  uint32_t job = 0;
};

struct SampleCommitmentItem {
  uint32_t commitment = 0;
  std::string item;
  uint32_t coding = 0;
  std::string description;
  int64_t units = 0;      // 4 decimals
  int64_t unit_cost = 0;  // 4 decimals
  int64_t amount = 0;     // cents
};

struct SampleCommitmentCo {
  uint32_t item = 0;  // index into SampleModel::commitment_items
  std::string change_order;
  std::string description;
  int64_t amount = 0;
};

struct SampleApInvoice {
  std::string vendor;
  std::string invoice;
  std::string description;
  int32_t commitment = -1;        // index into SampleModel::commitments, or -1
  std::string payment_id;         // empty while unpaid
  std::vector<uint32_t> codings;  // the job codings of its distributions
};

struct SampleResource {
  std::string id;
  std::string name;
  int64_t rate = 0;  // hourly, 4 decimals
};

struct SampleModel {
  explicit SampleModel(SampleCalendar calendar_in) : calendar(std::move(calendar_in)) {}

  SampleCalendar calendar;
  std::vector<SampleJob> jobs;
  std::vector<SampleVendor> vendors;
  std::vector<SampleCommitment> commitments;
  std::vector<SampleCommitmentItem> commitment_items;
  std::vector<SampleCommitmentCo> commitment_cos;
  std::vector<SampleApInvoice> ap_invoices;
  std::vector<SampleResource> employees;
  std::vector<SampleResource> equipment;
};

}  // namespace erpsync::agent

#endif  // ERPSYNC_AGENT_ERP_SAMPLE_SAMPLE_MODEL_H_
