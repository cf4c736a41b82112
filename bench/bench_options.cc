#include "bench/bench_options.h"

#include <algorithm>
#include <iostream>
#include <set>
#include <sstream>

#include "common/command_line.h"

namespace erpsync::bench {
namespace po = boost::program_options;
namespace {

constexpr char kProgram[] = "erpsync-bench";
constexpr char kUsage[] =
    "erpsync-bench [--scenarios LIST] [--transactions N] [--repeat N] [--work-dir DIR] "
    "[--keep] [--json] [more options: --help]";

}  // namespace

bool Selected(const BenchOptions& options, const std::string& scenario) {
  return std::find(options.scenarios.begin(), options.scenarios.end(), scenario) !=
         options.scenarios.end();
}

ToolNeeds NeedsOf(const BenchOptions& options) {
  ToolNeeds needs;
  for (const std::string& scenario : options.scenarios) {
    if (scenario.rfind("pg-", 0) == 0) needs.postgres = true;
  }
  needs.pgloader = Selected(options, "pg-pgloader");
  return needs;
}

std::optional<BenchOptions> ParseBenchOptions(const std::vector<std::string>& args,
                                              int* exit_code) {
  const BenchOptions defaults;
  std::string all;
  for (const std::string& id : kScenarioOrder) all += (all.empty() ? "" : ",") + id;
  po::options_description description("erpsync-bench options");
  description.add_options()("transactions",
                            po::value<int64_t>()->default_value(defaults.transactions),
                            "JC transactions of the main company (deep2x and pg-deep2x double it)")(
      "jobs", po::value<int>()->default_value(defaults.jobs), "JC jobs of the main company")(
      "seed", po::value<uint64_t>()->default_value(defaults.seed), "sample company seed")(
      "scenarios", po::value<std::string>()->default_value(all),
      "comma-separated scenarios to run; incremental and changed need deep, pg-copy and "
      "pg-incremental need pg-deep, which are added; the pg-* scenarios run on a PostgreSQL 15 "
      "cluster of their own, pg-pgloader needs pgloader (apt-get install pgloader)")(
      "work-dir", po::value<std::string>(),
      "where companies, stores and logs go (default: a new dir under $TMPDIR); companies made "
      "by an earlier --keep run there are reused")(
      "keep", po::bool_switch(), "keep the work directory (default: removed at the end)")(
      "agents", po::value<int>()->default_value(defaults.agents),
      "concurrent, pg-concurrent: agents (companies)")(
      "agent-transactions", po::value<int64_t>()->default_value(defaults.agent_transactions),
      "concurrent, pg-concurrent: JC transactions per company")(
      "agent-jobs", po::value<int>()->default_value(defaults.agent_jobs),
      "concurrent, pg-concurrent: JC jobs per company")(
      "changed-percent", po::value<double>()->default_value(defaults.changed_percent),
      "changed: percentage of the transactions changed")(
      "repeat", po::value<int>()->default_value(defaults.repeat),
      "run the sqlite3 copies, the deep syncs, psql \\copy, pgloader and the single agent of "
      "concurrent and pg-concurrent this many times; the run with the median wall time is shown")(
      "timeout-seconds", po::value<int>()->default_value(defaults.timeout_seconds),
      "longest any one process may run")("json", po::bool_switch(),
                                         "print the results as JSON instead of the table")(
      "verbose", po::bool_switch(), "echo every command to stderr")(
      "agent-bin", po::value<std::string>(), "erpsync-agent (default: the build's)")(
      "server-bin", po::value<std::string>(), "erpsync-server (default: the build's)")(
      "sqlite3-bin", po::value<std::string>(), "sqlite3 CLI (default: on PATH)")(
      "gzip-bin", po::value<std::string>(), "gzip (default: on PATH)")(
      "psql-bin", po::value<std::string>(), "psql (default: PostgreSQL 15's)")(
      "pgloader-bin", po::value<std::string>(), "pgloader (default: on PATH)")(
      "mappings-dir", po::value<std::string>(),
      "Advanced Mappings catalog (default: the source tree's)");
  OptionsLoader loader(&description);
  if (!ParseCommandOptions(kUsage, description, nullptr, args, &loader, exit_code)) {
    return std::nullopt;
  }
  BenchOptions options;
  options.transactions = loader.Get<int64_t>("transactions");
  options.jobs = loader.Get<int>("jobs");
  options.seed = loader.Get<uint64_t>("seed");
  if (loader.Has("work-dir")) options.work_dir = loader.Get<std::string>("work-dir");
  options.keep = loader.Get<bool>("keep");
  options.agents = loader.Get<int>("agents");
  options.agent_transactions = loader.Get<int64_t>("agent-transactions");
  options.agent_jobs = loader.Get<int>("agent-jobs");
  options.changed_percent = loader.Get<double>("changed-percent");
  options.repeat = loader.Get<int>("repeat");
  options.timeout_seconds = loader.Get<int>("timeout-seconds");
  options.json = loader.Get<bool>("json");
  options.verbose = loader.Get<bool>("verbose");
  if (loader.Has("agent-bin")) options.tools.agent = loader.Get<std::string>("agent-bin");
  if (loader.Has("server-bin")) options.tools.server = loader.Get<std::string>("server-bin");
  if (loader.Has("sqlite3-bin")) options.tools.sqlite3 = loader.Get<std::string>("sqlite3-bin");
  if (loader.Has("gzip-bin")) options.tools.gzip = loader.Get<std::string>("gzip-bin");
  if (loader.Has("psql-bin")) options.tools.psql = loader.Get<std::string>("psql-bin");
  if (loader.Has("pgloader-bin")) {
    options.tools.pgloader = loader.Get<std::string>("pgloader-bin");
  }
  if (loader.Has("mappings-dir")) {
    options.tools.mappings_dir = loader.Get<std::string>("mappings-dir");
  }

  auto usage_error = [&](const std::string& message) {
    *exit_code = ReportUsageError(kProgram, message);
    return std::nullopt;
  };
  if (options.transactions < 100 || options.jobs < 1 || options.agents < 1 ||
      options.agent_transactions < 100 || options.agent_jobs < 1 || options.timeout_seconds < 1 ||
      options.repeat < 1) {
    return usage_error(
        "--transactions and --agent-transactions must be at least 100; --jobs, "
        "--agent-jobs, --agents, --repeat and --timeout-seconds at least 1");
  }
  // Written so that NaN fails too.
  if (!(options.changed_percent > 0 && options.changed_percent <= 100)) {
    return usage_error("--changed-percent must be in (0, 100]");
  }
  std::set<std::string> wanted;
  std::stringstream list(loader.Get<std::string>("scenarios"));
  std::string id;
  while (std::getline(list, id, ',')) {
    if (id.empty()) continue;
    if (std::find(kScenarioOrder.begin(), kScenarioOrder.end(), id) == kScenarioOrder.end()) {
      return usage_error("--scenarios: unknown scenario \"" + id + "\" (known: " + all + ")");
    }
    wanted.insert(id);
  }
  if (wanted.empty()) return usage_error("--scenarios lists no scenario");
  if ((wanted.count("incremental") > 0 || wanted.count("changed") > 0) &&
      wanted.count("deep") == 0) {
    std::cerr << kProgram << ": adding scenario deep (incremental and changed sync after it)\n";
    wanted.insert("deep");
  }
  if ((wanted.count("pg-copy") > 0 || wanted.count("pg-incremental") > 0) &&
      wanted.count("pg-deep") == 0) {
    std::cerr << kProgram
              << ": adding scenario pg-deep (pg-copy copies the rows it stored, pg-incremental "
                 "syncs after it)\n";
    wanted.insert("pg-deep");
  }
  options.scenarios.clear();
  for (const std::string& scenario : kScenarioOrder) {
    if (wanted.count(scenario) > 0) options.scenarios.push_back(scenario);
  }
  return options;
}

}  // namespace erpsync::bench
