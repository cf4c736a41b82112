#include "server/app/server_app.h"

#include <grpcpp/ext/proto_server_reflection_plugin.h>
#include <grpcpp/health_check_service_interface.h>


#include "common/grpc/grpc_util.h"
#include "common/log.h"
#include "common/net_address.h"
#include "common/pid_lock.h"

namespace erpsync::server {
namespace {

// The services this server registers, by full name, for health checks.
constexpr const char* kServedServices[] = {
    "erpsync.v1.AgentSync", "erpsync.v1.RecordsService", "erpsync.v1.AgentControl",
    "erpsync.v1.AgentsService", "erpsync.v1.ErpIntegrations"};

}  // namespace

Result<PidLock> LockSqliteStore(const ServerConfig& config) {
  std::string holder;
  Result<PidLock> lock = PidLock::TryAcquire(config.data_dir + "/serve.lock", &holder);
  if (lock.status().code() != StatusCode::kFailedPrecondition) return lock;
  return FailedPreconditionError("erpsync-server" +
                                 (holder.empty() ? std::string() : " (pid " + holder + ")") +
                                 " holds the store in " + config.data_dir);
}

Result<std::unique_ptr<ServerApp>> ServerApp::Start(const ServerConfig& config) {
  RouteGrpcLogging();
  std::unique_ptr<ServerApp> app(new ServerApp());
  ERPSYNC_ASSIGN_OR_RETURN(app->store_, OpenServerStore(config));
  // Work created here reaches the agents connected to the other servers.
  app->hub_.SetSignals(&app->store_->signals());
  // Every server of the store can tell which agents are connected.
  app->presence_ = std::make_unique<ControlPresence>(
      &app->store_->agent_control(), [store = app->store_.get()] { return store->NowUnix(); });
  app->hub_.SetPresence(app->presence_.get());
  DirectoryStore* directory = &app->store_->directory();
  RecordStore* records = &app->store_->records();
  app->auth_ = std::make_unique<Authenticator>(directory);
  // Ends streams of tokens revoked or rotated, also by another server on
  // the same store.
  app->watch_ = std::make_unique<RevocationWatch>(directory, kRevocationCheckPeriod);
  app->budget_ =
      std::make_unique<InflightBudget>(config.max_inflight_bytes, config.max_sync_streams);
  app->metrics_ =
      std::make_unique<ServerMetrics>(&app->metrics_registry_, app->store_.get(), &app->hub_);
  app->sync_service_ = std::make_unique<AgentSyncService>(
      app->auth_.get(), directory, records, SyncLimits{}, app->budget_.get(), app->watch_.get(),
      &app->metrics_->sync());
  app->records_service_ =
      std::make_unique<RecordsService>(app->auth_.get(), directory, records);
  app->approvals_ = std::make_unique<ApprovalModule>(
      app->store_.get(), config, nullptr,
      [metrics = app->metrics_.get()](bool delivered) { metrics->MailAttempted(delivered); });
  app->approvals_->queues().SetExportOutcomeCallback(
      [metrics = app->metrics_.get()](const ApprovalItem& item, bool exported) {
        metrics->ExportApplied(item, exported);
      });
  // An item queued for export reaches its agent at once when it is connected.
  app->approvals_->queues().SetExportQueuedCallback(
      [hub = &app->hub_](int64_t connection_id) { hub->WakeConnection(connection_id); });
  app->control_service_ = std::make_unique<AgentControlService>(
      app->auth_.get(), &app->store_->agent_control(), &app->hub_, &app->approvals_->queues(),
      app->watch_.get());
  app->agents_calls_ =
      std::make_unique<AgentsCalls>(directory, &app->store_->agent_control(), &app->hub_);
  app->agents_service_ = std::make_unique<AgentsService>(app->auth_.get(), app->agents_calls_.get());
  app->erp_integrations_calls_ =
      std::make_unique<ErpIntegrationsCalls>(&app->approvals_->queues());
  app->erp_integrations_service_ =
      std::make_unique<ErpIntegrationsService>(app->auth_.get(), app->erp_integrations_calls_.get());

  ERPSYNC_ASSIGN_OR_RETURN(const std::shared_ptr<grpc::ServerCredentials> credentials,
                           MakeServerCredentials(config.tls_cert_file, config.tls_key_file,
                                                 config.tls_client_ca_file));
  // gRPC reports only that it could not listen: find out why first.
  ERPSYNC_RETURN_IF_ERROR(CheckCanListen(config.listen));
  if (!config.metrics.listen.empty()) {
    ERPSYNC_ASSIGN_OR_RETURN(app->metrics_endpoint_,
                             MetricsEndpoint::Start(config.metrics.listen, app->metrics_registry_));
    ERPSYNC_LOG(kInfo) << "erpsync-server metrics on " << app->metrics_endpoint_->url();
  }
  if (config.store.kind == StoreKind::kSqlite) {
    // One server per SQLite store (the agents it serves, its mail): a
    // second would serve some of them and miss the work of the other.
    Result<PidLock> lock = LockSqliteStore(config);
    if (lock.status().code() == StatusCode::kFailedPrecondition) {
      return FailedPreconditionError(lock.status().message() +
                                     ": one server per SQLite store (several servers share a "
                                     "PostgreSQL store, see doc/postgresql.md)");
    }
    if (!lock.ok()) return lock.status();
    app->store_lock_.emplace(*std::move(lock));
  }
  // The web tool, before the gRPC services: mails link to its address
  // from the first call on.
  if (!config.web.listen.empty()) {
    app->web_sessions_ = std::make_unique<WebSessions>(
        app->auth_.get(), &app->store_->sessions(),
        std::chrono::minutes(config.web.session_idle_minutes));
    app->web_api_ = std::make_unique<JsonApi>(
        std::map<std::string, const std::vector<ApiMethod>*, std::less<>>{
            {"ErpIntegrations", &app->erp_integrations_calls_->methods()},
            {"AgentsService", &app->agents_calls_->methods()}});
    WebServerOptions web;
    web.listen = config.web.listen;
    web.assets_dir = config.web.assets_dir;
    web.tls_cert_file = config.tls_cert_file;
    web.tls_key_file = config.tls_key_file;
    web.public_origin = OriginOf(config.web.public_url);
    ERPSYNC_ASSIGN_OR_RETURN(
        app->web_server_, WebServer::Bind(web, app->web_sessions_.get(), app->web_api_.get()));
    ERPSYNC_LOG(kInfo) << "erpsync-server web tool on " << app->web_server_->url();
    app->approvals_->queues().SetWebUrl(
        config.web.public_url.empty() ? app->web_server_->url() : config.web.public_url);
    app->web_server_->Serve();
  }
  // grpc.health.v1.Health (SERVING per service, NOT_SERVING while shutting
  // down) and server reflection, so grpcurl and grpc_cli need no .proto.
  grpc::EnableDefaultHealthCheckService(true);
  grpc::reflection::InitProtoReflectionServerBuilderPlugin();
  grpc::ServerBuilder builder;
  // A second server on a port in use must fail, not share it.
  builder.AddChannelArgument(GRPC_ARG_ALLOW_REUSEPORT, 0);
  builder.AddListeningPort(config.listen, credentials, &app->port_);
  builder.RegisterService(app->sync_service_.get());
  builder.RegisterService(app->records_service_.get());
  builder.RegisterService(app->control_service_.get());
  builder.RegisterService(app->agents_service_.get());
  builder.RegisterService(app->erp_integrations_service_.get());
  // Twice the advertised message limit: a message between the two is
  // refused by the sync stream with INVALID_ARGUMENT naming the limit; gRPC
  // cuts anything larger itself (RESOURCE_EXHAUSTED).
  builder.SetMaxReceiveMessageSize(static_cast<int>(2 * SyncLimits{}.max_message_bytes));
  builder.AddChannelArgument(GRPC_ARG_KEEPALIVE_PERMIT_WITHOUT_CALLS, 1);
  builder.AddChannelArgument(GRPC_ARG_HTTP2_MIN_RECV_PING_INTERVAL_WITHOUT_DATA_MS, 10000);
  builder.AddChannelArgument(GRPC_ARG_HTTP2_MAX_PING_STRIKES, 0);
  app->server_ = builder.BuildAndStart();
  if (!app->server_ || app->port_ == 0) {
    return UnavailableError("cannot start serving on " + config.listen +
                            (config.tls_cert_file.empty()
                                 ? std::string(" (see gRPC's message above)")
                                 : " (does server.tls_key_file match server.tls_cert_file? see "
                                   "gRPC's message above)"));
  }
  for (const char* service : kServedServices) {
    app->server_->GetHealthCheckService()->SetServingStatus(service, true);
  }
  ERPSYNC_LOG(kInfo) << "erpsync-server listening on port " << app->port_
                     << (config.tls_cert_file.empty()          ? " (plaintext)"
                         : config.tls_client_ca_file.empty() ? " (TLS)"
                                                             : " (TLS, client certificates of " +
                                                                   config.tls_client_ca_file +
                                                                   " required)")
                     << ", store "
                     << app->store_->Describe();
  app->approvals_->mail().Start();
  app->watch_->Start();
  app->presence_->Start();
  // Work created through another server of the store reaches the agents
  // connected here.
  app->store_->signals().Start(
      [hub = &app->hub_](int64_t connection_id) { hub->WakeLocal(connection_id); });
  return app;
}

ServerApp::~ServerApp() {
  if (web_server_) web_server_->Stop();
  if (store_) store_->signals().Stop();
  if (approvals_) approvals_->mail().Stop();
  if (watch_) watch_->Stop();
  if (presence_) presence_->Stop();
  if (server_) {
    hub_.EndAll();
    server_->Shutdown(std::chrono::system_clock::now());
    server_->Wait();
  }
}

std::shared_ptr<grpc::Channel> ServerApp::InProcessChannel() {
  return server_->InProcessChannel(grpc::ChannelArguments());
}

void ServerApp::Shutdown(std::chrono::seconds grace) {
  // Health checks answer NOT_SERVING from now on (load balancers stop
  // sending new calls here).
  server_->GetHealthCheckService()->Shutdown();
  if (web_server_) web_server_->Stop();
  sync_service_->BeginShutdown();
  store_->signals().Stop();
  hub_.EndAll();
  approvals_->mail().Stop();
  presence_->Stop();
  server_->Shutdown(std::chrono::system_clock::now() + grace);
}

void ServerApp::Wait() { server_->Wait(); }

}  // namespace erpsync::server
