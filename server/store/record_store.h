// RecordStore: the mirrored ERP records of every company and connection,
// keyed by (connection, entity, record key), with content hashes, deep-pass
// generations and per-entity running checksums. A stateless view of the
// Database it is given (which must outlive it); thread-safe. Every call may
// also return INTERNAL (or UNAVAILABLE when the file is locked) for store
// failures.
//
// Exactly-once effect: ApplyBatch upserts idempotently and writes nothing for
// a record whose content hash and generation are unchanged, so a replayed
// batch is harmless. Each call is one transaction: when it returns OK the
// batch is durable and may be acknowledged.
#ifndef ERPSYNC_SERVER_STORE_RECORD_STORE_H_
#define ERPSYNC_SERVER_STORE_RECORD_STORE_H_

#include <cstdint>
#include <string>
#include <vector>

#include "common/record_schema.h"
#include "common/status.h"
#include "server/store/store_types.h"

namespace erpsync::server {

class RecordStore {
 public:
  // Most records ListRecords returns at once.
  static constexpr int kMaxPageSize = 10000;

  virtual ~RecordStore() = default;

  // Finds or creates the entity of `connection_id` named schema.entity_id()
  // and makes `schema` its current schema (stored once per distinct schema;
  // records written earlier keep the schema they were written with, and
  // are read by field name: see StoredRecordReader). Fields may be added
  // and removed; a field name keeps its type and scale for good.
  // `schema` need not be finalized. INVALID_ARGUMENT when it is not a valid
  // schema; FAILED_PRECONDITION when it changes the type or scale of a
  // field that any earlier schema of the entity has (CheckSchemaChange:
  // "schema of entity 'jc_job' changes field 'amount' from TEXT to INTEGER;
  // ..."), leaving the current schema as it was; NOT_FOUND for an unknown
  // connection.
  virtual Result<EntityState> OpenEntity(int64_t connection_id, const RecordSchema& schema) = 0;

  // Starts a new full pass: allocates generation = last + 1 and makes it the
  // open pass (replacing any open one). Returns the generation. NOT_FOUND for
  // an unknown entity.
  virtual Result<uint64_t> BeginPass(int64_t entity_row_id) = 0;
  // OK when `generation` is the entity's open pass; FAILED_PRECONDITION
  // otherwise ("pass 7 of jc_transaction is no longer open; start a new deep
  // sync"); NOT_FOUND for an unknown entity.
  virtual Status ResumePass(int64_t entity_row_id, uint64_t generation) = 0;
  // Makes the caller (a sync stream, on this server or another) the owner of
  // the open pass `generation`: bumps the pass's owner epoch and returns it.
  // From then on ApplyBatch and ClosePass naming an older epoch are refused,
  // so a stream superseded by a newer one (its agent reconnected elsewhere,
  // its server hung) cannot write into the pass the newer one continues.
  // FAILED_PRECONDITION as ResumePass; NOT_FOUND for an unknown entity.
  virtual Result<uint64_t> TakePass(int64_t entity_row_id, uint64_t generation) = 0;

  // Upserts `records` (one transaction; on error nothing is stored). Their
  // keys and values are views (see IncomingRecord): the bytes must stay
  // valid until this returns, and are not referred to afterwards. Live
  // records are stamped with the entity's last allocated generation;
  // `deleted` records are marked deleted (keeping their last values). Records
  // are applied in order, so a key repeated in the batch ends as its last
  // occurrence says. Maintains live/deleted counts, the running checksum and
  // last_synced_unix (set when anything was written).
  // Counts, which add up to records.size():
  //   inserted   new key, or a key marked deleted that is live again
  //              (so live_count grows by inserted - deleted);
  //   updated    live record whose content hash changed;
  //   unchanged  live record with the same hash (its generation is
  //              restamped when older), or a deletion of a key that is
  //              unknown or already deleted;
  //   deleted    live record marked deleted.
  // `kept` are keys of records the agent could not read this time
  // (quarantined rows): each live one is kept as it is, only stamped with
  // the entity's generation so that an open full pass counts it as seen
  // (counted in `kept`); unknown or deleted keys are ignored.
  // NOT_FOUND for an unknown entity; INVALID_ARGUMENT when `schema_id` is
  // not one of the entity's schemas or a record or kept key is empty.
  // `pass_epoch`, when not 0, is the epoch TakePass gave the writer: the
  // batch is ABORTED ("... taken over by another stream") unless it is
  // still the open pass's.
  virtual Result<ApplyCounts> ApplyBatch(int64_t entity_row_id, int64_t schema_id,
                                         const std::vector<IncomingRecord>& records,
                                         const std::vector<std::string_view>& kept = {},
                                         uint64_t pass_epoch = 0) = 0;

