// ServerMetrics: erpsync-server's Prometheus metrics (doc/monitoring.md),
// wired by ServerApp: the sync streams' counters (SyncMetrics), export
// outcomes and mail deliveries as they happen, and the gauges read when
// scraped: approval queue lengths by company and state and the mail outbox
// (from the store, so every server sharing a PostgreSQL store reports the
// same figures), and the agents connected to this server.
//
// Thread-safety: thread-safe; the registry, store and hub given must
// outlive every scrape.
#ifndef ERPSYNC_SERVER_APP_SERVER_METRICS_H_
#define ERPSYNC_SERVER_APP_SERVER_METRICS_H_

#include <vector>

#include "common/metrics/metrics_registry.h"
#include "server/store/approval_types.h"
#include "server/store/store.h"
#include "server/sync/agent_hub.h"
#include "server/sync/sync_metrics.h"

namespace erpsync::server {

// The gauges of the store's approval queues and outbox, as scraped.
std::vector<CollectedGauge> StoreGauges(const std::vector<ItemStateCount>& items,
                                        const OutboxCounts& outbox);

class ServerMetrics {
 public:
  // Registers every family in `registry` and the collectors over `store`
  // and `hub`.
  ServerMetrics(MetricsRegistry* registry, Store* store, const AgentHub* hub);

  const SyncMetrics& sync() const { return sync_; }
  // An agent's export outcome was applied to `item`.
  void ExportApplied(const ApprovalItem& item, bool exported) const;
  // A mail delivery was attempted.
  void MailAttempted(bool delivered) const;

 private:
  SyncMetrics sync_;
  CounterFamily exports_;
  CounterFamily mail_;
};

}  // namespace erpsync::server

#endif  // ERPSYNC_SERVER_APP_SERVER_METRICS_H_
