// erpsync-agent sync: one deep or incremental sync run, with progress on
// stderr and a summary (or --json) on stdout.
#include <unistd.h>

#include <atomic>
#include <iostream>

#include "agent/app/manual_sync.h"
#include "agent/cli/agent_command.h"
#include "agent/cli/progress_printer.h"
#include "agent/cli/report_printer.h"
#include "agent/state/state_lock.h"
#include "common/clock.h"
#include "common/command_line.h"
#include "common/exit_code.h"
#include "common/log.h"
#include "common/signal_waiter.h"

namespace erpsync::agent {
namespace po = boost::program_options;

int RunSyncCommand(const std::vector<std::string>& args) {
  po::options_description description("sync options");
  description.add_options()("deep", po::bool_switch(),
                            "read whole tables (over the --since timeframe)")(
      "incremental", po::bool_switch(), "send only what changed (the default)")(
      "since", po::value<std::string>(),
      "deep sync timeframe: beginning (default), today, week, month, year or YYYY-MM-DD")(
      "only", po::value<std::string>(),
      "comma-separated mapping ids to sync (Deselect All, then tick)")("json", po::bool_switch(),
                                                                       "print the summary as JSON");
  OptionsLoader loader(&description);
  AgentConfig config;
  int exit_code = 0;
  if (!LoadAgentCommand("erpsync-agent sync [--deep [--since WHEN]] [--only IDS] [--json] "
                        "[--config FILE]",
                        description, nullptr, args, &loader, &config, &exit_code)) {
    return exit_code;
  }
  const bool deep = loader.Get<bool>("deep");
  if (deep && loader.Get<bool>("incremental")) {
    return ReportUsageError(kAgentProgram, "sync: --deep and --incremental exclude each other");
  }
  if (!deep && loader.Has("since")) {
    return ReportUsageError(kAgentProgram, "sync: --since applies to deep syncs (add --deep)");
  }
  SyncCommand command;
  command.deep = deep;
  if (loader.Has("only")) {
    command.only = SplitIds(loader.Get<std::string>("only"));
    if (command.only.empty()) return ReportUsageError(kAgentProgram, "sync: --only lists no ids");
  }
  const LocalDateTime today = ToLocalDateTime(RealClock().NowUnix());
  Result<Timeframe> since = ParseTimeframe(
      loader.Has("since") ? loader.Get<std::string>("since") : "beginning", today.date);
  if (!since.ok())
    return ReportUsageError(kAgentProgram, "sync: --since: " + since.status().message());
  command.since = *since;

  std::atomic<bool> stop{false};
  InstallShutdownSignals([&stop](int) { stop.store(true); });

  std::optional<AgentRuntime> runtime = OpenCommandRuntime(config, /*with_erp=*/true, &exit_code);
  if (!runtime) return exit_code;
  if (const int unknown = CheckMappingIds(runtime->catalog, command.only, "sync --only");
      unknown != kExitOk) {
    return unknown;
  }
  Result<StateLock> lock =
      StateLock::Acquire(config.state_dir, &stop, [](const std::string& holder) {
        std::cerr << kAgentProgram << ": " << holder << "; waiting for its sync to finish\n";
      });
  if (!lock.ok() && lock.status().code() == StatusCode::kCancelled) {
    std::cerr << kAgentProgram << ": stopped before the sync began\n";
    return 130;
  }
  if (!lock.ok()) return AgentFailure(lock.status());
  ProgressPrinter progress(::isatty(STDERR_FILENO) != 0);
  Result<SyncReport> report = RunManualSync(*runtime, command, &progress, &stop);
  if (!report.ok()) {
    if (report.status().code() == StatusCode::kCancelled) {
      std::cerr << kAgentProgram << ": stopped; what was acknowledged is kept"
                << (deep ? " (run the same command to resume)" : "") << "\n";
      return 130;
    }
    if (report.status().code() == StatusCode::kUnavailable &&
        report.status().origin() != ErrorOrigin::kErp) {
      return AgentFailure(UnavailableError("server " + config.server_address +
                                           " unreachable: " + report.status().message()));
    }
    if (report.status().code() == StatusCode::kResourceExhausted &&
        report.status().origin() != ErrorOrigin::kAgentState) {
      // Reachable, but it cannot take the records: its store is full (or
      // it stayed too busy). What was acknowledged is kept.
      return AgentFailure(
          ResourceExhaustedError("server " + config.server_address +
                                 " cannot take the records: " + report.status().message() +
                                 (deep ? "; run the same command to resume once it can" : "")));
    }
    return AgentFailure(report.status());
  }
  std::cout << (loader.Get<bool>("json") ? FormatReportJson(*report) : FormatReportText(*report));
  if (report->erp_failed()) return kExitErpFailure;
  return report->ok() && report->quarantined() == 0 ? kExitOk : kExitFailure;
}

}  // namespace erpsync::agent
