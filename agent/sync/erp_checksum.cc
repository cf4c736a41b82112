#include "agent/sync/erp_checksum.h"

#include "agent/mapping/row_encoder.h"
#include "common/entity_checksum.h"

namespace erpsync::agent {

Result<ErpEntityChecksum> ComputeErpChecksum(ErpSource& erp, const EntityPlan& plan) {
  if (plan.reads_nothing()) return ErpEntityChecksum{};
  ERPSYNC_ASSIGN_OR_RETURN(std::unique_ptr<RowCursor> cursor, erp.Read(plan.FieldsRead()));
  RowEncoder encoder(&plan, RowEncoder::Stamps::kSkip);
  EntityChecksum checksum;
  while (true) {
    ERPSYNC_ASSIGN_OR_RETURN(const bool has_row, cursor->Next());
    if (!has_row) break;
    ERPSYNC_RETURN_IF_ERROR(encoder.Encode(*cursor));
    checksum.Add(encoder.key(), encoder.content_hash());
  }
  return ErpEntityChecksum{checksum.count(), checksum.value()};
}

}  // namespace erpsync::agent
