// BenchRunner: runs the selected scenarios of issue #7 in order, in a work
// directory (data/ for the sample companies, run/ for stores, agent state
// and logs), and turns their measurements into table rows with the
// targets' checks:
//   baseline     sqlite3 copies (the transaction table with the CLI's
//                defaults = the baseline; the same in WAL mode; the same
//                row by row, without SQLite's transfer optimization; every
//                table the default mappings read)
//   deep         deep sync from the beginning of time (default mappings)
//   incremental  incremental sync, nothing changed
//   changed      incremental sync after changing 1% of the transactions
//   csv          the deep sync's rows as CSV, gzip -6
//   deep2x       deep sync of a company with twice the transactions
//   concurrent   N agents of N companies at once into one server, and one
//                agent alone for reference
// Not thread-safe.
#ifndef ERPSYNC_BENCH_BENCH_RUNNER_H_
#define ERPSYNC_BENCH_BENCH_RUNNER_H_

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "bench/bench_options.h"
#include "bench/command_runner.h"
#include "bench/mapped_tables.h"
#include "bench/scenario_result.h"
#include "bench/server_under_test.h"
#include "bench/sync_measurement.h"
#include "bench/toolbox.h"
#include "common/status.h"

namespace erpsync::bench {

class BenchRunner {
 public:
  // `work_dir` must exist; `runner` must outlive this object.
  BenchRunner(BenchOptions options, Toolbox tools, CommandRunner* runner, std::string work_dir)
      : options_(std::move(options)),
        tools_(std::move(tools)),
        runner_(runner),
        work_dir_(std::move(work_dir)) {}

  // Runs every selected scenario, appending its rows to *results as it
  // completes. Stops at the first scenario that fails and returns its
  // status (prefixed with the scenario's id).
  Status Run(std::vector<ScenarioResult>* results);

 private:
  Status RunBaselines(std::vector<ScenarioResult>* results);
  Status RunDeep(std::vector<ScenarioResult>* results);
  Status RunIncremental(std::vector<ScenarioResult>* results);
  Status RunChanged(std::vector<ScenarioResult>* results);
  Status RunCsv(std::vector<ScenarioResult>* results);
  Status RunDeepDouble(std::vector<ScenarioResult>* results);
  Status RunConcurrent(std::vector<ScenarioResult>* results);

  // Runs `measure` options_.repeat times; the median run (MedianRun). The
  // first error.
  Result<ScenarioResult> Repeated(const std::function<Result<ScenarioResult>()>& measure);
  // A fresh directory run/`name` (removed first when present).
  Result<std::string> ScenarioDir(const std::string& name);
  // The main company (made once), pristine.
  Result<std::string> MainCompany();
  // A server data dir with one company whose agent reads `erp_path`.
  Result<AgentSetup> SetUpOneAgent(const std::string& dir, const std::string& name,
                                   const std::string& erp_path, ServerUnderTest* server);

  BenchOptions options_;
  Toolbox tools_;
  CommandRunner* runner_;
  std::string work_dir_;
  std::vector<MappedTable> tables_;
  std::string main_company_;
  // The deep sync's server and agent, which the incremental scenarios reuse.
  std::unique_ptr<ServerUnderTest> server_;
  AgentSetup agent_;
  std::optional<ScenarioResult> baseline_;
  std::optional<ScenarioResult> baseline_wal_;
  std::optional<ScenarioResult> baseline_rows_;
  std::optional<ScenarioResult> baseline_all_;
  std::optional<ScenarioResult> deep_;
};

// "1M", "2M", "50k", "1,500": a row count for scenario names.
std::string ShortCount(int64_t count);

}  // namespace erpsync::bench

#endif  // ERPSYNC_BENCH_BENCH_RUNNER_H_
