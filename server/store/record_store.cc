#include "server/store/record_store.h"

#include <utility>

namespace erpsync::server {

Result<EntityState> RecordStore::RecomputeChecksum(int64_t entity_row_id) {
  ERPSYNC_ASSIGN_OR_RETURN(EntityCheck check, CheckEntity(entity_row_id));
  check.entity.live_count = check.recomputed.live_count;
  check.entity.deleted_count = check.recomputed.deleted_count;
  check.entity.checksum = check.recomputed.checksum;
  return std::move(check.entity);
}

}  // namespace erpsync::server
