#include "server/sync/sync_metrics.h"

namespace erpsync::server {

SyncMetrics::SyncMetrics(MetricsRegistry* registry)
    : batches_(registry->Counter("erpsync_server_batches_received_total",
                                 "Record batches received from agents")),
      bytes_(registry->Counter("erpsync_server_received_bytes_total",
                               "Bytes of record batches received from agents (as sent: "
                               "compressed records)")),
      records_(registry->Counter("erpsync_server_records_received_total",
                                 "Records received from agents and stored (deletions included)")),
      applied_(registry->Counter("erpsync_server_records_applied_total",
                                 "What storing the received records did: change is inserted, "
                                 "updated, unchanged or deleted (deletions of a complete deep "
                                 "sync included)")),
      active_(registry->Gauge("erpsync_server_sync_streams_active", "Sync streams open now")),
      runs_(registry->Counter("erpsync_server_sync_runs_total",
                              "Sync streams ended, by outcome: complete, failed, cancelled")),
      durations_(registry->Histogram(
          "erpsync_server_sync_duration_seconds", "How long sync streams lasted, by outcome",
          {0.1, 0.5, 1, 5, 15, 60, 300, 900, 3600, 4 * 3600.0, 12 * 3600.0})) {
  active_.Set({}, 0);
}

void SyncMetrics::BatchReceived(const std::string& company, const std::string& record_type,
                                size_t bytes) const {
  const MetricLabels labels = {{"company", company}, {"record_type", record_type}};
  batches_.Increment(labels);
  bytes_.Increment({{"company", company}}, static_cast<double>(bytes));
}

void SyncMetrics::BatchStored(const std::string& company, const std::string& record_type,
                              uint64_t records, const ApplyCounts& counts) const {
  MetricLabels labels = {{"company", company}, {"record_type", record_type}};
  records_.Increment(labels, static_cast<double>(records));
  const std::pair<const char*, uint32_t> changes[] = {{"inserted", counts.inserted},
                                                      {"updated", counts.updated},
                                                      {"unchanged", counts.unchanged},
                                                      {"deleted", counts.deleted}};
  for (const auto& [change, count] : changes) {
    labels["change"] = change;
    applied_.Increment(labels, count);
  }
}

void SyncMetrics::DeletedByPass(const std::string& company, const std::string& record_type,
                                uint64_t records) const {
  applied_.Increment({{"company", company}, {"record_type", record_type}, {"change", "deleted"}},
                     static_cast<double>(records));
}

void SyncMetrics::StreamOpened() const { active_.Add({}, 1); }
void SyncMetrics::StreamClosed() const { active_.Add({}, -1); }

void SyncMetrics::StreamEnded(const std::string& company, const std::string& outcome,
                              double seconds) const {
  runs_.Increment({{"company", company}, {"outcome", outcome}});
  durations_.Observe({{"outcome", outcome}}, seconds);
}

}  // namespace erpsync::server
