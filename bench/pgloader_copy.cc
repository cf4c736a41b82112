#include "bench/pgloader_copy.h"

#include <algorithm>
#include <cctype>
#include <cstdint>

#include "bench/sql_text.h"
#include "common/file_util.h"

namespace erpsync::bench {
namespace {

// The table's name as pgloader creates it (down-cased), quoted.
std::string PostgresTable(const std::string& table) {
  std::string lower = table;
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return "\"" + lower + "\"";
}

}  // namespace

Result<ScenarioResult> RunPgloader(CommandRunner& runner, const Toolbox& tools,
                                   BenchPostgres& postgres, const std::string& erp_path,
                                   const std::string& out_dir, const PgloaderSpec& spec) {
  std::string erp_count = "SELECT 0";
  std::string pg_count = "SELECT 0";
  std::string like;
  for (const std::string& table : spec.tables) {
    erp_count += " + (SELECT count(*) FROM \"" + table + "\")";
    pg_count += " + (SELECT count(*) FROM " + PostgresTable(table) + ")";
    like += (like.empty() ? "" : ", ") + SqlString(table);
  }
  ERPSYNC_ASSIGN_OR_RETURN(const proc::RunResult erp_rows,
                           runner.Run(spec.id + "-erp-count", {tools.sqlite3, "-batch", "-bail",
                                                               "-readonly", erp_path, erp_count}));

  ERPSYNC_RETURN_IF_ERROR(postgres.FreshDatabase(spec.database));
  const std::string command_file = out_dir + "/" + spec.id + ".load";
  ERPSYNC_RETURN_IF_ERROR(WriteFileAtomically(
      command_file, "LOAD DATABASE\n  FROM sqlite://" + erp_path +
                        "\n  INTO pgsql://postgres@127.0.0.1:" + std::to_string(postgres.port()) +
                        "/" + spec.database +
                        "\n  WITH include drop, create tables, create indexes, reset sequences"
                        "\n  INCLUDING ONLY TABLE NAMES LIKE " +
                        like + ";\n"));
  ERPSYNC_ASSIGN_OR_RETURN(
      const proc::RunResult load,
      runner.Run(spec.id, {tools.pgloader, "--root-dir", out_dir + "/" + spec.id + "-pgloader",
                           command_file}));
  ERPSYNC_ASSIGN_OR_RETURN(const uint64_t rows,
                           postgres.Count(spec.id + "-count", spec.database, pg_count));
  const uint64_t expected = ParseCount(erp_rows.out);
  if (rows != expected) {
    return InternalError(spec.id + ": pgloader copied " + std::to_string(rows) + " rows of " +
                         erp_path + " into database " + spec.database + ", the ERP has " +
                         std::to_string(expected) + " (its summary is in the step's log)");
  }
  ScenarioResult result;
  result.id = spec.id;
  result.name = spec.name;
  result.wall_seconds = load.wall_seconds;
  result.records = rows;
  result.client = load.usage;
  return result;
}

}  // namespace erpsync::bench
