#include "bench/csv_gzip.h"

#include <algorithm>
#include <filesystem>

#include "common/file_util.h"

namespace erpsync::bench {
namespace {

std::string Quoted(const std::vector<std::string>& columns) {
  std::string list;
  for (const std::string& column : columns) list += (list.empty() ? "\"" : ", \"") + column + "\"";
  return list;
}

}  // namespace

Result<ScenarioResult> RunCsvGzip(CommandRunner& runner, const Toolbox& tools,
                                  const std::string& erp_path, const std::string& out_dir,
                                  const std::vector<MappedTable>& tables) {
  std::string sql = ".bail on\n.headers on\n.mode csv\n";
  for (const MappedTable& table : tables) {
    sql += "SELECT " + Quoted(table.columns) + " FROM \"" + table.table + "\" ORDER BY " +
           Quoted(table.key_columns) + ";\n";
  }
  const std::string script = out_dir + "/csv-export.sql";
  ERPSYNC_RETURN_IF_ERROR(WriteFileAtomically(script, sql));
  const std::string csv = out_dir + "/rows.csv";
  const std::string gz = csv + ".gz";
  Redirect to_csv;
  to_csv.stdin_path = script;
  to_csv.stdout_path = csv;
  ERPSYNC_ASSIGN_OR_RETURN(
      proc::RunResult exported,
      runner.Run("csv-export", {tools.sqlite3, "-batch", "-readonly", erp_path}, to_csv));
  Redirect csv_to_gz;
  csv_to_gz.stdin_path = csv;
  csv_to_gz.stdout_path = gz;
  ERPSYNC_ASSIGN_OR_RETURN(proc::RunResult zipped,
                           runner.Run("csv-gzip", {tools.gzip, "-6", "-c"}, csv_to_gz));
  std::error_code error;
  const uint64_t csv_bytes = std::filesystem::file_size(csv, error);
  if (error) return InternalError("reading the size of " + csv + ": " + error.message());
  const uint64_t gz_bytes = std::filesystem::file_size(gz, error);
  if (error) return InternalError("reading the size of " + gz + ": " + error.message());
  std::filesystem::remove(csv, error);
  std::filesystem::remove(gz, error);

  ScenarioResult result;
  result.id = "csv";
  result.name = "CSV + gzip -6";
  result.wall_seconds = exported.wall_seconds + zipped.wall_seconds;
  result.bytes_sent = gz_bytes;
  // Two processes one after the other: their CPU adds up, the peak RSS is
  // the larger one.
  proc::ProcessUsage both = zipped.usage;
  both.user_seconds += exported.usage.user_seconds;
  both.system_seconds += exported.usage.system_seconds;
  both.max_rss_kib = std::max(both.max_rss_kib, exported.usage.max_rss_kib);
  result.client = both;
  result.figures.emplace_back("csv_bytes", static_cast<double>(csv_bytes));
  result.figures.emplace_back("export_seconds", exported.wall_seconds);
  result.figures.emplace_back("gzip_seconds", zipped.wall_seconds);
  return result;
}

}  // namespace erpsync::bench
