// The benchmark's output: the fixed-width table (one row per scenario, one
// line per check under it, then a summary of the targets) and the same
// figures as JSON. Pure functions; thread-safe.
#ifndef ERPSYNC_BENCH_REPORT_H_
#define ERPSYNC_BENCH_REPORT_H_

#include <cstdint>
#include <string>
#include <vector>

#include "bench/scenario_result.h"

namespace erpsync::bench {

// What the run was: shown above the table and in the JSON.
struct RunInfo {
  std::string date;      // UTC, "2026-11-23 07:10"
  std::string revision;  // git describe of the source tree
  unsigned cores = 0;
  int64_t transactions = 0;
  int jobs = 0;
  uint64_t seed = 0;
  // The benchmark's own peak RSS at the end: every child's peak RSS is
  // reported as at least this (proc::SpawnRssFloorKib).
  double spawn_rss_floor_mib = 0;
};

std::string FormatTable(const RunInfo& info, const std::vector<ScenarioResult>& results);
std::string FormatJson(const RunInfo& info, const std::vector<ScenarioResult>& results);

}  // namespace erpsync::bench

#endif  // ERPSYNC_BENCH_REPORT_H_
