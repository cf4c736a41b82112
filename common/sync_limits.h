// SyncLimits: the sizes an erpsync-server takes on the Sync stream (the
// proto's SyncLimits, advertised in HelloResponse), with their defaults.
// The server refuses more with INVALID_ARGUMENT naming what; the agent
// sizes its batches to fit and quarantines a record over the record limit.
// Plain data.
#ifndef ERPSYNC_COMMON_SYNC_LIMITS_H_
#define ERPSYNC_COMMON_SYNC_LIMITS_H_

#include <cstddef>
#include <cstdint>

#include "erpsync/v1/sync.pb.h"

namespace erpsync {

struct SyncLimits {
  // One SyncRequest as serialized on the wire.
  size_t max_message_bytes = 8u << 20;
  // One batch's records, decompressed.
  size_t max_batch_bytes = 8u << 20;
  // One record: key plus values.
  size_t max_record_bytes = 4u << 20;
  // Records (or census keys) in one batch.
  size_t max_batch_records = 100'000;
};

void SyncLimitsToProto(const SyncLimits& limits, v1::SyncLimits* proto);
// The limits a server advertised; each field it left at 0 (an older server)
// takes the default.
SyncLimits SyncLimitsFromProto(const v1::SyncLimits& proto);

}  // namespace erpsync

#endif  // ERPSYNC_COMMON_SYNC_LIMITS_H_
