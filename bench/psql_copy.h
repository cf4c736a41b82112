// The psql reference of the pg-deep scenario: the rows a deep sync stored
// in PostgreSQL, loaded by PostgreSQL's fastest plain path into the same
// table layout. Like with like: every record of the company (all record
// types of the deep sync, not only its transactions), the same column
// values, in the order of the table's primary key (the order the agent
// sends each record type in), into erpsync's own `records` table (created
// by `erpsync-server store migrate`: the same columns, primary key and
// indexes) of a fresh database of the same cluster.
//   - DumpCompanyRecords (untimed): psql `\copy (SELECT ...) TO FILE WITH
//     (FORMAT binary)`.
//   - RunPsqlCopy (timed: the one psql process): `psql -1` running `\copy
//     records FROM FILE WITH (FORMAT binary)`, one transaction, committed
//     with the cluster's durable defaults.
// Stateless functions; not thread-safe (the runner is not).
#ifndef ERPSYNC_BENCH_PSQL_COPY_H_
#define ERPSYNC_BENCH_PSQL_COPY_H_

#include <cstdint>
#include <string>

#include "bench/bench_postgres.h"
#include "bench/command_runner.h"
#include "bench/scenario_result.h"
#include "bench/toolbox.h"
#include "common/status.h"

namespace erpsync::bench {

// Writes the records of company `company` (its name) stored in database
// `database` to `file` in COPY's binary format. Returns how many. The
// errors of CommandRunner::Run.
Result<uint64_t> DumpCompanyRecords(CommandRunner& runner, BenchPostgres& postgres,
                                    const std::string& database, const std::string& company,
                                    const std::string& file);

// Loads `file` (DumpCompanyRecords) into a fresh database `database` with
// erpsync's schema, its server data dir under `out_dir`. The result's
// wall time and client usage are psql's, its records the rows loaded
// (counted afterwards, untimed); figures: file_bytes. The errors of
// CommandRunner::Run; INTERNAL when the table holds another count than
// `expected_rows` afterwards.
Result<ScenarioResult> RunPsqlCopy(CommandRunner& runner, const Toolbox& tools,
                                   BenchPostgres& postgres, const std::string& file,
                                   uint64_t expected_rows, const std::string& database,
                                   const std::string& out_dir);

}  // namespace erpsync::bench

#endif  // ERPSYNC_BENCH_PSQL_COPY_H_
