// PgRecordStore: the RecordStore of the PostgreSQL backend (server/store/record_store.h
// says what each call does), over the PgDatabase it is given, which must
// outlive it. Thread-safe.
#ifndef ERPSYNC_SERVER_STORE_POSTGRES_RECORD_STORE_H_
#define ERPSYNC_SERVER_STORE_POSTGRES_RECORD_STORE_H_

#include "server/store/record_store.h"
#include "server/store/postgres/pg_database.h"

namespace erpsync::server {

class PgRecordStore final : public RecordStore {
 public:
  explicit PgRecordStore(PgDatabase* database) : database_(database) {}

  Result<EntityState> OpenEntity(int64_t connection_id, const RecordSchema& schema) override;
  Result<uint64_t> BeginPass(int64_t entity_row_id) override;
  Status ResumePass(int64_t entity_row_id, uint64_t generation) override;
  Result<uint64_t> TakePass(int64_t entity_row_id, uint64_t generation) override;
  Result<ApplyCounts> ApplyBatch(int64_t entity_row_id, int64_t schema_id,
                                 const std::vector<IncomingRecord>& records,
                                 const std::vector<std::string_view>& kept,
                                 uint64_t pass_epoch) override;
  Result<uint64_t> ClosePass(int64_t entity_row_id, uint64_t generation,
                             uint64_t pass_epoch) override;
  Result<EntityState> GetEntity(int64_t connection_id, const std::string& entity_id) override;
  Result<std::vector<EntityState>> ListEntities(int64_t connection_id) override;
  Result<RecordSchema> GetSchema(int64_t schema_id) override;
  Result<RecordPage> ListRecords(int64_t entity_row_id, const std::string& after_key, int limit,
                                 bool include_deleted) override;
  Result<StoredRecord> GetRecord(int64_t entity_row_id, const std::string& key) override;
  Result<EntityCheck> CheckEntity(int64_t entity_row_id) override;
  Result<EntityCheck> RepairTotals(int64_t entity_row_id) override;

 private:
  PgDatabase* database_;
};

}  // namespace erpsync::server

#endif  // ERPSYNC_SERVER_STORE_POSTGRES_RECORD_STORE_H_
