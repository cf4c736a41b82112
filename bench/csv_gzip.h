// The CSV + gzip reference of issue #7: the rows a deep sync of the default
// Advanced Mappings sends (every enabled record type's mapped columns, in
// key order, one header line per record type) exported by the sqlite3 CLI
// in CSV mode to a file, then `gzip -6`. The compressed size is what the
// deep sync's bytes on the wire are compared with. Stateless function; not
// thread-safe (the runner is not).
#ifndef ERPSYNC_BENCH_CSV_GZIP_H_
#define ERPSYNC_BENCH_CSV_GZIP_H_

#include <string>
#include <vector>

#include "bench/command_runner.h"
#include "bench/mapped_tables.h"
#include "bench/scenario_result.h"
#include "bench/toolbox.h"
#include "common/status.h"

namespace erpsync::bench {

// Exports `tables` of `erp_path` into `out_dir`/rows.csv, compresses it to
// rows.csv.gz (both removed afterwards). The result's bytes_sent is the
// compressed size, its wall time export plus compression, its client usage
// both processes' (CPU added up, the larger peak RSS); figures: csv_bytes, export_seconds,
// gzip_seconds. The errors of CommandRunner::Run.
Result<ScenarioResult> RunCsvGzip(CommandRunner& runner, const Toolbox& tools,
                                  const std::string& erp_path, const std::string& out_dir,
                                  const std::vector<MappedTable>& tables);

}  // namespace erpsync::bench

#endif  // ERPSYNC_BENCH_CSV_GZIP_H_
