#include "bench/bench_postgres.h"

#include <filesystem>

#include "bench/sql_text.h"

namespace erpsync::bench {

Result<std::unique_ptr<BenchPostgres>> BenchPostgres::Start(CommandRunner* runner, std::string psql,
                                                            std::string log_dir) {
  // PostgreSQL's defaults, durable, as a production store runs: no setting
  // is changed. max_connections stays at its 100: one erpsync-server opens
  // at most store.postgresql_max_connections (16) plus its listening
  // connection, and the scenarios run one server at a time beside one
  // psql or pgloader.
  ERPSYNC_ASSIGN_OR_RETURN(std::unique_ptr<pgcluster::LocalCluster> cluster,
                           pgcluster::LocalCluster::Start(pgcluster::ClusterSettings{}));
  ERPSYNC_ASSIGN_OR_RETURN(std::unique_ptr<StopOnSignal> stop_on_signal,
                           StopOnSignal::Install(cluster->dir()));
  return std::unique_ptr<BenchPostgres>(new BenchPostgres(
      runner, std::move(psql), std::move(log_dir), std::move(cluster), std::move(stop_on_signal)));
}

Status BenchPostgres::Stop() {
  stop_on_signal_.reset();
  std::error_code ignored;
  std::filesystem::copy_file(cluster_->dir() + "/server.log", log_dir_ + "/postgresql.log",
                             std::filesystem::copy_options::overwrite_existing, ignored);
  return cluster_->Stop();
}

std::vector<std::string> BenchPostgres::StoreFlags(const std::string& name) const {
  return {"--store.kind=postgresql", "--store.postgresql_dsn=" + Dsn(name)};
}

std::vector<std::string> BenchPostgres::Psql(const std::string& name) const {
  return {psql_, "-X",        "-v", "ON_ERROR_STOP=1",
          "-h",  "127.0.0.1", "-p", std::to_string(port()),
          "-U",  "postgres",  "-d", name};
}

Status BenchPostgres::Maintenance(const std::string& step, const std::string& sql) {
  std::vector<std::string> argv = Psql("postgres");
  argv.insert(argv.end(), {"-q", "-c", sql});
  return runner_->Run(step, std::move(argv)).status();
}

Status BenchPostgres::FreshDatabase(const std::string& name) {
  ERPSYNC_RETURN_IF_ERROR(DropDatabase(name));
  return Maintenance("createdb-" + name, "CREATE DATABASE \"" + name + "\"");
}

Status BenchPostgres::DropDatabase(const std::string& name) {
  return Maintenance("dropdb-" + name, "DROP DATABASE IF EXISTS \"" + name + "\" WITH (FORCE)");
}

Result<uint64_t> BenchPostgres::Count(const std::string& step, const std::string& name,
                                      const std::string& sql) {
  std::vector<std::string> argv = Psql(name);
  argv.insert(argv.end(), {"-q", "-A", "-t", "-c", sql});
  ERPSYNC_ASSIGN_OR_RETURN(const proc::RunResult run, runner_->Run(step, std::move(argv)));
  if (run.out.empty() || run.out[0] < '0' || run.out[0] > '9') {
    return InvalidArgumentError(step + ": `" + sql + "` in database " + name +
                                " returned no number but \"" + run.out.substr(0, 200) + "\"");
  }
  return ParseCount(run.out);
}

}  // namespace erpsync::bench
