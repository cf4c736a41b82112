// BenchOptions: the command line of erpsync-bench (see kUsage in
// bench_options.cc and the README's "Benchmarks" section). Plain data and a
// parser; not thread-safe (runs in main).
#ifndef ERPSYNC_BENCH_BENCH_OPTIONS_H_
#define ERPSYNC_BENCH_BENCH_OPTIONS_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "bench/toolbox.h"

namespace erpsync::bench {

// Every scenario id, in the order they run: the SQLite store's, then the
// PostgreSQL store's (bench_runner.h).
inline const std::vector<std::string> kScenarioOrder = {
    "baseline",       "deep",       "incremental",  "changed", "csv",
    "deep2x",         "concurrent", "pg-deep",      "pg-copy", "pg-pgloader",
    "pg-incremental", "pg-deep2x",  "pg-concurrent"};

struct BenchOptions {
  int64_t transactions = 1'000'000;
  int jobs = 200;
  uint64_t seed = 1;
  // Empty: a fresh directory under $TMPDIR.
  std::string work_dir;
  bool keep = false;
  // Ids from kScenarioOrder, in that order.
  std::vector<std::string> scenarios = kScenarioOrder;
  // The concurrent scenario: this many agents of as many companies.
  int agents = 20;
  int64_t agent_transactions = 50'000;
  int agent_jobs = 20;
  // The "changed" scenario changes this percentage of the transactions.
  double changed_percent = 1.0;
  // The sqlite3 copies, the deep sync and the concurrent scenario's single
  // agent run this many times each; their rows show the median run.
  int repeat = 1;
  int timeout_seconds = 7200;
  bool json = false;
  bool verbose = false;
  // Overrides of the programs and the catalog (empty: the defaults).
  Toolbox tools;
};

// Parses the arguments after the program name. Returns nullopt with
// *exit_code 0 after printing the usage for --help, or 64 after printing a
// usage error (unknown scenario, bad number).
std::optional<BenchOptions> ParseBenchOptions(const std::vector<std::string>& args, int* exit_code);

bool Selected(const BenchOptions& options, const std::string& scenario);

// What the selected scenarios need beyond sqlite3 and gzip.
ToolNeeds NeedsOf(const BenchOptions& options);

}  // namespace erpsync::bench

#endif  // ERPSYNC_BENCH_BENCH_OPTIONS_H_
