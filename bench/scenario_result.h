// ScenarioResult: one row of the benchmark's table: what a scenario
// measured (wall time, records, bytes on the wire, peak RSS and CPU time of
// the client process -- the agent, or sqlite3/gzip -- and of the server) and
// the checks of issue #7's targets that apply to it, each with its value,
// its target and whether it passed. Plain data; thread-safe to read.
#ifndef ERPSYNC_BENCH_SCENARIO_RESULT_H_
#define ERPSYNC_BENCH_SCENARIO_RESULT_H_

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "tools/proc/subprocess.h"

namespace erpsync::bench {

struct Check {
  // What is compared: "wall vs sqlite3 copy".
  std::string what;
  double value = 0;
  // The value as shown: "1.23x", "41.0 MiB".
  std::string shown;
  // "<= 1.5x"; empty for a figure shown for information.
  std::string target;
  // Unset for information.
  std::optional<bool> pass;
};

// A ratio `value` that must be at most (or, `at_least`, at least) `limit`.
Check RatioCheck(std::string what, double value, double limit, bool at_least = false);
// A peak RSS in MiB that must be at most `limit_mib`.
Check MibCheck(std::string what, double value_mib, double limit_mib);
// A count that must be exactly `expected`.
Check CountCheck(std::string what, uint64_t value, uint64_t expected);
// A ratio shown for information.
Check RatioInfo(std::string what, double value);
// A count shown for information.
Check CountInfo(std::string what, uint64_t value);
// A duration shown for information ("1.23 s").
Check SecondsInfo(std::string what, double seconds);

struct ScenarioResult {
  // Short id used by --scenarios ("deep") and the JSON output.
  std::string id;
  // As shown in the table ("deep sync 1M").
  std::string name;
  double wall_seconds = 0;
  std::optional<uint64_t> records;
  std::optional<uint64_t> bytes_sent;
  std::optional<proc::ProcessUsage> client;
  std::optional<proc::ProcessUsage> server;
  std::vector<Check> checks;
  // Further figures for the JSON output and the notes under the table.
  std::vector<std::pair<std::string, double>> figures;

  std::optional<double> records_per_second() const;
  // Unset when there is no check with a verdict; else whether all passed.
  std::optional<bool> passed() const;
};

// Of several runs of one scenario, the run with the median wall time (the
// lower middle one of an even count), whole, so that its records/s, CPU and
// RSS belong to the wall time shown; with more than one run its figures
// gain runs, wall_min and wall_max. `runs` must not be empty.
ScenarioResult MedianRun(std::vector<ScenarioResult> runs);

}  // namespace erpsync::bench

#endif  // ERPSYNC_BENCH_SCENARIO_RESULT_H_
