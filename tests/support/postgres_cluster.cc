#include "tests/support/postgres_cluster.h"

#include <netinet/in.h>
#include <pwd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
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

Result<int> PostgresCluster::RunAsOwner(std::vector<std::string> argv,
                                        const std::string& log_name) {
  if (::geteuid() == 0) {
    argv.insert(argv.begin(), {"/usr/sbin/runuser", "-u", user_, "--"});
  }
  ERPSYNC_ASSIGN_OR_RETURN(const proc::RunResult run,
                           proc::Run(std::move(argv), dir_.File(log_name), std::chrono::minutes(2)));
  return run.exit_code;
}

Result<std::unique_ptr<PostgresCluster>> PostgresCluster::Start() {
  std::unique_ptr<PostgresCluster> cluster(new PostgresCluster());
  const std::string& dir = cluster->dir_.path();
  cluster->data_dir_ = dir + "/data";
  if (::geteuid() == 0) {
    const passwd* postgres = ::getpwnam("postgres");
    if (postgres == nullptr) return UnavailableError("no postgres user to run PostgreSQL as");
    cluster->user_ = "postgres";
    // The cluster's user owns its directory (the temp dir stays root's).
    if (::chown(dir.c_str(), postgres->pw_uid, postgres->pw_gid) != 0) {
      return UnavailableError("cannot give " + dir + " to postgres");
    }
  } else {
    const passwd* self = ::getpwuid(::geteuid());
    cluster->user_ = self != nullptr ? self->pw_name : "postgres";
  }
  ERPSYNC_ASSIGN_OR_RETURN(
      const int initialized,
      cluster->RunAsOwner({std::string(kBinDir) + "/initdb", "-D", cluster->data_dir_, "-A",
                           "trust", "-U", "postgres", "--no-sync", "-E", "UTF8"},
                          "initdb"));
  if (initialized != 0) {
    return UnavailableError("initdb failed: " + proc::ReadFile(cluster->dir_.File("initdb.err")));
  }
  cluster->port_ = FreePort();
  const std::string options = "-c listen_addresses=127.0.0.1 -c port=" +
                              std::to_string(cluster->port_) + " -c unix_socket_directories=" +
                              dir + " -c fsync=off -c full_page_writes=off";
  ERPSYNC_ASSIGN_OR_RETURN(
      const int started,
      cluster->RunAsOwner({std::string(kBinDir) + "/pg_ctl", "-D", cluster->data_dir_, "-l",
                           dir + "/server.log", "-o", options, "-w", "-t", "60", "start"},
                          "pg_ctl-start"));
  if (started != 0) {
    return UnavailableError("PostgreSQL did not start: " +
                            proc::ReadFile(cluster->dir_.File("server.log")));
  }
  cluster->running_ = true;
  return cluster;
}

PostgresCluster::~PostgresCluster() {
  if (running_) {
    (void)RunAsOwner({std::string(kBinDir) + "/pg_ctl", "-D", data_dir_, "-m", "immediate", "-w",
                      "stop"},
                     "pg_ctl-stop");
  }
}

Status PostgresCluster::CreateDatabase(const std::string& name) {
  ERPSYNC_ASSIGN_OR_RETURN(
      const int created,
      RunAsOwner({std::string(kBinDir) + "/createdb", "-h", "127.0.0.1", "-p",
                  std::to_string(port_), "-U", "postgres", name},
                 "createdb-" + name));
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
