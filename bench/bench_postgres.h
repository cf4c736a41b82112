// BenchPostgres: the benchmark's own throwaway PostgreSQL 15 cluster
// (tools/pg/local_cluster.h) for the pg-* scenarios, and what they do on it
// through psql: fresh databases, counts, and the cluster's CPU time.
//
// The cluster keeps PostgreSQL's durable defaults (fsync, synchronous
// commits, full page writes): the figures are those of a store that keeps
// what it acknowledged. References and erpsync run on this one cluster,
// each in a fresh database. Started only when a pg-* scenario is selected;
// Stop() copies its server log into the benchmark's log directory and stops
// it; the object's end stops it (when still running) and removes it, also
// when a scenario failed; a SIGINT, SIGTERM or SIGHUP meanwhile stops and
// removes it too (StopOnSignal).
//
// Errors name the step and the command (CommandRunner). Not thread-safe.
#ifndef ERPSYNC_BENCH_BENCH_POSTGRES_H_
#define ERPSYNC_BENCH_BENCH_POSTGRES_H_

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "bench/command_runner.h"
#include "bench/stop_on_signal.h"
#include "common/status.h"
#include "tools/pg/local_cluster.h"

namespace erpsync::bench {

class BenchPostgres {
 public:
  // Starts the cluster. `psql` is the psql program, `log_dir` where the
  // server log goes at the end; `runner` must outlive the object. The
  // errors of LocalCluster::Start.
  static Result<std::unique_ptr<BenchPostgres>> Start(CommandRunner* runner, std::string psql,
                                                      std::string log_dir);
  BenchPostgres(const BenchPostgres&) = delete;
  BenchPostgres& operator=(const BenchPostgres&) = delete;

  // Copies the server's log into the log directory and stops the cluster
  // (pg_ctl stop -m immediate: nothing of it is kept). The errors of
  // LocalCluster::Stop.
  Status Stop();

  int port() const { return cluster_->port(); }
  // libpq connection string of database `name`.
  std::string Dsn(const std::string& name) const { return cluster_->Dsn(name); }
  // erpsync-server's flags for a store in database `name`.
  std::vector<std::string> StoreFlags(const std::string& name) const;

  // psql connected to database `name`: no psqlrc, stops at the first
  // error; the caller appends -c/-f/-1 and friends.
  std::vector<std::string> Psql(const std::string& name) const;

  // Database `name` made empty: dropped first when it exists (its
  // connections ended), then created. The errors of CommandRunner::Run.
  Status FreshDatabase(const std::string& name);
  // Drops database `name` when it exists.
  Status DropDatabase(const std::string& name);

  // The number `sql` returns (its first column of its first row) in
  // database `name`. INVALID_ARGUMENT when that is no number.
  Result<uint64_t> Count(const std::string& step, const std::string& name, const std::string& sql);

  // The cluster's CPU seconds so far (pgcluster::ClusterCpuSeconds): its
  // own work, which no wait4() of the benchmark sees.
  Result<double> CpuSeconds() const { return pgcluster::ClusterCpuSeconds(cluster_->dir()); }

 private:
  BenchPostgres(CommandRunner* runner, std::string psql, std::string log_dir,
                std::unique_ptr<pgcluster::LocalCluster> cluster,
                std::unique_ptr<StopOnSignal> stop_on_signal)
      : runner_(runner),
        psql_(std::move(psql)),
        log_dir_(std::move(log_dir)),
        cluster_(std::move(cluster)),
        stop_on_signal_(std::move(stop_on_signal)) {}

  // Runs `sql` on the maintenance database.
  Status Maintenance(const std::string& step, const std::string& sql);

  CommandRunner* runner_;
  std::string psql_;
  std::string log_dir_;
  std::unique_ptr<pgcluster::LocalCluster> cluster_;
  // Declared after the cluster: its handlers go first.
  std::unique_ptr<StopOnSignal> stop_on_signal_;
};

}  // namespace erpsync::bench

#endif  // ERPSYNC_BENCH_BENCH_POSTGRES_H_
