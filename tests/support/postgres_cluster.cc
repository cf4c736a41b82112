#include "tests/support/postgres_cluster.h"

#include <netinet/in.h>
#include <pwd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <vector>

#include "tools/proc/subprocess.h"

namespace erpsync::testing {
namespace {

constexpr char kBinDir[] = "/usr/lib/postgresql/15/bin";

// A TCP port free on 127.0.0.1 right now.
int FreePort() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t size = sizeof(address);
  int port = 0;
  if (::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) == 0 &&
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &size) == 0) {
    port = ntohs(address.sin_port);
  }
  ::close(fd);
  return port;
}

}  // namespace

bool PostgresCluster::Installed() {
  return std::filesystem::exists(std::string(kBinDir) + "/initdb");
}

namespace {

// The user the cluster runs as: postgres when root (PostgreSQL refuses
// root), else the current user.
Result<std::string> ClusterUser() {
  if (::geteuid() != 0) {
    const passwd* self = ::getpwuid(::geteuid());
    return std::string(self != nullptr ? self->pw_name : "postgres");
  }
  if (::getpwnam("postgres") == nullptr) {
    return UnavailableError("no postgres user to run PostgreSQL as");
  }
  return std::string("postgres");
}

// `argv` as `user` (runuser when root). Its output goes to dir/log_name.out
// and .err; the exit code is returned.
Result<int> RunAs(const std::string& user, std::vector<std::string> argv, const std::string& dir,
                  const std::string& log_name) {
  // From / : the cluster's user may not be able to enter the current
  // directory.
  if (::geteuid() == 0) {
    argv.insert(argv.begin(), {"/usr/sbin/runuser", "-u", user, "--", "/usr/bin/env", "-C", "/"});
  }
  ERPSYNC_ASSIGN_OR_RETURN(const proc::RunResult run,
                           proc::Run(std::move(argv), dir + "/" + log_name, std::chrono::minutes(2)));
  return run.exit_code;
}

// pg_ctl start of the cluster under `dir` on 127.0.0.1:`port`.
Status StartPostgres(const std::string& user, const std::string& dir, int port) {
  // Many test processes connect at once (a database each, several
  // connections per store). No fsync (the tests crash PostgreSQL, never the
  // machine), but synchronous commits: a commit acknowledged before a crash
  // must be there after it, as on a real cluster.
  const std::string options = "-c listen_addresses=127.0.0.1 -c port=" + std::to_string(port) +
                              " -c unix_socket_directories=" + dir +
                              " -c fsync=off -c full_page_writes=off -c max_connections=300";
  ERPSYNC_ASSIGN_OR_RETURN(const int started,
                           RunAs(user,
                                 {std::string(kBinDir) + "/pg_ctl", "-D", dir + "/data", "-l",
                                  dir + "/server.log", "-o", options, "-w", "-t", "60", "start"},
                                 dir, "pg_ctl-start"));
  if (started != 0) {
    return UnavailableError("PostgreSQL did not start: " + proc::ReadFile(dir + "/server.log"));
  }
  return Status::Ok();
}

// initdb and pg_ctl start under `dir`, which exists. Returns the port.
Result<int> InitAndStart(const std::string& dir) {
  ERPSYNC_ASSIGN_OR_RETURN(const std::string user, ClusterUser());
  if (::geteuid() == 0) {
    const passwd* owner = ::getpwnam(user.c_str());
    // The cluster's user owns its directory.
    if (owner == nullptr || ::chown(dir.c_str(), owner->pw_uid, owner->pw_gid) != 0) {
      return UnavailableError("cannot give " + dir + " to " + user);
    }
  }
  const std::string data_dir = dir + "/data";
  ERPSYNC_ASSIGN_OR_RETURN(const int initialized,
                           RunAs(user,
                                 {std::string(kBinDir) + "/initdb", "-D", data_dir, "-A", "trust",
                                  "-U", "postgres", "--no-sync", "-E", "UTF8"},
                                 dir, "initdb"));
  if (initialized != 0) {
    return UnavailableError("initdb failed: " + proc::ReadFile(dir + "/initdb.err"));
  }
  const int port = FreePort();
  ERPSYNC_RETURN_IF_ERROR(StartPostgres(user, dir, port));
  return port;
}

Status Stop(const std::string& dir) {
  ERPSYNC_ASSIGN_OR_RETURN(const std::string user, ClusterUser());
  ERPSYNC_ASSIGN_OR_RETURN(const int stopped,
                           RunAs(user,
                                 {std::string(kBinDir) + "/pg_ctl", "-D", dir + "/data", "-m",
                                  "immediate", "-w", "stop"},
                                 dir, "pg_ctl-stop"));
  if (stopped != 0) {
    return UnavailableError("pg_ctl stop failed: " + proc::ReadFile(dir + "/pg_ctl-stop.err"));
  }
  return Status::Ok();
}

}  // namespace

