// PgBatchWriter: the record writes of PgRecordStore::ApplyBatch, set-based
// so that a batch of thousands costs a handful of statements, not one per
// record: one SELECT reads the stored state of every key of the batch
// (given as a BYTEA array), the batch is then worked out in memory by the
// shared rules (record_rules.h: what each record does, in order, and the
// counts and checksum delta), and the result is written with at most three
// statements: a binary COPY of the new records (in key order), one upsert
// of the records written whole and one of those only restamped or marked
// deleted (each given arrays of their new values). Each statement probes
// the primary key once per key, whatever the table's statistics (see
// pg_batch_writer.cc).
// Internal to server/store/postgres/ (record_store.cc is its one user).
//
// Thread-safety: none of its own; used on the thread of ApplyBatch's write
// transaction, which holds the entity's row lock, so that no other writer
// changes the entity's records between the read and the writes.
#ifndef ERPSYNC_SERVER_STORE_POSTGRES_PG_BATCH_WRITER_H_
#define ERPSYNC_SERVER_STORE_POSTGRES_PG_BATCH_WRITER_H_

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "server/store/postgres/pg_connection.h"
#include "server/store/record_rules.h"
#include "server/store/store_types.h"

namespace erpsync::server::pg {

// The distinct keys of one batch (its records' keys and kept keys), in the
// order they first appear, with their stored forms (pg_record_key.h), and
// which of them each record and kept key is. Two keys are the same stored
// key exactly when their texts are equal (an integer key's text is
// canonical), so the texts identify them. Refers to the keys' bytes, which
// must outlive it.
class PgBatchKeys {
 public:
  PgBatchKeys(const std::vector<IncomingRecord>& records,
              const std::vector<std::string_view>& kept);

  size_t size() const { return keys_.size(); }
  // Key `slot` as the agent sent it, and its stored form.
  std::string_view key(size_t slot) const { return keys_[slot]; }
  std::string_view encoded(size_t slot) const;
  // The slot of records[i] and of kept[i].
  size_t record_slot(size_t i) const { return record_slots_[i]; }
  size_t kept_slot(size_t i) const { return kept_slots_[i]; }

 private:
  // The slots of records whose stored keys strictly increase (a deep
  // sync's batches: the agent sends keys in order), without a map of the
  // keys seen: each is a slot of its own. False, with nothing added, when
  // a key is not above the one before.
  bool AddInOrder(const std::vector<IncomingRecord>& records);

  std::vector<std::string_view> keys_;
  std::string encoded_;               // the stored forms, one after the other
  std::vector<size_t> encoded_ends_;  // where each ends in encoded_
  std::vector<uint32_t> record_slots_;
  std::vector<uint32_t> kept_slots_;
};

class PgBatchWriter {
 public:
  // A batch of the entity (`company_id`, `entity_row_id`) written with
  // schema `schema_id`, live records stamped with `generation` and `now`
  // (their updated_unix). `what` names the work in errors.
  PgBatchWriter(PgConnection& connection, std::string what, int64_t company_id,
                int64_t entity_row_id, int64_t schema_id, uint64_t generation, int64_t now);

  // For a batch of enough keys to be worth it, the statement that says
  // whether any record of the entity is stored in the range of `keys`
  // (one BOOLEAN): when none is (a deep sync's first pass, in key order),
  // Plan has nothing to read. Run it after the entity's lock is taken, and
  // give Plan its answer. nullopt for a small batch.
  static std::optional<PgStatement> RangeProbe(const PgBatchKeys& keys, int64_t company_id,
                                               int64_t entity_row_id);

  // Reads the stored records of `keys` and works out what `records`
  // (in order: a key repeated ends as its last occurrence says) and then
  // `kept` do to them (see RecordStore::ApplyBatch). `keys` are the keys
  // of `records` and `kept`; all three must outlive the writer.
  // `any_stored`: RangeProbe's answer, when it gave a statement.
  Status Plan(const PgBatchKeys& keys, const std::vector<IncomingRecord>& records,
              const std::vector<std::string_view>& kept, std::optional<bool> any_stored);

  // What the planned batch counts and changes.
  const store_internal::BatchTally& tally() const { return tally_; }

  // Writes what Plan worked out. INTERNAL when an UPDATE does not find
  // every row it should (a broken invariant; the transaction rolls back).
  Status Write();

 private:
  // What the batch does to the stored record of one key.
  struct Outcome {
    std::optional<store_internal::StoredRecordState> stored;  // before the batch
    std::optional<store_internal::StoredRecordState> state;   // after the records so far
    const IncomingRecord* content = nullptr;  // whose values it ends with, when rewritten
  };

  Status ReadStored(std::optional<bool> any_stored);
  // COPY of new records (`slots` of outcomes_).
  Status CopyNew(const std::vector<size_t>& slots);
  // Upsert of records written whole: new, revived or updated.
  Status WriteContent(const std::vector<size_t>& slots);
  // Upsert of the generation and deleted flag of stored records.
  Status RestampOrMark(const std::vector<size_t>& slots);
  // INTERNAL unless `result` changed `expected` rows.
  Status CheckChanged(const PgResult& result, size_t expected, std::string_view how) const;

  PgConnection& connection_;
  const std::string what_;
  const int64_t company_id_;
  const int64_t entity_row_id_;
  const int64_t schema_id_;
  const uint64_t generation_;
  const int64_t now_;
  const PgBatchKeys* keys_ = nullptr;
  std::vector<Outcome> outcomes_;  // by slot of keys_
  store_internal::BatchTally tally_;
};

}  // namespace erpsync::server::pg

#endif  // ERPSYNC_SERVER_STORE_POSTGRES_PG_BATCH_WRITER_H_
