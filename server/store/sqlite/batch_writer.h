// BatchWriter: the record writes of RecordStore::ApplyBatch. Applies one
// batch of records to the records table of one entity: picks per record
// the statement that is likely enough (insert, restamp, or lookup first),
// inserts runs of new keys with multi-row INSERTs, and totals what it did
// (counts, live/deleted count deltas, checksum delta) for ApplyBatch to
// store in the entity row (by the rules of record_rules.h). Internal to server/store/ (record_store.cc is
// its one user); not part of the store's interface.
//
// Thread-safety: none of its own. One BatchWriter per batch, used on the
// thread that runs ApplyBatch's write transaction, which owns the write
// connection and the cached statements BatchWriter binds until it returns.
#ifndef ERPSYNC_SERVER_STORE_SQLITE_BATCH_WRITER_H_
#define ERPSYNC_SERVER_STORE_SQLITE_BATCH_WRITER_H_

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "server/store/record_key.h"
#include "server/store/record_rules.h"
#include "server/store/store_types.h"

namespace erpsync::server::store_internal {

// Applies one batch on the write connection inside its transaction. Every
// call may throw SQLite::Exception (the transaction then rolls back).
class BatchWriter {
 public:
  // Prepares (or takes from the statement cache of `db`, the connection of
  // the running write) the statements, bound to the entity's row id, the
  // batch's schema id, the entity's last allocated generation (stamped on
  // live records) and `now` (their updated_unix).
  BatchWriter(SQLite::Database& db, int64_t entity_row_id, int64_t schema_id, uint64_t generation,
              int64_t now);

  // Applies `records` in order (a key repeated in the batch ends as its last
  // occurrence says).
  void ApplyAll(const std::vector<IncomingRecord>& records);

  // Stamps the live record of `key`, if any, with the generation, leaving
  // it as it is otherwise (a quarantined row: see RecordStore::ApplyBatch).
  void Keep(std::string_view key);

  // Starts with insert-first when the entity has no rows at all.
  void set_expect_new(bool expect_new) { guess_ = expect_new ? Guess::kNew : Guess::kUnknown; }

  // What the records applied so far did (see RecordStore::ApplyBatch).
  const BatchTally& tally() const { return tally_; }

 private:

  // A record of the bulk path with its key in stored form.
  struct Keyed {
    StoredKey key;
    const IncomingRecord* record;
  };

  // Applies one record, by the statements its guess (guess_) picks first.
  void Apply(const IncomingRecord& record);

  // Worth the bulk path: enough live records and a new first key.
  bool BulkCandidate(const std::vector<IncomingRecord>& records);

  // Binds `key` to parameter `index` of `statement`. A text key is copied
  // into key_texts_[text_slot] first: keys bound to one statement at once
  // need distinct slots. Statements run one at a time, each right after its
  // keys are bound, so a slot is free again once its statement ran.
  void BindKey(SQLite::Statement& statement, int index, const StoredKey& key, size_t text_slot = 0);
  void BindKey(SQLite::Statement& statement, int index, std::string_view key);

  // The stored keys of the entity in [first, last], in key order, at most
  // `limit` of them; valid until the next call.
  std::vector<StoredKey> StoredKeysBetween(const StoredKey& first, const StoredKey& last,
                                           size_t limit);

  // Inserts `rows` new live records with distinct keys, none stored, with
  // `statement` (a bulk insert of that many rows).
  void BulkInsert(SQLite::Statement& statement, const Keyed* const* chunk, int rows);

  std::optional<StoredRecordState> Lookup(std::string_view key);

  // Inserts a new live record; false when the key exists.
  bool TryInsert(const IncomingRecord& record);

  // Restamps a live record with the same hash and an older generation
  // (counted unchanged); false when the record is anything else.
  bool TryRestamp(const IncomingRecord& record);

  void Write(SQLite::Statement& statement, const IncomingRecord& record);

  void BindContent(SQLite::Statement& statement, const IncomingRecord& record);

  void ApplyDeletion(const IncomingRecord& record);

  SQLite::Statement& lookup_;
  SQLite::Statement& insert_;
  SQLite::Statement& update_;
  SQLite::Statement& restamp_;
  SQLite::Statement& restamp_if_unchanged_;
  SQLite::Statement& mark_deleted_;
  SQLite::Statement& keep_;
  SQLite::Statement& stored_in_range_;
  SQLite::Statement& bulk_insert_;
  SQLite::Statement& small_bulk_insert_;
  std::vector<std::string> stored_texts_;  // what StoredKeysBetween's keys refer to
  std::vector<std::string> key_texts_;     // kBulkRows slots for BindKey
  const uint64_t generation_;
  // What the previous record turned out to be.
  enum class Guess { kUnknown, kNew, kRestamp };
  Guess guess_ = Guess::kUnknown;
  BatchTally tally_;
};

}  // namespace erpsync::server::store_internal

#endif  // ERPSYNC_SERVER_STORE_SQLITE_BATCH_WRITER_H_
