// PostgresCluster: a throwaway PostgreSQL 15 cluster for tests, with the
// tests' settings (no fsync, many connections), over the cluster of
// tools/pg/local_cluster.h: started from Debian's binaries in a temp dir,
// listening on 127.0.0.1 at a free port with trust authentication, run as
// the unprivileged `postgres` user when root, and stopped and removed when
// the object goes. Not thread-safe.
#ifndef ERPSYNC_TESTS_SUPPORT_POSTGRES_CLUSTER_H_
#define ERPSYNC_TESTS_SUPPORT_POSTGRES_CLUSTER_H_

#include <memory>
#include <string>

#include "common/status.h"
#include "tools/pg/local_cluster.h"

namespace erpsync::testing {

class PostgresCluster {
 public:
  // Whether Debian's PostgreSQL 15 server binaries are installed.
  static bool Installed();
  // initdb, then pg_ctl start. UNAVAILABLE with initdb's or the server's
  // log when either fails.
  static Result<std::unique_ptr<PostgresCluster>> Start();
  // A cluster that outlives this process, started for `dir` (emptied
  // first): the cluster lives in a directory of its own under the temp dir
  // (named in dir/cluster, since its user may not reach `dir`), its port is
  // written to dir/port. Returns the port.
  static Result<int> StartIn(const std::string& dir);
  // Stops the cluster StartIn started for `dir` and removes it and `dir`.
  // OK when there is none.
  static Status StopIn(const std::string& dir);

  int port() const { return cluster_->port(); }
  // Stops the server at once, as a crash would (pg_ctl stop -m immediate:
  // every connection is dropped, nothing is checkpointed).
  Status Crash() { return cluster_->Stop(); }
  // Starts it again after Crash(), on the same port, recovering from its
  // WAL.
  Status Restart() { return cluster_->Restart(); }
  // Creates database `name` (owned by the cluster's superuser). Errors as
  // the createdb command reports them.
  Status CreateDatabase(const std::string& name) { return cluster_->CreateDatabase(name); }
  // A libpq connection string for database `name`.
  std::string Dsn(const std::string& name) const { return cluster_->Dsn(name); }

 private:
  explicit PostgresCluster(std::unique_ptr<pgcluster::LocalCluster> cluster)
      : cluster_(std::move(cluster)) {}
  std::unique_ptr<pgcluster::LocalCluster> cluster_;
};

}  // namespace erpsync::testing

#endif  // ERPSYNC_TESTS_SUPPORT_POSTGRES_CLUSTER_H_
