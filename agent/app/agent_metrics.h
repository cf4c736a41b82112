// AgentMetrics: the Prometheus metrics of `erpsync-agent run`
// (doc/monitoring.md), filled from what the service loop and the export
// worker report: sync runs by kind and outcome and their durations, per
// record type the time of the last successful sync, the rows set aside
// (quarantined), records sent and failures; reconnects, bytes sent and
// export outcomes. Labels are the record type's id, the kind of sync and an
// outcome: bounded by the catalog.
//
// Thread-safety: thread-safe (the registry's families are); the registry
// must outlive it.
#ifndef ERPSYNC_AGENT_APP_AGENT_METRICS_H_
#define ERPSYNC_AGENT_APP_AGENT_METRICS_H_

#include <cstdint>

#include "agent/mapping/catalog.h"
#include "agent/state/state_store.h"
#include "agent/sync/sync_report.h"
#include "common/metrics/metrics_registry.h"
#include "common/status.h"

namespace erpsync::agent {

class AgentMetrics {
 public:
  explicit AgentMetrics(MetricsRegistry* registry);

  // Sets the last successful sync of every enabled record type from the
  // state (so the gauge survives a restart), and the runs' counters at 0.
  void Seed(const Catalog& catalog, StateStore& state) const;
  // A sync run ended at `now_unix`: `deep` or incremental, with its report
  // or the error that kept it from running.
  void RunDone(bool deep, const Result<SyncReport>& report, int64_t now_unix) const;
  // An export was applied (`ok`: written into the ERP) or refused.
  void ExportDone(bool ok) const;

 private:
  CounterFamily runs_;
  HistogramFamily durations_;
  GaugeFamily last_success_;
  GaugeFamily quarantined_;
  CounterFamily records_sent_;
  CounterFamily failures_;
  CounterFamily bytes_sent_;
  CounterFamily reconnects_;
  CounterFamily exports_;
};

}  // namespace erpsync::agent

#endif  // ERPSYNC_AGENT_APP_AGENT_METRICS_H_
