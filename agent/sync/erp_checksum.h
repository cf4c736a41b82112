// The count and checksum of an entity computed from the ERP, exactly as
// the server computes them from its store (see common/entity_checksum.h):
// what `erpsync-agent erp checksum` prints, to prove the server holds
// exactly the ERP's records. Stateless.
#ifndef ERPSYNC_AGENT_SYNC_ERP_CHECKSUM_H_
#define ERPSYNC_AGENT_SYNC_ERP_CHECKSUM_H_

#include <cstddef>
#include <cstdint>

#include "agent/erp/erp_source.h"
#include "agent/mapping/entity_plan.h"
#include "common/status.h"

namespace erpsync::agent {

struct ErpEntityChecksum {
  uint64_t count = 0;
  uint64_t checksum = 0;
  // Rows that a sync sets aside (RecordReader), left out of count and
  // checksum: the server holds what it last received for those with a key.
  uint64_t quarantined = 0;
};

// Reads every row the plan selects, as a sync reads them (records over
// `max_record_bytes` set aside). Errors of the source as they come.
Result<ErpEntityChecksum> ComputeErpChecksum(ErpSource& erp, const EntityPlan& plan,
                                             size_t max_record_bytes = SIZE_MAX);

}  // namespace erpsync::agent

#endif  // ERPSYNC_AGENT_SYNC_ERP_CHECKSUM_H_
