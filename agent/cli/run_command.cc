// erpsync-agent run: the service. One persistent outbound connection to
// the server carries the control channel and the syncs; incremental and deep
// syncs run on their schedules and on request; items accepted in the cloud
// arrive over the control channel and are written into the ERP by the export
// worker; SIGTERM lets the batch (and the export) in flight finish, then
// exits 0.
#include "agent/app/agent_service.h"
#include "agent/cli/agent_command.h"
#include "common/command_line.h"
#include "common/exit_code.h"
#include "common/log.h"
#include "common/signal_waiter.h"

namespace erpsync::agent {
namespace po = boost::program_options;

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
  InstallShutdownSignals([&](int signal) {
    ERPSYNC_LOG(kInfo) << "signal " << signal << ": finishing the batch in flight, then stopping";
    std::lock_guard<std::mutex> lock(service_mutex);
    stop_requested = true;
    if (running != nullptr) running->Stop();
  });
  Result<std::unique_ptr<AgentService>> service = AgentService::Open(config);
  if (!service.ok()) return AgentFailure(service.status());
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
