// RecordStore: the mirrored ERP records of every company and connection,
// keyed by (connection, entity, record key), with content hashes, deep-pass
// generations and per-entity running checksums. Thread-safe.
//
// Exactly-once effect: ApplyBatch upserts idempotently and writes nothing for
// a record whose content hash and generation are unchanged, so a replayed
// batch is harmless. Each call is one transaction: when it returns OK the
// batch is durable and may be acknowledged.
#ifndef ERPSYNC_SERVER_STORE_RECORD_STORE_H_
#define ERPSYNC_SERVER_STORE_RECORD_STORE_H_

#include <string>
#include <vector>

#include "common/record_schema.h"
#include "common/status.h"
#include "server/store/database.h"
#include "server/store/store_types.h"

namespace erpsync::server {

class RecordStore {
 public:
  explicit RecordStore(Database* database) : database_(database) {}

  // Finds or creates the entity of `connection_id` named schema.entity_id()
  // and makes `schema` its current schema (stored once per distinct schema;
  // records written earlier keep the schema they were written with).
  Result<EntityState> OpenEntity(int64_t connection_id, const RecordSchema& schema);

  // Starts a new full pass: allocates generation = last + 1 and makes it the
  // open pass (replacing any open one). Returns the generation.
  Result<uint64_t> BeginPass(int64_t entity_row_id);
  // OK when `generation` is the entity's open pass; FAILED_PRECONDITION
  // otherwise ("pass 7 of jc_transaction is no longer open; start a new deep
  // sync").
  Status ResumePass(int64_t entity_row_id, uint64_t generation);

  // Upserts `records` (one transaction). Live records are stamped with the
  // entity's last allocated generation; `deleted` records are marked deleted
  // (a no-op when unknown or already deleted). Maintains live/deleted counts
  // and the running checksum.
  Result<ApplyCounts> ApplyBatch(int64_t entity_row_id, int64_t schema_id,
                                 const std::vector<IncomingRecord>& records);

  // Closes the open full pass `generation`: live records with an older
  // generation are marked deleted. Returns how many. FAILED_PRECONDITION when
  // it is not the open pass.
  Result<uint64_t> ClosePass(int64_t entity_row_id, uint64_t generation);

  // NOT_FOUND when the connection has no such entity.
  Result<EntityState> GetEntity(int64_t connection_id, const std::string& entity_id);
  Result<std::vector<EntityState>> ListEntities(int64_t connection_id);
  // The schema records with `schema_id` were written with.
  Result<RecordSchema> GetSchema(int64_t schema_id);

  // Records in key order after `after_key` (empty: from the start), at most
  // `limit`.
  Result<RecordPage> ListRecords(int64_t entity_row_id, const std::string& after_key, int limit,
                                 bool include_deleted);

  // Recomputes count and checksum of live records from the rows themselves
  // (the maintained figures in EntityState must always equal this).
  Result<EntityState> RecomputeChecksum(int64_t entity_row_id);

 private:
  Database* database_;
};

}  // namespace erpsync::server

#endif  // ERPSYNC_SERVER_STORE_RECORD_STORE_H_
