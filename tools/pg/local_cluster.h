// LocalCluster: a throwaway PostgreSQL 15 cluster on this machine, started
// from Debian's binaries (/usr/lib/postgresql/15/bin) in a fresh directory
// under the temp dir (mkdtemp: PostgreSQL's user may not be able to reach
// the caller's directories), listening on 127.0.0.1 at a free port with
// trust authentication and its unix socket in that directory. Run as root,
// the cluster runs as the unprivileged `postgres` user (PostgreSQL refuses
// root) and its commands run from / (that user may not be able to enter the
// current directory). Each command's output is kept in the cluster
// directory (initdb.out/.err, pg_ctl-start.err, ...).
//
// The server settings are the caller's (ClusterSettings): the tests trade
// durability for speed, the benchmark keeps PostgreSQL's durable defaults.
//
// The free functions work on a cluster directory, for a cluster that
// outlives the process that started it (the tests' ctest fixture starts it
// in one process and stops it in another); LocalCluster owns one for the
// life of the object. Errors are UNAVAILABLE (PostgreSQL not installed, no
// postgres user, a command failing: the message quotes its output) unless
// said otherwise. Not thread-safe; distinct clusters may be used from
// distinct threads.
#ifndef ERPSYNC_TOOLS_PG_LOCAL_CLUSTER_H_
#define ERPSYNC_TOOLS_PG_LOCAL_CLUSTER_H_

#include <memory>
#include <string>
#include <vector>

#include "common/status.h"

namespace erpsync::pgcluster {

// Where Debian's postgresql-15 package puts the server's programs.
inline constexpr char kBinDir[] = "/usr/lib/postgresql/15/bin";

// The path of program `name` (initdb, psql, ...) in kBinDir.
std::string Program(const std::string& name);

// Whether Debian's PostgreSQL 15 server binaries are installed.
bool Installed();

// The server settings a cluster starts with: each entry one `-c` option of
// the postgres server ("fsync=off", "max_connections=300"). The listening
// address, port and socket directory are set by the cluster itself.
struct ClusterSettings {
  std::vector<std::string> options;
};

// A TCP port free on 127.0.0.1 right now; 0 when none could be bound.
int FreePort();

// A new empty directory under the temp dir named `prefix`XXXXXX, owned by
// the cluster's user (so that initdb, running as that user, can fill it).
Result<std::string> MakeClusterDir(const std::string& prefix);

// initdb (trust authentication, superuser postgres, UTF8; no fsync of the
// fresh files) in `dir`/data, then StartPostgres on a free port. `dir`
// must exist and be owned by the cluster's user (MakeClusterDir). Returns
// the port.
Result<int> InitAndStart(const std::string& dir, const ClusterSettings& settings);

// pg_ctl start of the cluster in `dir` on 127.0.0.1:`port`, waiting (at
// most 60 s) until it accepts connections. The error quotes the server's
// log.
Status StartPostgres(const std::string& dir, int port, const ClusterSettings& settings);

// pg_ctl stop -m immediate of the cluster in `dir`: every connection is
// dropped and nothing is checkpointed, as in a crash (the cluster recovers
// from its WAL when started again).
Status StopPostgres(const std::string& dir);

// The command StopPostgres runs (pg_ctl stop -m immediate, through
// runuser when root), for a caller that must run it where it cannot
// allocate (a signal handler: prepare it beforehand).
Result<std::vector<std::string>> StopCommand(const std::string& dir);

// Whether the cluster in `dir` looks started (its postmaster.pid exists).
bool LooksRunning(const std::string& dir);

// CPU seconds (user + system) the cluster in `dir` has used since it
// started: its postmaster's, every live child's (backends, checkpointer,
// WAL writer, ...) and every exited child's (a reaped child's time counts
// in its parent's), read from Linux's /proc. A child that exits between
// the reads may be missed or counted twice: take differences over spans
// long against a backend's life. UNAVAILABLE when the cluster is not
// running or /proc cannot be read.
Result<double> ClusterCpuSeconds(const std::string& dir);

// createdb `name` on the cluster at `port`, run as the cluster's user; its
// output goes to `log_dir`/createdb-`name`.out/.err. INTERNAL quoting
// createdb's stderr when it fails.
Status CreateDatabase(int port, const std::string& name, const std::string& log_dir);

// A libpq connection string for database `name` of the cluster at `port`
// (user postgres, no password: trust authentication).
std::string Dsn(int port, const std::string& name);

class LocalCluster {
 public:
  // MakeClusterDir("erpsync-pg."), then InitAndStart. The directory is
  // removed again when either fails.
  static Result<std::unique_ptr<LocalCluster>> Start(const ClusterSettings& settings);
  // Stops the cluster (when running) and removes its directory.
  ~LocalCluster();
  LocalCluster(const LocalCluster&) = delete;
  LocalCluster& operator=(const LocalCluster&) = delete;

  int port() const { return port_; }
  const std::string& dir() const { return dir_; }
  bool running() const { return running_; }

  // StopPostgres. FAILED_PRECONDITION when it is not running.
  Status Stop();
  // Starts it again after Stop(), on the same port and settings (recovering
  // from its WAL). FAILED_PRECONDITION when it is running.
  Status Restart();
  // CreateDatabase on this cluster (logs in its directory).
  Status CreateDatabase(const std::string& name) const;
  std::string Dsn(const std::string& name) const { return pgcluster::Dsn(port_, name); }

 private:
  LocalCluster(std::string dir, ClusterSettings settings)
      : dir_(std::move(dir)), settings_(std::move(settings)) {}

  std::string dir_;
  ClusterSettings settings_;
  int port_ = 0;
  bool running_ = false;
};

}  // namespace erpsync::pgcluster

#endif  // ERPSYNC_TOOLS_PG_LOCAL_CLUSTER_H_
