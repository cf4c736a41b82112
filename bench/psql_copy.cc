#include "bench/psql_copy.h"

#include <filesystem>

#include "bench/server_under_test.h"
#include "bench/sql_text.h"
#include "common/file_util.h"

namespace erpsync::bench {

Result<uint64_t> DumpCompanyRecords(CommandRunner& runner, BenchPostgres& postgres,
                                    const std::string& database, const std::string& company,
                                    const std::string& file) {
  std::vector<std::string> argv = postgres.Psql(database);
  argv.insert(argv.end(),
              {"-c",
               "\\copy (SELECT * FROM records WHERE company_id = (SELECT id FROM companies "
               "WHERE name = " +
                   SqlString(company) + ") ORDER BY company_id, entity_row_id, key) TO " +
                   SqlString(file) + " WITH (FORMAT binary)"});
  ERPSYNC_RETURN_IF_ERROR(runner.Run("pg-copy-dump", std::move(argv)).status());
  return postgres.Count("pg-copy-dump-count", database,
                        "SELECT count(*) FROM records WHERE company_id = (SELECT id FROM "
                        "companies WHERE name = " +
                            SqlString(company) + ")");
}

Result<ScenarioResult> RunPsqlCopy(CommandRunner& runner, const Toolbox& tools,
                                   BenchPostgres& postgres, const std::string& file,
                                   uint64_t expected_rows, const std::string& database,
                                   const std::string& out_dir) {
  ERPSYNC_RETURN_IF_ERROR(postgres.FreshDatabase(database));
  ServerUnderTest schema(&runner, tools.server, out_dir + "/server", database + "-schema",
                         postgres.StoreFlags(database));
  ERPSYNC_RETURN_IF_ERROR(schema.Migrate());
  const std::string script = out_dir + "/load.sql";
  ERPSYNC_RETURN_IF_ERROR(WriteFileAtomically(
      script, "\\copy records FROM " + SqlString(file) + " WITH (FORMAT binary)\n"));
  std::vector<std::string> argv = postgres.Psql(database);
  argv.insert(argv.end(), {"--single-transaction", "-f", script});
  ERPSYNC_ASSIGN_OR_RETURN(const proc::RunResult load, runner.Run("pg-copy", std::move(argv)));
  ERPSYNC_ASSIGN_OR_RETURN(const uint64_t rows, postgres.Count("pg-copy-count", database,
                                                               "SELECT count(*) FROM records"));
  if (rows != expected_rows) {
    return InternalError("pg-copy: psql loaded " + std::to_string(rows) + " records of " + file +
                         " into database " + database + ", expected " +
                         std::to_string(expected_rows));
  }
  std::error_code error;
  const uintmax_t bytes = std::filesystem::file_size(file, error);
  ScenarioResult result;
  result.id = "pg-copy";
  result.name = "psql \\copy binary";
  result.wall_seconds = load.wall_seconds;
  result.records = rows;
  result.client = load.usage;
  result.figures.emplace_back("file_bytes", error ? 0.0 : static_cast<double>(bytes));
  return result;
}

}  // namespace erpsync::bench
