#include "agent/sync/erp_checksum.h"

#include "agent/sync/record_reader.h"
#include "common/entity_checksum.h"

namespace erpsync::agent {

Result<ErpEntityChecksum> ComputeErpChecksum(ErpSource& erp, const EntityPlan& plan,
                                             size_t max_record_bytes) {
  if (plan.reads_nothing()) return ErpEntityChecksum{};
  ERPSYNC_ASSIGN_OR_RETURN(std::unique_ptr<RowCursor> cursor, erp.Read(plan.FieldsRead()));
  RecordReader reader(&plan, RecordReader::Options{RowEncoder::Stamps::kSkip, max_record_bytes,
                                                   /*key_ordered=*/true});
  EntityChecksum checksum;
  uint64_t quarantined = 0;
  ERPSYNC_RETURN_IF_ERROR(reader.Run(
      *cursor, [] { return false; },
      [&](const RowEncoder& encoder) {
        checksum.Add(encoder.key(), encoder.content_hash());
        return Status::Ok();
      },
      [&](const SetAsideRow& row) {
        quarantined += row.rows;
        return Status::Ok();
      }));
  return ErpEntityChecksum{checksum.count(), checksum.value(), quarantined};
}

}  // namespace erpsync::agent
