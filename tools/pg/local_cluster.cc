#include "tools/pg/local_cluster.h"

#include <netinet/in.h>
#include <pwd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <sstream>
#include <string>
#include <vector>

#include "tools/proc/subprocess.h"

namespace erpsync::pgcluster {
namespace {

// The user the cluster runs as: postgres when root (PostgreSQL refuses
// root), else the current user.
Result<std::string> ClusterUser() {
  if (::geteuid() != 0) {
    const passwd* self = ::getpwuid(::geteuid());
    return std::string(self != nullptr ? self->pw_name : "postgres");
  }
  if (::getpwnam("postgres") == nullptr) {
    return UnavailableError(
        "no postgres user to run PostgreSQL as (apt-get install postgresql-15)");
  }
  return std::string("postgres");
}

// `argv` as a command that runs it as the cluster's user (runuser when
// root), from / : that user may not be able to enter the current
// directory.
Result<std::vector<std::string>> AsClusterUser(std::vector<std::string> argv) {
  ERPSYNC_ASSIGN_OR_RETURN(const std::string user, ClusterUser());
  if (::geteuid() == 0) {
    argv.insert(argv.begin(), {"/usr/sbin/runuser", "-u", user, "--", "/usr/bin/env", "-C", "/"});
  }
  return argv;
}

// Runs AsClusterUser(`argv`); its output goes to `log_dir`/`log_name`.out
// and .err. Returns the exit code.
Result<int> RunAsClusterUser(std::vector<std::string> argv, const std::string& log_dir,
                             const std::string& log_name) {
  ERPSYNC_ASSIGN_OR_RETURN(argv, AsClusterUser(std::move(argv)));
  ERPSYNC_ASSIGN_OR_RETURN(
      const proc::RunResult run,
      proc::Run(std::move(argv), log_dir + "/" + log_name, std::chrono::minutes(2)));
  return run.exit_code;
}

// The fields of /proc/`pid`/stat after the command name (the first is the
// state, field 3 of proc(5)); empty when the process is gone.
std::vector<std::string> ProcStatFields(const std::string& pid) {
  const std::string stat = proc::ReadFile("/proc/" + pid + "/stat");
  const size_t name_end = stat.rfind(')');
  std::vector<std::string> fields;
  if (name_end == std::string::npos) return fields;
  std::istringstream rest(stat.substr(name_end + 1));
  for (std::string field; rest >> field;) fields.push_back(field);
  return fields;
}

// Fields 14-17 of proc(5) (utime, stime, cutime, cstime), clock ticks.
constexpr size_t kUtimeField = 11;
constexpr size_t kCstimeField = 14;
constexpr size_t kPpidField = 1;

int64_t ProcessTicks(const std::vector<std::string>& fields) {
  int64_t ticks = 0;
  if (fields.size() <= kCstimeField) return 0;
  for (size_t i = kUtimeField; i <= kCstimeField; ++i) {
    int64_t value = 0;
    std::from_chars(fields[i].data(), fields[i].data() + fields[i].size(), value);
    ticks += value;
  }
  return ticks;
}

}  // namespace

std::string Program(const std::string& name) { return std::string(kBinDir) + "/" + name; }

bool Installed() {
  std::error_code error;
  return std::filesystem::exists(Program("initdb"), error) &&
         std::filesystem::exists(Program("pg_ctl"), error);
}

int FreePort() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return 0;
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

Result<std::string> MakeClusterDir(const std::string& prefix) {
  ERPSYNC_ASSIGN_OR_RETURN(const std::string user, ClusterUser());
  std::string dir = (std::filesystem::temp_directory_path() / (prefix + "XXXXXX")).string();
  if (::mkdtemp(dir.data()) == nullptr) {
    return UnavailableError("cannot make a directory for a PostgreSQL cluster (" + dir +
                            "): " + std::strerror(errno));
  }
  if (::geteuid() == 0) {
    const passwd* owner = ::getpwnam(user.c_str());
    if (owner == nullptr || ::chown(dir.c_str(), owner->pw_uid, owner->pw_gid) != 0) {
      std::error_code ignored;
      std::filesystem::remove_all(dir, ignored);
      return UnavailableError("cannot give " + dir + " to " + user + ": " + std::strerror(errno));
    }
  }
  return dir;
}

Result<int> InitAndStart(const std::string& dir, const ClusterSettings& settings) {
  if (!Installed()) {
    return UnavailableError(std::string("PostgreSQL 15 is not installed (no ") + kBinDir +
                            "/initdb; Debian: apt-get install postgresql-15)");
  }
  ERPSYNC_ASSIGN_OR_RETURN(const int initialized,
                           RunAsClusterUser({Program("initdb"), "-D", dir + "/data", "-A", "trust",
                                             "-U", "postgres", "--no-sync", "-E", "UTF8"},
                                            dir, "initdb"));
  if (initialized != 0) {
    return UnavailableError("initdb of " + dir +
                            "/data failed: " + proc::Tail(proc::ReadFile(dir + "/initdb.err")));
  }
  const int port = FreePort();
  if (port == 0) return UnavailableError("no free TCP port on 127.0.0.1 for PostgreSQL");
  ERPSYNC_RETURN_IF_ERROR(StartPostgres(dir, port, settings));
  return port;
}

Status StartPostgres(const std::string& dir, int port, const ClusterSettings& settings) {
  std::string options = "-c listen_addresses=127.0.0.1 -c port=" + std::to_string(port) +
                        " -c unix_socket_directories=" + dir;
  for (const std::string& option : settings.options) options += " -c " + option;
  ERPSYNC_ASSIGN_OR_RETURN(
      const int started,
      RunAsClusterUser({Program("pg_ctl"), "-D", dir + "/data", "-l", dir + "/server.log", "-o",
                        options, "-w", "-t", "60", "start"},
                       dir, "pg_ctl-start"));
  if (started != 0) {
    return UnavailableError("PostgreSQL in " + dir + " did not start; the end of its log:\n" +
                            proc::Tail(proc::ReadFile(dir + "/server.log")));
  }
  return Status::Ok();
}

Result<std::vector<std::string>> StopCommand(const std::string& dir) {
  return AsClusterUser({Program("pg_ctl"), "-D", dir + "/data", "-m", "immediate", "-w", "stop"});
}

Status StopPostgres(const std::string& dir) {
  ERPSYNC_ASSIGN_OR_RETURN(std::vector<std::string> stop, StopCommand(dir));
  ERPSYNC_ASSIGN_OR_RETURN(
      const proc::RunResult run,
      proc::Run(std::move(stop), dir + "/pg_ctl-stop", std::chrono::minutes(2)));
  const int stopped = run.exit_code;
  if (stopped != 0) {
    return UnavailableError("pg_ctl stop of " + dir + "/data failed: " +
                            proc::Tail(proc::ReadFile(dir + "/pg_ctl-stop.err")));
  }
  return Status::Ok();
}

bool LooksRunning(const std::string& dir) {
  std::error_code error;
  return std::filesystem::exists(dir + "/data/postmaster.pid", error);
}

Result<double> ClusterCpuSeconds(const std::string& dir) {
  std::string postmaster;
  std::istringstream(proc::ReadFile(dir + "/data/postmaster.pid")) >> postmaster;
  const std::vector<std::string> own = ProcStatFields(postmaster);
  if (postmaster.empty() || own.empty()) {
    return UnavailableError("the PostgreSQL cluster in " + dir + " is not running");
  }
  int64_t ticks = ProcessTicks(own);
  std::error_code error;
  for (const auto& entry : std::filesystem::directory_iterator("/proc", error)) {
    const std::string pid = entry.path().filename().string();
    if (pid.empty() || pid.find_first_not_of("0123456789") != std::string::npos) continue;
    const std::vector<std::string> fields = ProcStatFields(pid);
    if (fields.size() > kCstimeField && fields[kPpidField] == postmaster) {
      ticks += ProcessTicks(fields);
    }
  }
  if (error) return UnavailableError("cannot list /proc: " + error.message());
  return static_cast<double>(ticks) / static_cast<double>(::sysconf(_SC_CLK_TCK));
}

Status CreateDatabase(int port, const std::string& name, const std::string& log_dir) {
  ERPSYNC_ASSIGN_OR_RETURN(const int created,
                           RunAsClusterUser({Program("createdb"), "-h", "127.0.0.1", "-p",
                                             std::to_string(port), "-U", "postgres", name},
                                            log_dir, "createdb-" + name));
  if (created != 0) {
    return InternalError("createdb " + name + ": " +
                         proc::Tail(proc::ReadFile(log_dir + "/createdb-" + name + ".err")));
  }
  return Status::Ok();
}

std::string Dsn(int port, const std::string& name) {
  return "host=127.0.0.1 port=" + std::to_string(port) + " dbname=" + name +
         " user=postgres connect_timeout=10";
}

Result<std::unique_ptr<LocalCluster>> LocalCluster::Start(const ClusterSettings& settings) {
  ERPSYNC_ASSIGN_OR_RETURN(std::string dir, MakeClusterDir("erpsync-pg."));
  std::unique_ptr<LocalCluster> cluster(new LocalCluster(std::move(dir), settings));
  // From here the destructor removes the directory, and stops the server
  // if pg_ctl started it but failed later.
  Result<int> port = InitAndStart(cluster->dir_, cluster->settings_);
  if (!port.ok()) {
    cluster->running_ = LooksRunning(cluster->dir_);
    return port.status();
  }
  cluster->port_ = *port;
  cluster->running_ = true;
  return cluster;
}

LocalCluster::~LocalCluster() {
  if (running_) (void)StopPostgres(dir_);
  std::error_code ignored;
  std::filesystem::remove_all(dir_, ignored);
}

Status LocalCluster::Stop() {
  if (!running_)
    return FailedPreconditionError("the PostgreSQL cluster in " + dir_ + " is not running");
  ERPSYNC_RETURN_IF_ERROR(StopPostgres(dir_));
  running_ = false;
  return Status::Ok();
}

Status LocalCluster::Restart() {
  if (running_) return FailedPreconditionError("the PostgreSQL cluster in " + dir_ + " is running");
  ERPSYNC_RETURN_IF_ERROR(StartPostgres(dir_, port_, settings_));
  running_ = true;
  return Status::Ok();
}

Status LocalCluster::CreateDatabase(const std::string& name) const {
  return pgcluster::CreateDatabase(port_, name, dir_);
}

}  // namespace erpsync::pgcluster
