// erpsync-agent run: the service. One persistent outbound connection to
// the server carries the control channel and the syncs; incremental and deep
// syncs run on their schedules and on request; items accepted in the cloud
// arrive over the control channel and are written into the ERP by the export
// worker; SIGTERM lets the batch (and the export) in flight finish, then
// exits 0.
#include "agent/app/agent_runtime.h"
#include "agent/app/agent_service.h"
#include "agent/cli/agent_command.h"
#include "common/command_line.h"
#include "common/exit_code.h"
#include "common/log.h"
#include "common/service_notify.h"
#include "common/signal_waiter.h"

namespace erpsync::agent {
namespace po = boost::program_options;

// SIGHUP: reads the configuration again (the same --config and flags) and
// applies what can change while running, the log level; the rest needs a
// restart, and the log says so. A configuration that no longer loads keeps
// the running settings.
void ReloadRunConfig(const std::vector<std::string>& args) {
  po::options_description description("run options");
  OptionsLoader loader(&description);
  AgentConfig config;
  int exit_code = 0;
  if (!LoadAgentCommand("erpsync-agent run", description, nullptr, args, &loader, &config,
                        &exit_code)) {
    ERPSYNC_LOG(kError) << "SIGHUP: the configuration no longer loads (above); the running "
                           "settings stay";
    return;
  }
  ERPSYNC_LOG(kInfo) << "SIGHUP: configuration read again; log level now " << config.log_level
                     << "; other settings (server, ERP, schedule, sync, metrics) take effect at "
                        "the next restart";
}

int RunServiceCommand(const std::vector<std::string>& args) {
  po::options_description description("run options");
  OptionsLoader loader(&description);
  AgentConfig config;
  int exit_code = 0;
  if (!LoadAgentCommand("erpsync-agent run [--config FILE]", description, nullptr, args, &loader,
                        &config, &exit_code)) {
    return exit_code;
  }
  // Signals are taken before anything opens; one that comes before the
  // service exists stops it as soon as it does.
  std::mutex service_mutex;
  AgentService* running = nullptr;
  bool stop_requested = false;
  InstallShutdownSignals(
      [&](int signal) {
        ERPSYNC_LOG(kInfo) << "signal " << signal
                           << ": finishing the batch in flight, then stopping";
        std::lock_guard<std::mutex> lock(service_mutex);
        stop_requested = true;
        if (running != nullptr) running->Stop();
      },
      [args] { ReloadRunConfig(args); });
  // An ERP the configuration does not name is a configuration error (64),
  // which the unit does not restart for: the agent's package ships
  // agent.conf without an ODBC connection string.
  if (const Status erp = CheckErpConfigured(config); !erp.ok()) {
    return ReportUsageError(kAgentProgram, erp.message());
  }
  Result<std::unique_ptr<AgentService>> service = AgentService::Open(config);
  if (!service.ok()) return AgentFailure(service.status());
  // systemd's Type=notify: the configuration, the catalog, the state and
  // the ERP checked out, so `systemctl start` returns now (reaching the
  // server is the service's own business: it reconnects for as long as it
  // runs).
  NotifyReady("running; server " + config.server_address);
  {
    std::lock_guard<std::mutex> lock(service_mutex);
    running = service->get();
    if (stop_requested) running->Stop();
  }
  const Status status = (*service)->Run();
  {
    std::lock_guard<std::mutex> lock(service_mutex);
    running = nullptr;
  }
  if (!status.ok()) return AgentFailure(status);
  ERPSYNC_LOG(kInfo) << "erpsync-agent stopped";
  return kExitOk;
}

}  // namespace erpsync::agent
