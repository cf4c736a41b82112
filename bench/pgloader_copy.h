// The pgloader reference of issue #17: pgloader (Debian's package) copying
// ERP tables from the company's SQLite file into a fresh database of the
// benchmark's PostgreSQL cluster, with a load command file:
//   LOAD DATABASE FROM sqlite://FILE INTO pgsql://postgres@127.0.0.1:PORT/DB
//     WITH include drop, create tables, create indexes, reset sequences
//     INCLUDING ONLY TABLE NAMES LIKE 'T1', 'T2', ...;
// pgloader's own defaults otherwise (its parallel COPY workers, identifiers
// down-cased, the tables' indexes built after the load). What is measured
// is the pgloader process: wall time, peak RSS, CPU time. The rows are
// counted afterwards (untimed) and must be the ERP's. Stateless function;
// not thread-safe (the runner is not).
#ifndef ERPSYNC_BENCH_PGLOADER_COPY_H_
#define ERPSYNC_BENCH_PGLOADER_COPY_H_

#include <string>
#include <vector>

#include "bench/bench_postgres.h"
#include "bench/command_runner.h"
#include "bench/scenario_result.h"
#include "bench/toolbox.h"
#include "common/status.h"

namespace erpsync::bench {

struct PgloaderSpec {
  std::string id;    // the row's id
  std::string name;  // the table row's name
  std::vector<std::string> tables;
  std::string database;  // made fresh
};

// Copies `spec.tables` of `erp_path` into a fresh database
// `spec.database`; the load file and pgloader's own logs go to `out_dir`.
// The errors of CommandRunner::Run; INTERNAL when PostgreSQL then holds
// another row count than the ERP (pgloader exits 0 after rejecting rows;
// its log says which).
Result<ScenarioResult> RunPgloader(CommandRunner& runner, const Toolbox& tools,
                                   BenchPostgres& postgres, const std::string& erp_path,
                                   const std::string& out_dir, const PgloaderSpec& spec);

}  // namespace erpsync::bench

#endif  // ERPSYNC_BENCH_PGLOADER_COPY_H_
