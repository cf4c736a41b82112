#include "tests/support/postgres_cluster.h"

#include <filesystem>
#include <fstream>

namespace erpsync::testing {
namespace {

// Many test processes connect at once (a database each, several
// connections per store). No fsync (the tests crash PostgreSQL, never the
// machine), but synchronous commits: a commit acknowledged before a crash
// must be there after it, as on a real cluster.
pgcluster::ClusterSettings TestSettings() {
  return {{"fsync=off", "full_page_writes=off", "max_connections=300"}};
}

constexpr char kNotInstalled[] =
    "PostgreSQL 15 is not installed (packaging/setup.sh test installs postgresql-15)";

}  // namespace

bool PostgresCluster::Installed() { return pgcluster::Installed(); }

Result<std::unique_ptr<PostgresCluster>> PostgresCluster::Start() {
  if (!Installed()) return UnavailableError(kNotInstalled);
  ERPSYNC_ASSIGN_OR_RETURN(std::unique_ptr<pgcluster::LocalCluster> cluster,
                           pgcluster::LocalCluster::Start(TestSettings()));
  return std::unique_ptr<PostgresCluster>(new PostgresCluster(std::move(cluster)));
}

Result<int> PostgresCluster::StartIn(const std::string& dir) {
  if (!Installed()) return UnavailableError(kNotInstalled);
  (void)StopIn(dir);
  std::error_code error;
  std::filesystem::create_directories(dir, error);
  if (error) return UnavailableError("cannot create " + dir + ": " + error.message());
  // The cluster itself lives under the temp dir: its user (postgres) may
  // not be able to reach `dir` (a build tree in root's private directory).
  ERPSYNC_ASSIGN_OR_RETURN(const std::string cluster, pgcluster::MakeClusterDir("erpsync-pg."));
  std::ofstream(dir + "/cluster") << cluster << "\n";
  ERPSYNC_ASSIGN_OR_RETURN(const int port, pgcluster::InitAndStart(cluster, TestSettings()));
  std::ofstream(dir + "/port") << port << "\n";
  return port;
}

Status PostgresCluster::StopIn(const std::string& dir) {
  std::string cluster;
  std::ifstream(dir + "/cluster") >> cluster;
  Status stopped = Status::Ok();
  if (!cluster.empty() && pgcluster::LooksRunning(cluster)) {
    stopped = pgcluster::StopPostgres(cluster);
  }
  std::error_code error;
  if (!cluster.empty()) std::filesystem::remove_all(cluster, error);
  std::filesystem::remove_all(dir, error);
  return stopped;
}

}  // namespace erpsync::testing
