#include "common/sync_limits.h"

namespace erpsync {

void SyncLimitsToProto(const SyncLimits& limits, v1::SyncLimits* proto) {
  proto->set_max_message_bytes(static_cast<uint32_t>(limits.max_message_bytes));
  proto->set_max_batch_bytes(static_cast<uint32_t>(limits.max_batch_bytes));
  proto->set_max_record_bytes(static_cast<uint32_t>(limits.max_record_bytes));
  proto->set_max_batch_records(static_cast<uint32_t>(limits.max_batch_records));
}

SyncLimits SyncLimitsFromProto(const v1::SyncLimits& proto) {
  SyncLimits limits;
  if (proto.max_message_bytes() != 0) limits.max_message_bytes = proto.max_message_bytes();
  if (proto.max_batch_bytes() != 0) limits.max_batch_bytes = proto.max_batch_bytes();
  if (proto.max_record_bytes() != 0) limits.max_record_bytes = proto.max_record_bytes();
  if (proto.max_batch_records() != 0) limits.max_batch_records = proto.max_batch_records();
  return limits;
}

}  // namespace erpsync
