#include "agent/sync/sync_settings.h"

#include <algorithm>

namespace erpsync::agent {

namespace {

// Room left in a record for its key (ERP keys are far shorter), and in a
// batch for the framing of its records.
constexpr size_t kKeyRoomBytes = 64u << 10;

}  // namespace

SyncSettings FitToServer(SyncSettings settings, const SyncLimits& limits) {
  const size_t record_limit =
      limits.max_record_bytes > 2 * kKeyRoomBytes ? limits.max_record_bytes - kKeyRoomBytes
                                                  : limits.max_record_bytes / 2;
  settings.max_record_bytes = std::max<size_t>(1, std::min(settings.max_record_bytes, record_limit));
  // A batch ends once it holds batch_bytes, with the record that crossed it.
  const size_t batch_room = limits.max_batch_bytes > settings.max_record_bytes + kKeyRoomBytes
                                ? limits.max_batch_bytes - settings.max_record_bytes - kKeyRoomBytes
                                : limits.max_batch_bytes / 2;
  settings.batch_bytes = std::max<size_t>(1, std::min(settings.batch_bytes, batch_room));
  settings.batch_records = static_cast<int>(std::max<size_t>(
      1, std::min(static_cast<size_t>(settings.batch_records), limits.max_batch_records)));
  return settings;
}

}  // namespace erpsync::agent
