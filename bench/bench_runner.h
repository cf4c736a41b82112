// BenchRunner: runs the selected scenarios of issue #7 (the SQLite store)
// and issue #17 (the PostgreSQL store) in order, in a work directory
// (data/ for the sample companies, run/ for stores, agent state and logs),
// and turns their measurements into table rows with the targets' checks:
//   baseline        sqlite3 copies (the transaction table with the CLI's
//                   defaults = the baseline; the same in WAL mode; the same
//                   row by row, without SQLite's transfer optimization;
//                   every table the default mappings read)
//   deep            deep sync from the beginning of time (default mappings)
//   incremental     incremental sync, nothing changed
//   changed         incremental sync after changing 1% of the transactions
//   csv             the deep sync's rows as CSV, gzip -6
//   deep2x          deep sync of a company with twice the transactions
//   concurrent      N agents of N companies at once into one server, and
//                   one agent alone for reference
// and on a PostgreSQL 15 cluster of the benchmark's own (BenchPostgres,
// started for the first pg-* scenario, stopped at the end), each store a
// fresh database:
//   pg-deep         deep as above, the server's store on PostgreSQL
//   pg-copy         the reference of pg-deep: the rows pg-deep stored,
//                   dumped (untimed) and loaded by one psql `\copy ... FROM
//                   ... (FORMAT binary)` in one transaction into erpsync's
//                   own records table in a fresh database
//   pg-pgloader     the reference pgloader: the ERP's transaction table
//                   from the company file into a fresh database; for
//                   information also every table the default mappings read
//   pg-incremental  incremental as above, after pg-deep
//   pg-deep2x       deep2x into PostgreSQL
//   pg-concurrent   concurrent into one PostgreSQL-backed server
// Not thread-safe.
#ifndef ERPSYNC_BENCH_BENCH_RUNNER_H_
#define ERPSYNC_BENCH_BENCH_RUNNER_H_

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "bench/bench_options.h"
#include "bench/bench_postgres.h"
#include "bench/command_runner.h"
#include "bench/mapped_tables.h"
#include "bench/scenario_result.h"
#include "bench/server_under_test.h"
#include "bench/sync_measurement.h"
#include "bench/toolbox.h"
#include "common/status.h"

namespace erpsync::bench {

// Where a scenario's server keeps its store.
enum class Store { kSqlite, kPostgres };

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
  // status (prefixed with the scenario's id). The PostgreSQL cluster, when
  // one was started, is stopped and removed before it returns, whatever
  // happened.
  Status Run(std::vector<ScenarioResult>* results);

 private:
  // The deep sync of one store, whose server and agent that store's
  // incremental scenarios reuse.
  struct DeepSync {
    std::unique_ptr<ServerUnderTest> server;
    AgentSetup agent;
    std::optional<ScenarioResult> row;
    // Where `row` is in the results (later references add checks to it).
    size_t index = 0;
  };

  Status RunScenario(const std::string& scenario, std::vector<ScenarioResult>* results);
  Status RunBaselines(std::vector<ScenarioResult>* results);
  Status RunDeep(Store store, std::vector<ScenarioResult>* results);
  Status RunAgentReadOnly(std::vector<ScenarioResult>* results);
  Status RunIncremental(Store store, std::vector<ScenarioResult>* results);
  Status RunChanged(std::vector<ScenarioResult>* results);
  Status RunCsv(std::vector<ScenarioResult>* results);
  Status RunDeepDouble(Store store, std::vector<ScenarioResult>* results);
  Status RunConcurrent(Store store, std::vector<ScenarioResult>* results);
  Status RunPgCopy(std::vector<ScenarioResult>* results);
  Status RunPgloaderCopies(std::vector<ScenarioResult>* results);

  // Runs `measure` options_.repeat times; the median run (MedianRun). The
  // first error.
  Result<ScenarioResult> Repeated(const std::function<Result<ScenarioResult>()>& measure);
  // A fresh directory run/`name` (removed first when present).
  Result<std::string> ScenarioDir(const std::string& name);
  // The main company (made once), pristine.
  Result<std::string> MainCompany();
  // The transaction table of the default mappings (jc_transaction's).
  Result<std::string> TransactionTable() const;
  // The cluster, started on first use.
  Result<BenchPostgres*> Postgres();
  // A server named `name` with its data directory `dir`/server and a fresh
  // store: SQLite in that directory, or a fresh database `name` (dashes as
  // underscores) of the cluster with erpsync's schema (`store migrate`).
  Result<std::unique_ptr<ServerUnderTest>> NewServer(Store store, const std::string& dir,
                                                     const std::string& name);
  // A server data dir with one company whose agent reads `erp_path`.
  Result<AgentSetup> SetUpOneAgent(const std::string& dir, const std::string& name,
                                   const std::string& erp_path, ServerUnderTest* server);
  // MeasureSync as a table row `id`/`name` (SyncRow); on PostgreSQL with
  // the cluster's CPU time (WithPostgresCpu). *measured, when given, gets
  // the measurement.
  Result<ScenarioResult> MeasureRow(Store store, const std::string& id, const std::string& name,
                                    ServerUnderTest& server, const std::vector<AgentSetup>& agents,
                                    SyncKind kind, SyncMeasurement* measured = nullptr);
  // `measure`, with the cluster's CPU time over it as a figure
  // (postgres_cpu_seconds) and a line of the row.
  Result<ScenarioResult> WithPostgresCpu(const std::function<Result<ScenarioResult>()>& measure);

  DeepSync& DeepOf(Store store) { return store == Store::kSqlite ? deep_ : pg_deep_; }

  BenchOptions options_;
  Toolbox tools_;
  CommandRunner* runner_;
  std::string work_dir_;
  // Declared before the servers that use it, so that it goes after them.
  std::unique_ptr<BenchPostgres> postgres_;
  std::vector<MappedTable> tables_;
  std::string main_company_;
  DeepSync deep_;
  DeepSync pg_deep_;
  std::optional<ScenarioResult> baseline_;
  std::optional<ScenarioResult> baseline_wal_;
  std::optional<ScenarioResult> baseline_rows_;
  std::optional<ScenarioResult> baseline_all_;
};

// "1M", "2M", "50k", "1,500": a row count for scenario names.
std::string ShortCount(int64_t count);

}  // namespace erpsync::bench

#endif  // ERPSYNC_BENCH_BENCH_RUNNER_H_
