// SyncMetrics: what the sync streams count for Prometheus (doc/monitoring.md):
// batches, bytes and records received and what storing them did, per
// company and record type; open streams; finished streams by outcome and
// their durations. Labels are the company's name and the record type's id,
// so the series are bounded by the companies served times the catalog's
// record types.
//
// A default-constructed SyncMetrics counts nothing (tests of other things).
// Thread-safety: every method is thread-safe (const: the families are
// handles into a thread-safe MetricsRegistry).
#ifndef ERPSYNC_SERVER_SYNC_SYNC_METRICS_H_
#define ERPSYNC_SERVER_SYNC_SYNC_METRICS_H_

#include <cstddef>
#include <cstdint>
#include <string>

#include "common/metrics/metrics_registry.h"
#include "server/store/store_types.h"

namespace erpsync::server {

class SyncMetrics {
 public:
  SyncMetrics() = default;
  // Registers the families in `registry`, which must outlive every use.
  explicit SyncMetrics(MetricsRegistry* registry);

  // A RecordBatch arrived: `bytes` is its size on the wire (after the
  // agent's compression of the records).
  void BatchReceived(const std::string& company, const std::string& record_type,
                     size_t bytes) const;
  // A batch of `records` was stored (committed) with `counts`.
  void BatchStored(const std::string& company, const std::string& record_type, uint64_t records,
                   const ApplyCounts& counts) const;
  // A complete pass or census deleted `records` it did not see.
  void DeletedByPass(const std::string& company, const std::string& record_type,
                     uint64_t records) const;
  // A stream opened / closed (the active streams gauge).
  void StreamOpened() const;
  void StreamClosed() const;
  // A stream ended: `outcome` is "complete", "failed" or "cancelled" (the
  // agent went away, or the server shut down).
  void StreamEnded(const std::string& company, const std::string& outcome, double seconds) const;

 private:
  CounterFamily batches_;
  CounterFamily bytes_;
  CounterFamily records_;
  CounterFamily applied_;
  GaugeFamily active_;
  CounterFamily runs_;
  HistogramFamily durations_;
};

}  // namespace erpsync::server

#endif  // ERPSYNC_SERVER_SYNC_SYNC_METRICS_H_
