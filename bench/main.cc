// erpsync-bench: the performance benchmark of issue #7. Generates sample
// companies, drives the real erpsync-agent and erpsync-server (and the
// sqlite3 CLI and gzip for the references) through every scenario, and
// prints one table: wall time, records/s, bytes on the wire, peak RSS and
// CPU time of each process, and the targets' ratios. Not part of the test
// suite. See the README's "Benchmarks" section.
#include <stdlib.h>

#include <ctime>
#include <filesystem>
#include <iostream>
#include <thread>

#include "bench/bench_options.h"
#include "bench/bench_runner.h"
#include "bench/command_runner.h"
#include "bench/report.h"
#include "bench/toolbox.h"
#include "tools/proc/subprocess.h"

namespace erpsync::bench {
namespace {

std::string UtcNow() {
  const std::time_t now = std::time(nullptr);
  std::tm utc{};
  gmtime_r(&now, &utc);
  char text[32];
  std::strftime(text, sizeof(text), "%Y-%m-%d %H:%M", &utc);
  return text;
}

// The work directory: the one given (created when missing) or a new one
// under $TMPDIR. *created says whether the benchmark made it.
Result<std::string> MakeWorkDir(const std::string& given, bool* created) {
  std::error_code error;
  if (!given.empty()) {
    *created = std::filesystem::create_directories(given, error);
    if (error) return InternalError("creating " + given + ": " + error.message());
    return std::filesystem::absolute(given).string();
  }
  const char* base = std::getenv("TMPDIR");
  std::string pattern = std::string(base != nullptr ? base : "/tmp") + "/erpsync-bench-XXXXXX";
  if (::mkdtemp(pattern.data()) == nullptr) return InternalError("mkdtemp failed for " + pattern);
  *created = true;
  return pattern;
}

int Main(int argc, char** argv) {
  int exit_code = 0;
  const std::optional<BenchOptions> options =
      ParseBenchOptions(std::vector<std::string>(argv + 1, argv + argc), &exit_code);
  if (!options) return exit_code;
  Result<Toolbox> tools = FindTools(options->tools, NeedsOf(*options));
  if (!tools.ok()) {
    std::cerr << "erpsync-bench: " << tools.status().message() << "\n";
    return 66;
  }
  bool created = false;
  Result<std::string> work_dir = MakeWorkDir(options->work_dir, &created);
  if (!work_dir.ok()) {
    std::cerr << "erpsync-bench: " << work_dir.status().message() << "\n";
    return 70;
  }
  const std::string log_dir = *work_dir + "/run/logs";
  std::error_code error;
  std::filesystem::remove_all(*work_dir + "/run", error);
  if (error) {
    std::cerr << "erpsync-bench: removing " << *work_dir << "/run: " << error.message() << "\n";
    return 70;
  }
  for (const std::string& dir : {log_dir, *work_dir + "/data"}) {
    std::filesystem::create_directories(dir, error);
    if (error) {
      std::cerr << "erpsync-bench: creating " << dir << ": " << error.message() << "\n";
      return 70;
    }
  }
  std::cerr << "erpsync-bench: working in " << *work_dir << "\n";

  RunInfo info;
  info.date = UtcNow();
  info.revision = SourceRevision();
  info.cores = std::thread::hardware_concurrency();
  info.transactions = options->transactions;
  info.jobs = options->jobs;
  info.seed = options->seed;

  CommandRunner runner(log_dir, std::chrono::seconds(options->timeout_seconds), options->verbose);
  BenchRunner bench(*options, *tools, &runner, *work_dir);
  std::vector<ScenarioResult> results;
  const Status status = bench.Run(&results);
  info.spawn_rss_floor_mib = static_cast<double>(proc::SpawnRssFloorKib()) / 1024.0;
  std::cout << (options->json ? FormatJson(info, results) : FormatTable(info, results));
  if (!status.ok()) {
    std::cerr << "erpsync-bench: " << status.message() << "\n"
              << "erpsync-bench: logs kept in " << log_dir << "\n";
    return 1;
  }
  if (options->keep) {
    std::cerr << "erpsync-bench: kept " << *work_dir << "\n";
  } else {
    std::filesystem::remove_all(*work_dir + "/run", error);
    std::filesystem::remove_all(*work_dir + "/data", error);
    if (created) std::filesystem::remove_all(*work_dir, error);
  }
  return 0;
}

}  // namespace
}  // namespace erpsync::bench

int main(int argc, char** argv) { return erpsync::bench::Main(argc, argv); }
