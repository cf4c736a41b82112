// AgentSync gRPC service: a thin adapter. Hello authenticates the agent and
// tells it who it is and what the server takes (SyncLimits); Sync
// authenticates, takes a stream slot, watches the token for revocation and
// runs the stream (server/sync/sync_stream_loop.h) over the gRPC stream.
// Thread-safe (one handler per stream).
#ifndef ERPSYNC_SERVER_RPC_AGENT_SYNC_SERVICE_H_
#define ERPSYNC_SERVER_RPC_AGENT_SYNC_SERVICE_H_

#include <atomic>

#include "common/sync_limits.h"
#include "erpsync/v1/sync.grpc.pb.h"
#include "server/auth/authenticator.h"
#include "server/auth/revocation_watch.h"
#include "server/store/directory_store.h"
#include "server/store/record_store.h"
#include "server/sync/inflight_budget.h"
#include "server/sync/sync_metrics.h"

namespace erpsync::server {

class AgentSyncService final : public v1::AgentSync::Service {
 public:
  // Streams refuse batches over `limits` (advertised in Hello) and share
  // `budget` (nullptr: unbounded, for tests of other things). `watch`, when
  // given, cancels a stream whose token is revoked or rotated. `metrics`,
  // when given, counts the streams and what they carry.
  AgentSyncService(Authenticator* auth, DirectoryStore* directory, RecordStore* records,
                   SyncLimits limits = {}, InflightBudget* budget = nullptr,
                   RevocationWatch* watch = nullptr, const SyncMetrics* metrics = nullptr)
      : auth_(auth),
        directory_(directory),
        records_(records),
        limits_(limits),
        budget_(budget),
        watch_(watch),
        metrics_(metrics) {}

  grpc::Status Hello(grpc::ServerContext* context, const v1::HelloRequest* request,
                     v1::HelloResponse* response) override;
  grpc::Status Sync(grpc::ServerContext* context,
                    grpc::ServerReaderWriter<v1::SyncResponse, v1::SyncRequest>* stream) override;

  // From now on, open streams end with UNAVAILABLE after their current
  // message, so agents reconnect (to this server once restarted).
  void BeginShutdown() { shutting_down_.store(true); }

 private:
  Authenticator* auth_;
  DirectoryStore* directory_;
  RecordStore* records_;
  const SyncLimits limits_;
  InflightBudget* const budget_;
  RevocationWatch* const watch_;
  const SyncMetrics* const metrics_;
  std::atomic<bool> shutting_down_{false};
};

}  // namespace erpsync::server

#endif  // ERPSYNC_SERVER_RPC_AGENT_SYNC_SERVICE_H_
