// erpsync-agent run: the service. One persistent outbound connection to
// the server carries the control channel and the syncs; incremental and deep
// syncs run on their schedules and on request; items accepted in the cloud
// arrive over the control channel and are written into the ERP by the export
// worker; SIGTERM lets the batch (and the export) in flight finish, then
// exits 0.
#include <iostream>

#include "agent/cli/agent_command.h"
#include "agent/cli/agent_runtime.h"
#include "agent/export/export_applier.h"
#include "agent/export/export_worker.h"
#include "agent/sync/service_loop.h"
#include "agent/transport/grpc_control_channel.h"
#include "agent/transport/grpc_sync_session.h"
#include "common/clock.h"
#include "common/command_line.h"
#include "common/exit_code.h"
#include "common/fault_injection.h"
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
  std::atomic<bool> stop{false};
  ServiceLoop* loop_for_signal = nullptr;
  std::mutex signal_mutex;
  InstallShutdownSignals([&](int signal) {
    ERPSYNC_LOG(kInfo) << "signal " << signal << ": finishing the batch in flight, then stopping";
    stop.store(true);
    std::lock_guard<std::mutex> lock(signal_mutex);
    if (loop_for_signal != nullptr) loop_for_signal->Wake();
  });

  Result<AgentRuntime> runtime = OpenAgentRuntime(config, /*with_erp=*/true);
  if (!runtime.ok()) return AgentFailure(runtime.status());
  Result<std::string> token = LoadAgentToken(config);
  if (!token.ok()) return AgentFailure(token.status());
  Result<std::shared_ptr<grpc::Channel>> channel = OpenServerChannel(config);
  if (!channel.ok()) return AgentFailure(channel.status());

  std::unique_ptr<ExportApplier> applier;
  if (config.erp_kind == "sqlite") {
    Result<std::unique_ptr<ExportApplier>> opened = ExportApplier::OpenSqlite(config.erp_path, &RealClock());
    if (!opened.ok()) return AgentFailure(opened.status());
    applier = std::move(*opened);
  } else {
    applier = ExportApplier::ForOdbc();
  }

  GrpcSessionFactory sessions(*channel, *token, config.sync.window,
                              std::chrono::seconds(config.ack_timeout_seconds));
  GrpcControlChannel* control_ptr = nullptr;
  ExportWorker exports(
      [&applier](const v1::ExportItem& item) { return applier->Apply(item); },
      [&control_ptr](const v1::ExportResult& result) {
        CrashIfFaultPoint("after-export-write");
        if (control_ptr == nullptr) return;
        v1::AgentEvent event;
        *event.mutable_export_result() = result;
        control_ptr->Publish(std::move(event));
      },
      config.sync.backoff);
  ServiceLoop loop(SyncRunnerDeps{&runtime->catalog, runtime->state.get(), runtime->erp.get(),
                                  &sessions, &RealClock(), nullptr, &stop},
                   config.sync, config.schedule, config.state_dir,
                   ServiceCallbacks{[&] {
                                      if (control_ptr != nullptr) control_ptr->PublishStatus();
                                    },
                                    [&](const v1::SyncRequestResult& result) {
                                      if (control_ptr == nullptr) return;
                                      v1::AgentEvent event;
                                      *event.mutable_sync_result() = result;
                                      control_ptr->Publish(std::move(event));
                                    }});
  GrpcControlChannel control(
      *channel, *token, config.sync.backoff,
      [&loop, &exports](const v1::ServerCommand& command) {
        if (command.has_sync_now()) {
          ERPSYNC_LOG(kInfo) << "sync requested by " << command.sync_now().requested_by() << " ("
                             << command.sync_now().request_id() << ")";
          loop.Enqueue(command.sync_now());
        } else if (command.has_export_item()) {
          exports.Enqueue(command.export_item());
        }
      },
      [&loop] { return loop.CurrentStatus(); });
  control_ptr = &control;
  {
    std::lock_guard<std::mutex> lock(signal_mutex);
    loop_for_signal = &loop;
  }
  exports.Start();
  control.Start();
  ERPSYNC_LOG(kInfo) << "erpsync-agent running: server " << config.server_address << ", ERP "
                     << runtime->erp->Describe() << ", incremental every "
                     << config.schedule.incremental_every.count() << " s, deep "
                     << (config.schedule.deep_at.empty() ? "never" : "daily at " + config.schedule.deep_at);
  const Status status = loop.Run();
  exports.Stop();
  control.Stop();
  {
    std::lock_guard<std::mutex> lock(signal_mutex);
    loop_for_signal = nullptr;
  }
  if (!status.ok()) return AgentFailure(status);
  ERPSYNC_LOG(kInfo) << "erpsync-agent stopped";
  return kExitOk;
}

}  // namespace erpsync::agent
