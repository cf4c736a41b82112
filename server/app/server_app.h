// ServerApp: the running erpsync-server: its database and stores, the
// authenticator, the gRPC services and the listening gRPC server. Used by
// `erpsync-server serve` and, with an in-process channel, by service tests.
// Thread-safe.
#ifndef ERPSYNC_SERVER_APP_SERVER_APP_H_
#define ERPSYNC_SERVER_APP_SERVER_APP_H_

#include <grpcpp/grpcpp.h>

#include <chrono>
#include <memory>
#include <optional>
#include <string>

#include "common/metrics/metrics_endpoint.h"
#include "common/metrics/metrics_registry.h"
#include "common/pid_lock.h"
#include "common/status.h"
#include "server/app/approval_module.h"
#include "server/app/open_store.h"
#include "server/app/server_metrics.h"
#include "server/auth/authenticator.h"
#include "server/auth/revocation_watch.h"
#include "server/config/server_config.h"
#include "server/rpc/agent_control_service.h"
#include "server/rpc/agent_sync_service.h"
#include "server/rpc/agents_service.h"
#include "server/rpc/erp_integrations_service.h"
#include "server/rpc/records_service.h"
#include "server/store/store.h"
#include "server/sync/agent_hub.h"
#include "server/sync/control_presence.h"
#include "server/sync/inflight_budget.h"
#include "server/web/json_api.h"
#include "server/web/web_server.h"
#include "server/web/web_sessions.h"

namespace erpsync::server {

// Takes the lock `serve` holds on a SQLite store's data dir for as long as
// it runs (data_dir/serve.lock, a PidLock), as `store restore` and `store
// copy` do: one process at a time serves, replaces or copies the store.
// FAILED_PRECONDITION "erpsync-server (pid N) holds the store in DIR" when
// another has it; INTERNAL when the file cannot be opened.
Result<PidLock> LockSqliteStore(const ServerConfig& config);

class ServerApp {
 public:
  // Opens the store of config (OpenServerStore) and starts listening on config.listen. INVALID_ARGUMENT for bad TLS files,
  // UNAVAILABLE when the address cannot be bound, store errors as they come.
  static Result<std::unique_ptr<ServerApp>> Start(const ServerConfig& config);
  ~ServerApp();

  // The port actually bound (useful with port 0).
  int port() const { return port_; }
  // A channel to this server that bypasses the network (tests).
  std::shared_ptr<grpc::Channel> InProcessChannel();

  // Stops accepting calls, lets open streams end within `grace`, then
  // cancels what is left. Safe to call from a signal-waiting thread.
  void Shutdown(std::chrono::seconds grace);
  // Blocks until the server has shut down.
  void Wait();

  Store& store() { return *store_; }
  DirectoryStore& directory() { return store_->directory(); }
  RecordStore& records() { return store_->records(); }
  // The approval queues, their outbox and mail worker.
  ApprovalModule& approvals() { return *approvals_; }
  AgentControlStore& agent_control() { return store_->agent_control(); }
  AgentHub& hub() { return hub_; }
  // The server's metrics (what its endpoint serves, when config.metrics
  // turns it on).
  const MetricsRegistry& metrics() const { return metrics_registry_; }
  // The web tool's listener; nullptr without one (web.listen empty).
  const WebServer* web_server() const { return web_server_.get(); }
  // The port of the metrics endpoint; 0 without one.
  int metrics_port() const { return metrics_endpoint_ ? metrics_endpoint_->port() : 0; }

 private:
  ServerApp() = default;

  // Before everything that counts into it.
  MetricsRegistry metrics_registry_;
  std::unique_ptr<Store> store_;
  // A SQLite store's data dir is served by this process alone.
  std::optional<PidLock> store_lock_;
  // Before hub_: the hub uses it until its last channel ends.
  std::unique_ptr<ControlPresence> presence_;
  AgentHub hub_;
  std::unique_ptr<Authenticator> auth_;
  std::unique_ptr<RevocationWatch> watch_;
  // Before the sync service, which uses it (destroyed after it).
  std::unique_ptr<InflightBudget> budget_;
  std::unique_ptr<AgentSyncService> sync_service_;
  std::unique_ptr<RecordsService> records_service_;
  std::unique_ptr<AgentControlService> control_service_;
  // The AgentsService methods, served by the gRPC service and the web
  // tool's API.
  std::unique_ptr<AgentsCalls> agents_calls_;
  std::unique_ptr<AgentsService> agents_service_;
  std::unique_ptr<ApprovalModule> approvals_;
  // The ErpIntegrations methods, served by the gRPC service and the web
  // tool's API.
  std::unique_ptr<ErpIntegrationsCalls> erp_integrations_calls_;
  std::unique_ptr<ErpIntegrationsService> erp_integrations_service_;
  std::unique_ptr<grpc::Server> server_;
  int port_ = 0;
  // The web tool (web.listen): its sessions and API before its listener,
  // which uses them.
  std::unique_ptr<WebSessions> web_sessions_;
  std::unique_ptr<JsonApi> web_api_;
  std::unique_ptr<WebServer> web_server_;
  // Before the endpoint, which scrapes it (and so the store and the hub).
  std::unique_ptr<ServerMetrics> metrics_;
  // Last: destroyed first, so no scrape outlives what it reads.
  std::unique_ptr<MetricsEndpoint> metrics_endpoint_;
};

}  // namespace erpsync::server

#endif  // ERPSYNC_SERVER_APP_SERVER_APP_H_