  // Closes the open full pass `generation`: live records with an older
  // generation are marked deleted. Returns how many. FAILED_PRECONDITION when
  // it is not the open pass; ABORTED when `pass_epoch` (not 0) is no longer
  // the pass's owner epoch (see TakePass); NOT_FOUND for an unknown entity.
  virtual Result<uint64_t> ClosePass(int64_t entity_row_id, uint64_t generation,
                                     uint64_t pass_epoch = 0) = 0;

  // NOT_FOUND when the connection has no such entity.
  virtual Result<EntityState> GetEntity(int64_t connection_id, const std::string& entity_id) = 0;
  // The connection's entities by entity id. NOT_FOUND for an unknown
  // connection.
  virtual Result<std::vector<EntityState>> ListEntities(int64_t connection_id) = 0;
  // The schema records with `schema_id` were written with. NOT_FOUND when
  // there is no such schema.
  virtual Result<RecordSchema> GetSchema(int64_t schema_id) = 0;

  // Records in key order after `after_key` (empty: from the start), at
  // most `limit`, deleted ones only with `include_deleted`. Key order (see
  // record_key.h): keys that are canonical decimal integers ("7", "42",
  // "-3") numerically, then every other key bytewise ("007", "16-001",
  // "abc"); `after_key` takes its place in the same order.
  // INVALID_ARGUMENT unless 1 <= limit <= kMaxPageSize; NOT_FOUND for an
  // unknown entity.
  virtual Result<RecordPage> ListRecords(int64_t entity_row_id, const std::string& after_key, int limit,
                                 bool include_deleted) = 0;

  // The record `key` of the entity, live or marked deleted (a point lookup
  // for rules that check one ERP reference). NOT_FOUND when the entity has
  // no record with that key.
  virtual Result<StoredRecord> GetRecord(int64_t entity_row_id, const std::string& key) = 0;

  // Recomputes live count, deleted count and checksum from the rows
  // themselves (the maintained figures in EntityState must always equal
  // this); the other fields are as stored. Writes nothing. NOT_FOUND for an
  // unknown entity. (CheckEntity's recomputed figures, the same on every
  // backend.)
  Result<EntityState> RecomputeChecksum(int64_t entity_row_id);
  // The stored figures of the entity and the same figures recomputed from
  // its rows, in one read transaction (a full scan of the entity's records:
  // in WAL mode it does not block writers, and a batch committed meanwhile
  // is in neither figure). Writes nothing. NOT_FOUND for an unknown entity.
  virtual Result<EntityCheck> CheckEntity(int64_t entity_row_id) = 0;
  // Recomputes the figures as CheckEntity does and makes them the stored
  // running totals, in one write transaction (it holds the write lock for
  // the scan: syncs of every entity wait meanwhile). Returns the figures as
  // they were before and after. NOT_FOUND for an unknown entity.
  virtual Result<EntityCheck> RepairTotals(int64_t entity_row_id) = 0;
};

}  // namespace erpsync::server

#endif  // ERPSYNC_SERVER_STORE_RECORD_STORE_H_
