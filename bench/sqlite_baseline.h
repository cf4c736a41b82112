// The sqlite3 reference copies of issue #7: a fresh database file, the ERP
// file ATTACHed, and `INSERT INTO t SELECT * FROM erp.t` into tables created
// with the ERP's own DDL (so with their keys; no secondary indexes), all in
// one transaction, run by the sqlite3 CLI. What is measured is that sqlite3
// process: wall time (steady clock), peak RSS and CPU time. The row count
// is read afterwards, untimed. Stateless function; not thread-safe (the
// runner is not).
#ifndef ERPSYNC_BENCH_SQLITE_BASELINE_H_
#define ERPSYNC_BENCH_SQLITE_BASELINE_H_

#include <cstdint>
#include <string>
#include <vector>

#include "bench/command_runner.h"
#include "bench/scenario_result.h"
#include "bench/toolbox.h"
#include "common/status.h"

namespace erpsync::bench {

enum class Journal {
  // The CLI's defaults: rollback journal (DELETE), synchronous=FULL.
  kDefault,
  // What erpsync-server's store uses: WAL, synchronous=NORMAL.
  kWal,
};

struct CopySpec {
  std::string id;    // the scenario id, also the database file's name
  std::string name;  // the table row's name
  std::vector<std::string> tables;
  Journal journal = Journal::kDefault;
  // false: `INSERT INTO t SELECT * FROM erp.t`, which SQLite runs with its
  // transfer optimization (records copied whole, never decoded into
  // columns). true: the same with `WHERE 1`, which defeats it, so every row
  // is decoded and re-encoded as any program reading the columns must.
  bool row_by_row = false;
};

// Copies `spec.tables` from `erp_path` into `out_dir`/`spec.id`.db (removed
// first, and again afterwards). The errors of CommandRunner::Run; NOT_FOUND
// when the ERP lacks a table.
Result<ScenarioResult> RunSqliteCopy(CommandRunner& runner, const Toolbox& tools,
                                     const std::string& erp_path, const std::string& out_dir,
                                     const CopySpec& spec);

}  // namespace erpsync::bench

#endif  // ERPSYNC_BENCH_SQLITE_BASELINE_H_
