// The sample Sage 300 CRE company: a deterministic SQLite file shaped like
// Sage's ODBC view (tables and columns of sample_schema.h) with ten years of
// plausible, referentially consistent history, on which erpsync is demoed,
// tested and benchmarked. The file is in WAL mode so that other processes
// (MutateSampleCompany, accountants at work) write while the agent reads.
// CreateSampleCompany is thread-safe for distinct paths.
#ifndef ERPSYNC_AGENT_ERP_SAMPLE_SAMPLE_COMPANY_H_
#define ERPSYNC_AGENT_ERP_SAMPLE_SAMPLE_COMPANY_H_

#include <cstdint>
#include <string>
#include <vector>

#include "common/status.h"

namespace erpsync::agent {

struct SampleCompanyOptions {
  // JC jobs, 1 to kMaxSampleJobs. Other tables scale with it: about 40
  // cost codes per job, max(50, 5 x jobs) vendors, max(20, jobs) customers,
  // 2 to 5 commitments per job, one contract per job, ...
  int jobs = 20;
  // JC transactions (rows of JCT_CURRENT__TRANSACTION), 0 to
  // kMaxSampleTransactions; with 11 or more every transaction type occurs.
  int64_t transactions = 10000;
  uint64_t seed = 1;
  // YYYY-MM-DD: the history covers the ten years that end on this day. The
  // fixed default makes the content fully deterministic.
  std::string as_of = "2025-12-31";
};

inline constexpr int kMaxSampleJobs = 5000;
inline constexpr int64_t kMaxSampleTransactions = 100'000'000;

struct SampleTableCount {
  std::string table;
  int64_t rows = 0;
};

struct SampleCompanySummary {
  // Every table of the company, in creation order.
  std::vector<SampleTableCount> tables;
  // Wall-clock time of the creation.
  double seconds = 0;
};

// Writes a new sample company at `path`: the same options give the same
// content. Builds into `path + ".partial"` (replacing a stale one) and
// renames it into place only when complete, so a failure or a kill never
// leaves a half-written company at `path`.
// ALREADY_EXISTS when `path` exists; INVALID_ARGUMENT for options out of
// range or an as_of that is not a date; NOT_FOUND when the directory of
// `path` does not exist; INTERNAL for I/O and SQLite errors.
Result<SampleCompanySummary> CreateSampleCompany(const std::string& path,
                                                 const SampleCompanyOptions& options);

}  // namespace erpsync::agent

#endif  // ERPSYNC_AGENT_ERP_SAMPLE_SAMPLE_COMPANY_H_