Result<std::unique_ptr<PostgresCluster>> PostgresCluster::Start() {
  std::unique_ptr<PostgresCluster> cluster(new PostgresCluster());
  ERPSYNC_ASSIGN_OR_RETURN(cluster->port_, InitAndStart(cluster->dir_.path()));
  cluster->running_ = true;
  return cluster;
}

PostgresCluster::~PostgresCluster() {
  if (running_) (void)Stop(dir_.path());
}

Status PostgresCluster::Crash() {
  if (!running_) return FailedPreconditionError("the cluster is not running");
  ERPSYNC_RETURN_IF_ERROR(Stop(dir_.path()));
  running_ = false;
  return Status::Ok();
}

Status PostgresCluster::Restart() {
  if (running_) return FailedPreconditionError("the cluster is running");
  ERPSYNC_ASSIGN_OR_RETURN(const std::string user, ClusterUser());
  ERPSYNC_RETURN_IF_ERROR(StartPostgres(user, dir_.path(), port_));
  running_ = true;
  return Status::Ok();
}

Result<int> PostgresCluster::StartIn(const std::string& dir) {
  if (!Installed()) {
    return UnavailableError(
        "PostgreSQL 15 is not installed (packaging/setup.sh test installs postgresql-15)");
  }
  (void)StopIn(dir);
  std::error_code error;
  std::filesystem::create_directories(dir, error);
  if (error) return UnavailableError("cannot create " + dir + ": " + error.message());
  // The cluster itself lives under the temp dir: its user (postgres) may
  // not be able to reach `dir` (a build tree in root's private directory).
  std::string cluster = (std::filesystem::temp_directory_path() / "erpsync-pg.XXXXXX").string();
  if (::mkdtemp(cluster.data()) == nullptr) {
    return UnavailableError("cannot make a directory for the cluster: " + std::string(strerror(errno)));
  }
  std::ofstream(dir + "/cluster") << cluster << "\n";
  ERPSYNC_ASSIGN_OR_RETURN(const int port, InitAndStart(cluster));
  std::ofstream(dir + "/port") << port << "\n";
  return port;
}

Status PostgresCluster::StopIn(const std::string& dir) {
  std::string cluster;
  std::ifstream(dir + "/cluster") >> cluster;
  Status stopped = Status::Ok();
  std::error_code error;
  if (!cluster.empty() && std::filesystem::exists(cluster + "/data/postmaster.pid", error)) {
    stopped = Stop(cluster);
  }
  if (!cluster.empty()) std::filesystem::remove_all(cluster, error);
  std::filesystem::remove_all(dir, error);
  return stopped;
}

Status PostgresCluster::CreateDatabase(const std::string& name) {
  ERPSYNC_ASSIGN_OR_RETURN(const std::string user, ClusterUser());
  ERPSYNC_ASSIGN_OR_RETURN(const int created,
                           RunAs(user,
                                 {std::string(kBinDir) + "/createdb", "-h", "127.0.0.1", "-p",
                                  std::to_string(port_), "-U", "postgres", name},
                                 dir_.path(), "createdb-" + name));
  if (created != 0) {
    return InternalError("createdb " + name + ": " +
                         proc::ReadFile(dir_.File("createdb-" + name + ".err")));
  }
  return Status::Ok();
}

std::string PostgresCluster::Dsn(const std::string& name) const {
  return "host=127.0.0.1 port=" + std::to_string(port_) + " dbname=" + name +
         " user=postgres connect_timeout=10";
}

}  // namespace erpsync::testing
