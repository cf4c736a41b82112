#include "agent/app/agent_service.h"

#include "agent/app/agent_metrics.h"
#include "agent/app/agent_runtime.h"
#include "agent/app/server_connection.h"
#include "agent/export/export_worker.h"
#include "agent/sync/service_loop.h"
#include "agent/transport/grpc_control_channel.h"
#include "agent/transport/grpc_sync_session.h"
#include "common/clock.h"
#include "common/fault_injection.h"
#include "common/log.h"
#include "common/metrics/metrics_endpoint.h"
#include "common/metrics/metrics_registry.h"

namespace erpsync::agent {

// The running agent's parts, built in dependency order. Callbacks between
// parts run only once Run() has started them, when all of them exist.
class AgentService::Wiring {
 public:
  Wiring(const AgentConfig& config, AgentRuntime runtime, std::unique_ptr<ErpWriter> writer,
         const ServerChannel& channel, const std::string& token)
      : config_(config),
        metrics_(&registry_),
        runtime_(std::move(runtime)),
        writer_(std::move(writer)),
        sessions_(channel.channel, token, config.sync.window,
                  std::chrono::seconds(config.ack_timeout_seconds), channel.explain),
        exports_([this](const v1::ExportItem& item) { return writer_->Apply(item); },
                 [this](const v1::ExportResult& result) { PublishExportResult(result); },
                 config.sync.backoff),
        loop_(SyncRunnerDeps{&runtime_.catalog, runtime_.state.get(), runtime_.erp.get(),
                             &sessions_, &RealClock(), nullptr, &stop_},
              config.sync, config.schedule, config.state_dir,
              ServiceCallbacks{[this] { control_.PublishStatus(); },
                               [this](const v1::SyncRequestResult& result) {
                                 v1::AgentEvent event;
                                 *event.mutable_sync_result() = result;
                                 control_.Publish(std::move(event));
                               },
                               [this](bool deep, const Result<SyncReport>& report) {
                                 metrics_.RunDone(deep, report, RealClock().NowUnix());
                               }}),
        control_(
            channel.channel, token, config.sync.backoff,
            [this](const v1::ServerCommand& command) { OnCommand(command); },
            [this] { return loop_.CurrentStatus(); }, channel.explain) {}

  // Starts the metrics endpoint when the configuration asks for one.
  // UNAVAILABLE when it cannot listen (MetricsEndpoint::Start).
  Status StartMetrics() {
    metrics_.Seed(runtime_.catalog, *runtime_.state);
    if (config_.metrics.listen.empty()) return Status::Ok();
    ERPSYNC_ASSIGN_OR_RETURN(endpoint_, MetricsEndpoint::Start(config_.metrics.listen, registry_));
    ERPSYNC_LOG(kInfo) << "erpsync-agent metrics on " << endpoint_->url();
    return Status::Ok();
  }

  Status Run() {
    exports_.Start();
    control_.Start();
    ERPSYNC_LOG(kInfo) << "erpsync-agent running: server " << config_.server_address << ", ERP "
                       << runtime_.erp->Describe() << ", exports into "
                       << writer_->Describe() << ", incremental every "
                       << config_.schedule.incremental_every.count() << " s, deep "
                       << (config_.schedule.deep_at.empty()
                               ? "never"
                               : "daily at " + config_.schedule.deep_at);
    const Status status = loop_.Run();
    exports_.Stop();
    control_.Stop();
    return status;
  }

  void Stop() {
    stop_.store(true);
    loop_.Wake();
  }

 private:
  void OnCommand(const v1::ServerCommand& command) {
    if (command.has_sync_now()) {
      ERPSYNC_LOG(kInfo) << "sync requested by " << command.sync_now().requested_by() << " ("
                         << command.sync_now().request_id() << ")";
      loop_.Enqueue(command.sync_now());
    } else if (command.has_export_item()) {
      exports_.Enqueue(command.export_item());
    }
  }

  void PublishExportResult(const v1::ExportResult& result) {
    CrashIfFaultPoint("after-export-write");
    metrics_.ExportDone(result.ok());
    v1::AgentEvent event;
    *event.mutable_export_result() = result;
    control_.Publish(std::move(event));
  }

  const AgentConfig config_;
  // Before everything that counts into it.
  MetricsRegistry registry_;
  AgentMetrics metrics_;
  std::atomic<bool> stop_{false};
  AgentRuntime runtime_;
  std::unique_ptr<ErpWriter> writer_;
  GrpcSessionFactory sessions_;
  ExportWorker exports_;
  ServiceLoop loop_;
  GrpcControlChannel control_;
  // Last: destroyed first, so no scrape outlives what it reads.
  std::unique_ptr<MetricsEndpoint> endpoint_;
};

Result<std::unique_ptr<AgentService>> AgentService::Open(const AgentConfig& config) {
  ERPSYNC_ASSIGN_OR_RETURN(AgentRuntime runtime, OpenAgentRuntime(config, /*with_erp=*/true));
  ERPSYNC_ASSIGN_OR_RETURN(const std::string token, LoadAgentToken(config));
  ERPSYNC_ASSIGN_OR_RETURN(ServerChannel channel,
                           OpenConfiguredServerChannel(config));
  ERPSYNC_ASSIGN_OR_RETURN(std::unique_ptr<ErpWriter> writer, OpenErpWriter(config, &RealClock()));
  auto wiring =
      std::make_unique<Wiring>(config, std::move(runtime), std::move(writer), channel, token);
  ERPSYNC_RETURN_IF_ERROR(wiring->StartMetrics());
  return std::unique_ptr<AgentService>(new AgentService(std::move(wiring)));
}

AgentService::AgentService(std::unique_ptr<Wiring> wiring) : wiring_(std::move(wiring)) {}
AgentService::~AgentService() = default;

Status AgentService::Run() { return wiring_->Run(); }
void AgentService::Stop() { wiring_->Stop(); }

}  // namespace erpsync::agent
