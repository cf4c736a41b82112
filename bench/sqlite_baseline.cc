#include "bench/sqlite_baseline.h"

#include <filesystem>

#include "bench/sql_text.h"
#include "common/file_util.h"

namespace erpsync::bench {
namespace {

void RemoveDatabase(const std::string& path) {
  std::error_code ignored;
  for (const char* suffix : {"", "-wal", "-shm", "-journal"}) {
    std::filesystem::remove(path + suffix, ignored);
  }
}

}  // namespace

Result<ScenarioResult> RunSqliteCopy(CommandRunner& runner, const Toolbox& tools,
                                     const std::string& erp_path, const std::string& out_dir,
                                     const CopySpec& spec) {
  // The tables' own DDL, one statement per table.
  std::string names;
  for (const std::string& table : spec.tables)
    names += (names.empty() ? "" : ",") + SqlString(table);
  ERPSYNC_ASSIGN_OR_RETURN(
      proc::RunResult ddl,
      runner.Run(spec.id + "-ddl",
                 {tools.sqlite3, "-batch", "-bail", "-readonly", erp_path,
                  "SELECT sql || ';' FROM sqlite_master WHERE type = 'table' AND name IN (" +
                      names + ")"}));
  for (const std::string& table : spec.tables) {
    if (ddl.out.find("TABLE " + table + " ") == std::string::npos &&
        ddl.out.find("TABLE " + table + "(") == std::string::npos) {
      return NotFoundError(erp_path + " has no table " + table);
    }
  }

  std::string sql = ".bail on\n";
  sql += spec.journal == Journal::kWal
             ? "PRAGMA journal_mode = WAL;\nPRAGMA synchronous = NORMAL;\n"
             : "";
  sql += "ATTACH DATABASE " + SqlString(erp_path) + " AS erp;\nBEGIN;\n" + ddl.out;
  for (const std::string& table : spec.tables) {
    sql += "INSERT INTO main.\"" + table + "\" SELECT * FROM erp.\"" + table + "\"" +
           (spec.row_by_row ? " WHERE 1" : "") + ";\n";
  }
  sql += "COMMIT;\n";
  const std::string script = out_dir + "/" + spec.id + ".sql";
  ERPSYNC_RETURN_IF_ERROR(WriteFileAtomically(script, sql));

  const std::string database = out_dir + "/" + spec.id + ".db";
  RemoveDatabase(database);
  Redirect from_script;
  from_script.stdin_path = script;
  ERPSYNC_ASSIGN_OR_RETURN(proc::RunResult copy,
                           runner.Run(spec.id, {tools.sqlite3, "-batch", database}, from_script));

  std::string count_sql = "SELECT 0";
  for (const std::string& table : spec.tables) {
    count_sql += " + (SELECT count(*) FROM \"" + table + "\")";
  }
  ERPSYNC_ASSIGN_OR_RETURN(
      proc::RunResult counted,
      runner.Run(spec.id + "-count", {tools.sqlite3, "-batch", "-readonly", database, count_sql}));
  std::error_code error;
  const uint64_t database_bytes = std::filesystem::file_size(database, error);
  RemoveDatabase(database);

  ScenarioResult result;
  result.id = spec.id;
  result.name = spec.name;
  result.wall_seconds = copy.wall_seconds;
  result.records = ParseCount(counted.out);
  result.client = copy.usage;
  result.figures.emplace_back("database_bytes", static_cast<double>(error ? 0 : database_bytes));
  return result;
}

}  // namespace erpsync::bench
