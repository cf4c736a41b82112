// The versions of the agent <-> server sync contract
// (protos/erpsync/v1/sync.proto, HelloRequest.protocol_version). A server
// accepts its own version and the one before it, so agents in the field keep
// working while a new wire format rolls out. Constants; thread-safe.
#ifndef ERPSYNC_COMMON_SYNC_PROTOCOL_H_
#define ERPSYNC_COMMON_SYNC_PROTOCOL_H_

#include <cstdint>

namespace erpsync {

// 2: RecordBatch.kept_keys (rows the agent quarantined).
// 3: SyncStart.protocol_version, SyncResponse.failed (a store failure told
//    to the agent rather than a cancelled call).
inline constexpr uint32_t kSyncProtocolVersion = 3;
// The first version whose agents read SyncResponse.failed.
inline constexpr uint32_t kSyncFailedProtocolVersion = 3;
// The oldest version this build still serves: agents of the previous
// release.
inline constexpr uint32_t kOldestSyncProtocolVersion = kSyncProtocolVersion - 1;
// What a peer that does not send the field speaks.
inline constexpr uint32_t kUnversionedSyncProtocol = 1;

// The version a HelloRequest or HelloResponse field carries (0: 1).
inline uint32_t SyncProtocolOf(uint32_t field) {
  return field == 0 ? kUnversionedSyncProtocol : field;
}

}  // namespace erpsync

#endif  // ERPSYNC_COMMON_SYNC_PROTOCOL_H_
