// Tuning of sync runs, from the [sync] section of agent.conf. Plain data.
#ifndef ERPSYNC_AGENT_SYNC_SYNC_SETTINGS_H_
#define ERPSYNC_AGENT_SYNC_SYNC_SETTINGS_H_

#include <chrono>
#include <cstddef>

#include "common/backoff.h"
#include "common/sync_limits.h"

namespace erpsync::agent {

// The largest sync.max_record_bytes accepted: well under the server's
// message limit, so that a batch of one record always fits.
inline constexpr int kMaxRecordBytesLimit = 16 << 20;

struct SyncSettings {
  // A batch is sent when it holds this many records or bytes.
  int batch_records = 10000;
  size_t batch_bytes = 4u << 20;
  // A row whose record would be larger than this is quarantined, not sent
  // (sync.max_record_bytes; at most kMaxRecordBytesLimit).
  size_t max_record_bytes = 1 << 20;
  // zstd level of the packed record batches (0: not compressed).
  int compression_level = 3;
  // Batches sent but not yet acknowledged, at most.
  int window = 4;
  // Incremental reads stop this far behind the clock, so rows still being
  // written are picked up by the next sync.
  int stamp_lag_seconds = 5;
  // How long a run keeps reconnecting to an unreachable server before it
  // gives up and reports the failure.
  std::chrono::seconds retry_for{120};
  BackoffPolicy backoff;
};

// `settings` cut down to what a server takes (`limits`, from its Hello):
// batches end before max_batch_records and, with the record that ends them,
// within max_batch_bytes; a record over the server's max_record_bytes (less
// room for its key) is set aside instead of sent.
SyncSettings FitToServer(SyncSettings settings, const SyncLimits& limits);

}  // namespace erpsync::agent

#endif  // ERPSYNC_AGENT_SYNC_SYNC_SETTINGS_H_
