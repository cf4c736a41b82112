#include "bench/toolbox.h"

#include <unistd.h>

#include <chrono>
#include <filesystem>

#include "tools/pg/local_cluster.h"
#include "tools/proc/subprocess.h"

namespace erpsync::bench {
namespace {

Status CheckExecutable(const std::string& path, const std::string& what) {
  if (::access(path.c_str(), X_OK) != 0) {
    return NotFoundError(what + " " + path + " is missing or not executable");
  }
  return Status::Ok();
}

Result<std::string> OnPath(const std::string& given, const std::string& program,
                           const std::string& package) {
  if (!given.empty()) {
    ERPSYNC_RETURN_IF_ERROR(CheckExecutable(given, program));
    return given;
  }
  Result<std::string> found = proc::FindOnPath(program);
  if (!found.ok()) {
    return NotFoundError(program + " not found on PATH (Debian: apt-get install " + package + ")");
  }
  return found;
}

}  // namespace

Result<Toolbox> FindTools(Toolbox given, const ToolNeeds& needs) {
  Toolbox tools;
  tools.agent = given.agent.empty() ? ERPSYNC_AGENT_BIN : given.agent;
  tools.server = given.server.empty() ? ERPSYNC_SERVER_BIN : given.server;
  tools.mappings_dir =
      given.mappings_dir.empty() ? ERPSYNC_SOURCE_DIR "/mappings/sage300cre" : given.mappings_dir;
  ERPSYNC_RETURN_IF_ERROR(CheckExecutable(tools.agent, "erpsync-agent"));
  ERPSYNC_RETURN_IF_ERROR(CheckExecutable(tools.server, "erpsync-server"));
  std::error_code error;
  if (!std::filesystem::is_directory(tools.mappings_dir, error)) {
    return NotFoundError("mappings directory " + tools.mappings_dir + " is missing");
  }
  ERPSYNC_ASSIGN_OR_RETURN(tools.sqlite3, OnPath(given.sqlite3, "sqlite3", "sqlite3"));
  ERPSYNC_ASSIGN_OR_RETURN(tools.gzip, OnPath(given.gzip, "gzip", "gzip"));
  if (needs.postgres) {
    if (!pgcluster::Installed()) {
      return NotFoundError(std::string("PostgreSQL 15 is not installed (no ") +
                           pgcluster::Program("initdb") +
                           "), which the pg-* scenarios need (Debian: apt-get install "
                           "postgresql-15)");
    }
    tools.psql = given.psql.empty() ? pgcluster::Program("psql") : given.psql;
    ERPSYNC_RETURN_IF_ERROR(CheckExecutable(tools.psql, "psql"));
  }
  if (needs.pgloader) {
    Result<std::string> pgloader = OnPath(given.pgloader, "pgloader", "pgloader");
    if (!pgloader.ok()) {
      return NotFoundError(pgloader.status().message() +
                           "; scenario pg-pgloader needs it: apt-get install pgloader, or leave "
                           "pg-pgloader out of --scenarios");
    }
    tools.pgloader = *pgloader;
  }
  return tools;
}

std::string SourceRevision() {
  Result<std::string> git = proc::FindOnPath("git");
  if (!git.ok()) return "unknown";
  proc::SubprocessOptions files;
  const std::string prefix =
      std::filesystem::temp_directory_path() / ("erpsync-bench-git-" + std::to_string(::getpid()));
  files.stdout_path = prefix + ".out";
  files.stderr_path = prefix + ".err";
  Result<proc::RunResult> described =
      proc::Run({*git, "-C", ERPSYNC_SOURCE_DIR, "describe", "--always", "--dirty"}, files,
                std::chrono::seconds(30));
  std::error_code ignored;
  std::filesystem::remove(files.stdout_path, ignored);
  std::filesystem::remove(files.stderr_path, ignored);
  if (!described.ok() || described->exit_code != 0) return "unknown";
  std::string revision = described->out;
  while (!revision.empty() && (revision.back() == '\n' || revision.back() == '\r')) {
    revision.pop_back();
  }
  return revision.empty() ? "unknown" : revision;
}

}  // namespace erpsync::bench
