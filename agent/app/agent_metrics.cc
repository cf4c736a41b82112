#include "agent/app/agent_metrics.h"

#include "agent/state/effective_settings.h"

namespace erpsync::agent {

AgentMetrics::AgentMetrics(MetricsRegistry* registry)
    : runs_(registry->Counter("erpsync_agent_sync_runs_total",
                              "Sync runs by kind (deep, incremental) and outcome: ok, failed "
                              "(a record type failed or rows were set aside), error (the run "
                              "could not start or went on failing: server or ERP unreachable)")),
      durations_(registry->Histogram("erpsync_agent_sync_duration_seconds",
                                     "How long sync runs took, by kind",
                                     {1, 5, 15, 60, 300, 900, 3600, 4 * 3600.0, 12 * 3600.0})),
      last_success_(registry->Gauge(
          "erpsync_agent_last_successful_sync_timestamp_seconds",
          "When a sync of the record type last completed without error (unix seconds)")),
      quarantined_(registry->Gauge(
          "erpsync_agent_quarantined_rows",
          "Rows of the record type set aside (not sent: bad ERP data) by its last sync")),
      records_sent_(registry->Counter("erpsync_agent_records_sent_total",
                                      "Records sent to the server (deletions included)")),
      failures_(registry->Counter("erpsync_agent_record_type_failures_total",
                                  "Syncs of a record type that failed, by cause: erp or server")),
      bytes_sent_(registry->Counter("erpsync_agent_sent_bytes_total",
                                    "Bytes of record batches sent (compressed records)")),
      reconnects_(registry->Counter(
          "erpsync_agent_reconnects_total",
          "Times a sync run reconnected to the server after losing it (retries)")),
      exports_(registry->Counter("erpsync_agent_exports_total",
                                 "Exports from the cloud applied to the ERP, by outcome: "
                                 "exported or failed")) {}

void AgentMetrics::Seed(const Catalog& catalog, StateStore& state) const {
  for (const char* kind : {"deep", "incremental"}) {
    for (const char* outcome : {"ok", "failed", "error"}) {
      runs_.Touch({{"kind", kind}, {"outcome", outcome}});
    }
  }
  reconnects_.Touch({});
  bytes_sent_.Touch({});
  for (const char* outcome : {"exported", "failed"}) exports_.Touch({{"outcome", outcome}});
  for (const MappingDefinition& mapping : catalog.mappings()) {
    const Result<MappingSettings> settings = EffectiveSettings(state, mapping);
    if (!settings.ok() || !settings->enabled) continue;
    const Result<EntityProgress> progress = state.GetProgress(mapping.id());
    if (progress.ok() && progress->last_sync_unix > 0 && progress->last_error.empty()) {
      last_success_.Set({{"record_type", mapping.id()}},
                        static_cast<double>(progress->last_sync_unix));
    }
  }
}

void AgentMetrics::RunDone(bool deep, const Result<SyncReport>& report, int64_t now_unix) const {
  const std::string kind = deep ? "deep" : "incremental";
  if (!report.ok()) {
    runs_.Increment({{"kind", kind}, {"outcome", "error"}});
    return;
  }
  const bool ok = report->ok() && report->quarantined() == 0;
  runs_.Increment({{"kind", kind}, {"outcome", ok ? "ok" : "failed"}});
  durations_.Observe({{"kind", kind}}, report->seconds);
  bytes_sent_.Increment({}, static_cast<double>(report->bytes_sent));
  reconnects_.Increment({}, report->reconnects);
  for (const EntityReport& entity : report->entities) {
    const MetricLabels labels = {{"record_type", entity.entity_id}};
    records_sent_.Increment(labels, static_cast<double>(entity.records_sent));
    if (!entity.error.empty()) {
      failures_.Increment(
          {{"record_type", entity.entity_id}, {"cause", entity.erp_failure ? "erp" : "server"}});
      continue;
    }
    quarantined_.Set(labels, static_cast<double>(entity.quarantined));
    if (!entity.skipped) last_success_.Set(labels, static_cast<double>(now_unix));
  }
}

void AgentMetrics::ExportDone(bool ok) const {
  exports_.Increment({{"outcome", ok ? "exported" : "failed"}});
}

}  // namespace erpsync::agent
