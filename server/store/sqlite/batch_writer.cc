#include "server/store/sqlite/batch_writer.h"

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Exception.h>
#include <SQLiteCpp/Statement.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "server/store/sqlite/sqlite_util.h"
#include "server/store/sqlite/stored_key_binding.h"

namespace erpsync::server::store_internal {
namespace {

// Binds `values` to parameter `index` as a BLOB, without a copy. An empty
// view may have no data pointer, which SQLite would bind as NULL: it gets a
// zero-length blob like any other empty payload.
void BindPayload(SQLite::Statement& statement, int index, std::string_view values) {
  static constexpr char kEmpty[1] = {};
  statement.bindNoCopy(index, values.empty() ? kEmpty : values.data(),
                       static_cast<int>(values.size()));
}

// The statements of ApplyBatch. Parameters ?1 (entity row id) and, where
// present, ?3 (schema id), ?5 (generation) and ?6 (time) are the same for a
// whole batch and bound once; ?2 (key), ?4 (hash) and ?7 (payload) per record.
constexpr std::string_view kLookupRecord =
    "SELECT hash, generation, deleted FROM records WHERE entity_row_id = ?1 AND key = ?2";
constexpr std::string_view kInsertRecord =
    "INSERT INTO records (entity_row_id, key, schema_id, hash, generation, deleted, "
    "updated_unix, payload) VALUES (?1, ?2, ?3, ?4, ?5, 0, ?6, ?7) ON CONFLICT DO NOTHING";
constexpr std::string_view kUpdateRecord =
    "UPDATE records SET schema_id = ?3, hash = ?4, generation = ?5, deleted = 0, "
    "updated_unix = ?6, payload = ?7 WHERE entity_row_id = ?1 AND key = ?2";
constexpr std::string_view kRestampRecord =
    "UPDATE records SET generation = ?5 WHERE entity_row_id = ?1 AND key = ?2";
// Restamps a live record only when its hash is unchanged and its generation
// older: the whole of a record's work in a later deep pass, in one statement.
constexpr std::string_view kRestampIfUnchanged =
    "UPDATE records SET generation = ?5 WHERE entity_row_id = ?1 AND key = ?2 AND hash = ?4 "
    "AND deleted = 0 AND generation < ?5";
// Keeps a live record as it is, seen by the pass of generation ?5.
constexpr std::string_view kKeepRecord =
    "UPDATE records SET generation = MAX(generation, ?5) WHERE entity_row_id = ?1 AND key = ?2 "
    "AND deleted = 0";
constexpr std::string_view kMarkRecordDeleted =
    "UPDATE records SET deleted = 1, updated_unix = ?6 WHERE entity_row_id = ?1 AND key = ?2";

// The stored keys in [?2, ?3], at most ?4 of them.
constexpr std::string_view kStoredKeysInRange =
    "SELECT key FROM records WHERE entity_row_id = ?1 AND key >= ?2 AND key <= ?3 LIMIT ?4";

// The bulk path looks up at most this many stored keys per incoming record
// in a batch's key range; more (a sparse batch among dense stored keys)
// and the batch goes record by record.
constexpr size_t kStoredKeysPerRecord = 4;

// Rows per multi-row INSERT of the bulk path: one statement execution per
// chunk of new records instead of one per record. A batch is cut into chunks
// of kBulkRows, then of kSmallBulkRows; the few left go one by one.
constexpr int kBulkRows = 128;
constexpr int kSmallBulkRows = 16;

// OR IGNORE, not ON CONFLICT DO NOTHING: a statement that may abort half
// way (the default ABORT of the NOT NULL constraints) and writes many rows
// makes SQLite keep a statement journal, copying every page it changes a
// second time in a transaction (a deep sync's right edge, every statement)
// so that it could undo just that statement. The bulk path never needs
// that: its keys are new and none of its values is NULL (a row skipped all
// the same fails the row count check, and the whole transaction rolls back).
std::string MakeBulkInsertSql(int rows) {
  std::string sql =
      "INSERT OR IGNORE INTO records (entity_row_id, key, schema_id, hash, generation, deleted, "
      "updated_unix, payload) VALUES ";
  for (int row = 0; row < rows; ++row) {
    const int first = 5 + 3 * row;
    if (row > 0) sql += ", ";
    sql += "(?1, ?" + std::to_string(first) + ", ?2, ?" + std::to_string(first + 1) +
           ", ?3, 0, ?4, ?" + std::to_string(first + 2) + ")";
  }
  return sql;
}

// INSERT of `rows` (kBulkRows or kSmallBulkRows) new live records: ?1 entity
// row id, ?2 schema id, ?3 generation, ?4 time; then key, hash and payload of
// each row.
const std::string& BulkInsertSql(int rows) {
  static const std::string kLarge = MakeBulkInsertSql(kBulkRows);
  static const std::string kSmall = MakeBulkInsertSql(kSmallBulkRows);
  return rows == kBulkRows ? kLarge : kSmall;
}

}  // namespace

BatchWriter::BatchWriter(SQLite::Database& db, int64_t entity_row_id, int64_t schema_id,
                         uint64_t generation, int64_t now)
    : lookup_(CachedStatement(db, kLookupRecord)),
      insert_(CachedStatement(db, kInsertRecord)),
      update_(CachedStatement(db, kUpdateRecord)),
      restamp_(CachedStatement(db, kRestampRecord)),
      restamp_if_unchanged_(CachedStatement(db, kRestampIfUnchanged)),
      mark_deleted_(CachedStatement(db, kMarkRecordDeleted)),
      keep_(CachedStatement(db, kKeepRecord)),
      stored_in_range_(CachedStatement(db, kStoredKeysInRange)),
      bulk_insert_(CachedStatement(db, BulkInsertSql(kBulkRows))),
      small_bulk_insert_(CachedStatement(db, BulkInsertSql(kSmallBulkRows))),
      key_texts_(kBulkRows),
      generation_(generation) {
  lookup_.bind(1, entity_row_id);
  insert_.bind(1, entity_row_id);
  insert_.bind(3, schema_id);
  insert_.bind(5, ToSql(generation));
  insert_.bind(6, now);
  update_.bind(1, entity_row_id);
  update_.bind(3, schema_id);
  update_.bind(5, ToSql(generation));
  update_.bind(6, now);
  restamp_.bind(1, entity_row_id);
  restamp_.bind(5, ToSql(generation));
  restamp_if_unchanged_.bind(1, entity_row_id);
  restamp_if_unchanged_.bind(5, ToSql(generation));
  mark_deleted_.bind(1, entity_row_id);
  mark_deleted_.bind(6, now);
  keep_.bind(1, entity_row_id);
  keep_.bind(5, ToSql(generation));
  stored_in_range_.bind(1, entity_row_id);
  for (SQLite::Statement* bulk : {&bulk_insert_, &small_bulk_insert_}) {
    bulk->bind(1, entity_row_id);
    bulk->bind(2, schema_id);
    bulk->bind(3, ToSql(generation));
    bulk->bind(4, now);
  }
}

// Bulk path: a batch of live records with distinct keys whose first key is
// new (the first pass of a deep sync) is applied in key order: the stored
// keys within the batch's key range are read (one range query); records
// whose keys are among them go through Apply, and the others, all new,
// are inserted by multi-row INSERTs in chunks. Stored keys may fall
// between a batch's new ones (text keys interleave: "J5" < "J50" < "J6"),
// which does not stop the chunks. The order does not matter for distinct
// keys.
void BatchWriter::ApplyAll(const std::vector<IncomingRecord>& records) {
  if (!BulkCandidate(records)) {
    for (const IncomingRecord& record : records) Apply(record);
    return;
  }
  std::vector<Keyed> sorted;
  sorted.reserve(records.size());
  for (const IncomingRecord& record : records) sorted.push_back({StoredKey(record.key), &record});
  // Agents read deep syncs in key order, so a batch usually comes sorted:
  // one pass then shows its keys in order and distinct, and no sort is due.
  const auto not_before = [](const Keyed& a, const Keyed& b) { return !(a.key < b.key); };
  if (std::adjacent_find(sorted.begin(), sorted.end(), not_before) != sorted.end()) {
    std::sort(sorted.begin(), sorted.end(),
              [](const Keyed& a, const Keyed& b) { return a.key < b.key; });
    const auto same_key = [](const Keyed& a, const Keyed& b) { return a.key == b.key; };
    if (std::adjacent_find(sorted.begin(), sorted.end(), same_key) != sorted.end()) {
      for (const IncomingRecord& record : records) Apply(record);
      return;
    }
  }
  const size_t limit = sorted.size() * kStoredKeysPerRecord;
  const std::vector<StoredKey> stored =
      StoredKeysBetween(sorted.front().key, sorted.back().key, limit + 1);
  if (stored.size() > limit) {
    for (const IncomingRecord& record : records) Apply(record);
    return;
  }
  std::vector<const Keyed*> fresh;
  fresh.reserve(sorted.size());
  size_t next_stored = 0;  // both lists are in key order
  for (const Keyed& keyed : sorted) {
    while (next_stored < stored.size() && stored[next_stored] < keyed.key) ++next_stored;
    if (next_stored < stored.size() && stored[next_stored] == keyed.key) {
      guess_ = Guess::kUnknown;  // known: no insert attempt first
      Apply(*keyed.record);
    } else {
      fresh.push_back(&keyed);
    }
  }
  size_t next = 0;
  for (const int rows : {kBulkRows, kSmallBulkRows}) {
    for (; next + static_cast<size_t>(rows) <= fresh.size(); next += rows) {
      BulkInsert(rows == kBulkRows ? bulk_insert_ : small_bulk_insert_, fresh.data() + next, rows);
    }
  }
  for (; next < fresh.size(); ++next) Apply(*fresh[next]->record);
}

void BatchWriter::Apply(const IncomingRecord& record) {
  if (record.deleted) {
    ApplyDeletion(record);
    return;
  }
  // Deep syncs come in long runs of new keys (first pass), of known keys
  // with unchanged content (later passes: only the generation changes) and
  // of unchanged records (replays). A new key costs one B-tree descent with
  // a plain insert, two with lookup + insert; a restamp likewise with a
  // conditional update. So guess from the previous record and try the
  // one-statement form first; a wrong guess costs one descent.
  if (guess_ == Guess::kNew && TryInsert(record)) return;
  if (guess_ == Guess::kRestamp && TryRestamp(record)) return;
  const std::optional<StoredRecordState> existing = Lookup(record.key);
  if (!existing) {
    if (!TryInsert(record)) {
      // Unreachable: the lookup just missed inside our own transaction.
      throw SQLite::Exception("record '" + std::string(record.key) +
                              "' appeared during its insert");
    }
    return;
  }
  guess_ = Guess::kUnknown;
  const RecordChange change = ChangeOf(existing, record, generation_);
  if (change == RecordChange::kRevive || change == RecordChange::kUpdate) {
    Write(update_, record);
  } else if (change == RecordChange::kRestamp) {
    restamp_.reset();
    BindKey(restamp_, 2, record.key);
    restamp_.exec();
    guess_ = Guess::kRestamp;
  }
  tally_.Count(change, record.key, record.content_hash, existing->hash);
}

bool BatchWriter::BulkCandidate(const std::vector<IncomingRecord>& records) {
  if (records.size() < static_cast<size_t>(kSmallBulkRows)) return false;
  for (const IncomingRecord& record : records) {
    if (record.deleted) return false;
  }
  return !Lookup(records.front().key).has_value();
}

void BatchWriter::BindKey(SQLite::Statement& statement, int index, const StoredKey& key,
                          size_t text_slot) {
  BindStoredKey(statement, index, key, &key_texts_[text_slot]);
}

void BatchWriter::BindKey(SQLite::Statement& statement, int index, std::string_view key) {
  BindKey(statement, index, StoredKey(key));
}

std::vector<StoredKey> BatchWriter::StoredKeysBetween(const StoredKey& first, const StoredKey& last,
                                                      size_t limit) {
  stored_texts_.clear();
  stored_in_range_.reset();
  BindKey(stored_in_range_, 2, first, 0);
  BindKey(stored_in_range_, 3, last, 1);
  stored_in_range_.bind(4, static_cast<int64_t>(limit));
  while (stored_in_range_.executeStep()) {
    stored_texts_.push_back(stored_in_range_.getColumn(0).getString());
  }
  stored_in_range_.reset();
  return std::vector<StoredKey>(stored_texts_.begin(), stored_texts_.end());
}

void BatchWriter::BulkInsert(SQLite::Statement& statement, const Keyed* const* chunk, int rows) {
  statement.reset();
  for (int i = 0; i < rows; ++i) {
    const IncomingRecord& record = *chunk[i]->record;
    const int first = 5 + 3 * i;
    BindKey(statement, first, chunk[i]->key, static_cast<size_t>(i));
    statement.bind(first + 1, ToSql(record.content_hash));
    BindPayload(statement, first + 2, record.values);
  }
  if (statement.exec() != rows) {
    // Unreachable: the keys are distinct and none of them is stored.
    throw SQLite::Exception("bulk insert of records '" + std::string(chunk[0]->record->key) +
                            "'..'" + std::string(chunk[rows - 1]->record->key) +
                            "' met stored keys");
  }
  for (int i = 0; i < rows; ++i) {
    const IncomingRecord& record = *chunk[i]->record;
    tally_.Count(RecordChange::kInsert, record.key, record.content_hash, 0);
  }
  guess_ = Guess::kNew;
}

std::optional<StoredRecordState> BatchWriter::Lookup(std::string_view key) {
  lookup_.reset();
  BindKey(lookup_, 2, key);
  if (!lookup_.executeStep()) return std::nullopt;
  const StoredRecordState existing{FromSql(lookup_.getColumn(0).getInt64()),
                                   FromSql(lookup_.getColumn(1).getInt64()),
                                   lookup_.getColumn(2).getInt() != 0};
  lookup_.reset();
  return existing;
}

bool BatchWriter::TryInsert(const IncomingRecord& record) {
  insert_.reset();
  BindContent(insert_, record);
  if (insert_.exec() == 0) {
    guess_ = Guess::kUnknown;
    return false;
  }
  guess_ = Guess::kNew;
  tally_.Count(RecordChange::kInsert, record.key, record.content_hash, 0);
  return true;
}

bool BatchWriter::TryRestamp(const IncomingRecord& record) {
  restamp_if_unchanged_.reset();
  BindKey(restamp_if_unchanged_, 2, record.key);
  restamp_if_unchanged_.bind(4, ToSql(record.content_hash));
  if (restamp_if_unchanged_.exec() == 0) {
    guess_ = Guess::kUnknown;
    return false;
  }
  tally_.Count(RecordChange::kRestamp, record.key, record.content_hash, record.content_hash);
  return true;
}

void BatchWriter::Write(SQLite::Statement& statement, const IncomingRecord& record) {
  statement.reset();
  BindContent(statement, record);
  statement.exec();
}

void BatchWriter::BindContent(SQLite::Statement& statement, const IncomingRecord& record) {
  BindKey(statement, 2, record.key);
  statement.bind(4, ToSql(record.content_hash));
  BindPayload(statement, 7, record.values);
}

void BatchWriter::ApplyDeletion(const IncomingRecord& record) {
  const std::optional<StoredRecordState> existing = Lookup(record.key);
  const RecordChange change = ChangeOf(existing, record, generation_);
  if (change == RecordChange::kMarkDeleted) {
    mark_deleted_.reset();
    BindKey(mark_deleted_, 2, record.key);
    mark_deleted_.exec();
  }
  tally_.Count(change, record.key, record.content_hash, existing ? existing->hash : 0);
}

void BatchWriter::Keep(std::string_view key) {
  keep_.reset();
  BindKey(keep_, 2, key);
  if (keep_.exec() > 0) tally_.CountKept();
}

}  // namespace erpsync::server::store_internal
