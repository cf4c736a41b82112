// The rules every RecordStore backend applies the same way (private to
// server/store/ and its backends; record_store.h says what the calls do):
// how a stored schema is written and read back, what one incoming record
// does to the stored one and how a batch's counts, live/deleted count
// deltas and checksum delta add up, the checks of a batch and of a page
// size, and the messages the backends share. Pure functions and value
// types; thread-compatible.
#ifndef ERPSYNC_SERVER_STORE_RECORD_RULES_H_
#define ERPSYNC_SERVER_STORE_RECORD_RULES_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/entity_checksum.h"
#include "common/record_schema.h"
#include "common/status.h"
#include "server/store/store_types.h"

namespace erpsync::server::store_internal {

// NOT_FOUND "entity <id> does not exist".
Status EntityNotFoundError(int64_t entity_row_id);

// A schema as OpenEntity stores it: finalized, and its definition (a
// serialized v1::EntitySchema).
struct SchemaToStore {
  RecordSchema schema;
  std::string definition;
};

// Finalizes `schema` and serializes it. INVALID_ARGUMENT when it is not a
// valid schema (RecordSchema::Finalize's message); INTERNAL when it cannot
// be serialized.
Result<SchemaToStore> PrepareSchema(const RecordSchema& schema);

// The schema stored as `definition` with id `schema_id`. INTERNAL "stored
// schema <id> is unreadable" / "... is invalid: ..." when it is not one.
Result<RecordSchema> ParseStoredSchema(int64_t schema_id, std::string_view definition);

// CheckSchemaChange of `next` against the schema stored as `definition`
// (an earlier schema of the same entity: a field removed and added back
// keeps its type, as records written before still hold it).
Status CheckAgainstStoredSchema(int64_t schema_id, std::string_view definition,
                                const RecordSchema& next);

// FAILED_PRECONDITION "pass <generation> of <entity_id> is no longer open;
// start a new deep sync" unless `generation` is the open pass (not 0).
Status CheckPassOpen(const std::string& entity_id, uint64_t open_pass, uint64_t generation);

// OK when `pass_epoch` is 0 (the writer claims no pass) or the pass's
// owner epoch `current_epoch`; ABORTED "pass 7 of jc_transaction was taken
// over by another stream (epoch 3, now 4)" otherwise (RecordStore::TakePass).
Status CheckPassOwner(const std::string& entity_id, uint64_t open_pass, uint64_t current_epoch,
                      uint64_t pass_epoch);

// INVALID_ARGUMENT when a record's key or a kept key is empty ("record 1 of
// the batch for entity 7 has an empty key").
Status CheckBatchKeys(int64_t entity_row_id, const std::vector<IncomingRecord>& records,
                      const std::vector<std::string_view>& kept);

// INVALID_ARGUMENT "page size must be 1..10000, not 0" unless 1 <= limit
// <= RecordStore::kMaxPageSize.
Status CheckPageSize(int limit);

// What ApplyBatch needs to know of a stored record.
struct StoredRecordState {
  uint64_t hash = 0;
  uint64_t generation = 0;
  bool deleted = false;
};

// What applying one incoming record does to the stored one.
enum class RecordChange {
  kInsert,       // new key: a new live record (counted inserted)
  kRevive,       // a record marked deleted is live again, with the new content (inserted)
  kUpdate,       // a live record gets new content (updated)
  kRestamp,      // a live record with the same hash gets the newer generation (unchanged)
  kUnchanged,    // nothing to write (unchanged)
  kMarkDeleted,  // a live record is marked deleted, keeping its values (deleted)
};

// The change `record` makes to `stored` (nullopt: no record with its key),
// live records being stamped with `generation`.
RecordChange ChangeOf(const std::optional<StoredRecordState>& stored, const IncomingRecord& record,
                      uint64_t generation);

// The stored record after `change` by `record` (ChangeOf's answer), live
// records stamped with `generation` (nullopt: still none).
std::optional<StoredRecordState> StateAfter(const std::optional<StoredRecordState>& stored, RecordChange change,
                             const IncomingRecord& record, uint64_t generation);

// The totals of one batch: counts (see RecordStore::ApplyBatch), deltas of
// the entity's figures, and whether anything was written.
class BatchTally {
 public:
  // Counts `change` of the record with `key`: `new_hash` is the incoming
  // content hash, `stored_hash` the stored record's (either ignored where
  // the change does not use it).
  void Count(RecordChange change, std::string_view key, uint64_t new_hash, uint64_t stored_hash);
  // Counts a kept key whose record is live (it is stamped, so written).
  void CountKept();

  const ApplyCounts& counts() const { return counts_; }
  bool written() const { return written_; }
  // `before` with this batch's deltas.
  EntityFigures FiguresAfter(const EntityFigures& before) const;

 private:
  ApplyCounts counts_;
  int64_t live_count_delta_ = 0;
  int64_t deleted_count_delta_ = 0;
  uint64_t checksum_delta_ = 0;
  bool written_ = false;
};

// Recomputes an entity's figures from its record rows, given one by one.
class FiguresRecount {
 public:
  void Add(std::string_view key, uint64_t hash, bool deleted) {
    if (deleted) {
      ++deleted_;
    } else {
      checksum_.Add(key, hash);
    }
  }
  EntityFigures figures() const { return {checksum_.count(), deleted_, checksum_.value()}; }

 private:
  EntityChecksum checksum_;
  uint64_t deleted_ = 0;
};

}  // namespace erpsync::server::store_internal

#endif  // ERPSYNC_SERVER_STORE_RECORD_RULES_H_
