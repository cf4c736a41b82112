#include "server/store/postgres/record_store.h"

namespace erpsync::server {

Result<EntityState> PgRecordStore::OpenEntity(int64_t /*connection_id*/, const RecordSchema& /*schema*/) {
  return UnimplementedError("PgRecordStore::OpenEntity");
}

Result<uint64_t> PgRecordStore::BeginPass(int64_t /*entity_row_id*/) {
  return UnimplementedError("PgRecordStore::BeginPass");
}

Status PgRecordStore::ResumePass(int64_t /*entity_row_id*/, uint64_t /*generation*/) {
  return UnimplementedError("PgRecordStore::ResumePass");
}

Result<ApplyCounts> PgRecordStore::ApplyBatch(int64_t /*entity_row_id*/, int64_t /*schema_id*/,
                                              const std::vector<IncomingRecord>& /*records*/,
                                              const std::vector<std::string_view>& /*kept*/) {
  return UnimplementedError("PgRecordStore::ApplyBatch");
}

Result<uint64_t> PgRecordStore::ClosePass(int64_t /*entity_row_id*/, uint64_t /*generation*/) {
  return UnimplementedError("PgRecordStore::ClosePass");
}

Result<EntityState> PgRecordStore::GetEntity(int64_t /*connection_id*/, const std::string& /*entity_id*/) {
  return UnimplementedError("PgRecordStore::GetEntity");
}

Result<std::vector<EntityState>> PgRecordStore::ListEntities(int64_t /*connection_id*/) {
  return UnimplementedError("PgRecordStore::ListEntities");
}

Result<RecordSchema> PgRecordStore::GetSchema(int64_t /*schema_id*/) {
  return UnimplementedError("PgRecordStore::GetSchema");
}

Result<RecordPage> PgRecordStore::ListRecords(int64_t /*entity_row_id*/, const std::string& /*after_key*/, int /*limit*/, bool /*include_deleted*/) {
  return UnimplementedError("PgRecordStore::ListRecords");
}

Result<StoredRecord> PgRecordStore::GetRecord(int64_t /*entity_row_id*/, const std::string& /*key*/) {
  return UnimplementedError("PgRecordStore::GetRecord");
}

Result<EntityCheck> PgRecordStore::CheckEntity(int64_t /*entity_row_id*/) {
  return UnimplementedError("PgRecordStore::CheckEntity");
}

Result<EntityCheck> PgRecordStore::RepairTotals(int64_t /*entity_row_id*/) {
  return UnimplementedError("PgRecordStore::RepairTotals");
}

}  // namespace erpsync::server
