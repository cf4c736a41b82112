#include "server/store/record_store.h"

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>
#include <xxhash.h>

#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "common/entity_checksum.h"
#include "common/schema_proto.h"
#include "erpsync/v1/schema.pb.h"
#include "server/store/record_key.h"
#include "server/store/sqlite_util.h"

namespace erpsync::server {
namespace {

using store_internal::BindBeforeFirstKey;
using store_internal::BindRecordKey;
using store_internal::CachedStatement;
using store_internal::FromSql;
using store_internal::StoredKey;
using store_internal::ToSql;

// One record's term of the entity checksum (see EntityChecksum).
inline uint64_t ChecksumTerm(std::string_view key, uint64_t content_hash) {
  return XXH3_64bits_withSeed(key.data(), key.size(), content_hash);
}

// Binds `values` to parameter `index` as a BLOB, without a copy. An empty
// view may have no data pointer, which SQLite would bind as NULL: it gets a
// zero-length blob like any other empty payload.
void BindPayload(SQLite::Statement& statement, int index, std::string_view values) {
  static constexpr char kEmpty[1] = {};
  statement.bindNoCopy(index, values.empty() ? kEmpty : values.data(),
                       static_cast<int>(values.size()));
}

std::string_view TextOf(const SQLite::Column& column) {
  return std::string_view(column.getText(), static_cast<size_t>(column.getBytes()));
}

std::string BlobOf(const SQLite::Column& column) {
  const int size = column.getBytes();
  if (size == 0) return std::string();
  return std::string(static_cast<const char*>(column.getBlob()), static_cast<size_t>(size));
}

Result<RecordSchema> ParseSchema(int64_t schema_id, const SQLite::Column& definition) {
  v1::EntitySchema proto;
  if (!proto.ParseFromArray(definition.getBlob(), definition.getBytes())) {
    return InternalError("stored schema " + std::to_string(schema_id) + " is unreadable");
  }
  Result<RecordSchema> schema = SchemaFromProto(proto);
  if (!schema.ok()) {
    return InternalError("stored schema " + std::to_string(schema_id) +
                         " is invalid: " + schema.status().message());
  }
  return schema;
}

// Columns read by EntityFromRow; append the WHERE clause.
constexpr std::string_view kSelectEntity =
    "SELECT e.id, e.connection_id, e.entity_id, e.schema_id, e.generation, e.open_pass, "
    "e.live_count, e.deleted_count, e.checksum, e.last_synced_unix, s.definition "
    "FROM entities e JOIN schemas s ON s.id = e.schema_id ";

Result<EntityState> EntityFromRow(SQLite::Statement& row) {
  EntityState state;
  state.id = row.getColumn(0).getInt64();
  state.connection_id = row.getColumn(1).getInt64();
  state.entity_id = row.getColumn(2).getString();
  state.schema_id = row.getColumn(3).getInt64();
  state.generation = FromSql(row.getColumn(4).getInt64());
  state.open_pass = FromSql(row.getColumn(5).getInt64());
  state.live_count = FromSql(row.getColumn(6).getInt64());
  state.deleted_count = FromSql(row.getColumn(7).getInt64());
  state.checksum = FromSql(row.getColumn(8).getInt64());
  state.last_synced_unix = row.getColumn(9).getInt64();
  ERPSYNC_ASSIGN_OR_RETURN(state.schema, ParseSchema(state.schema_id, row.getColumn(10)));
  return state;
}

Result<EntityState> LoadEntity(SQLite::Database& db, int64_t entity_row_id) {
  static const std::string kQuery = std::string(kSelectEntity) + "WHERE e.id = ?1";
  SQLite::Statement& query = CachedStatement(db, kQuery);
  query.bind(1, entity_row_id);
  if (!query.executeStep()) {
    return NotFoundError("entity " + std::to_string(entity_row_id) + " does not exist");
  }
  return EntityFromRow(query);
}

// What pass bookkeeping needs of an entity row.
struct PassState {
  std::string entity_id;
  uint64_t open_pass = 0;
  uint64_t checksum = 0;
  // Live records when the open pass began; -1 when unknown.
  int64_t base_live = -1;
};

// NOT_FOUND when the entity does not exist.
Result<PassState> LoadPassState(SQLite::Database& db, int64_t entity_row_id) {
  SQLite::Statement& query =
      CachedStatement(db,
                      "SELECT entity_id, open_pass, checksum, pass_base_live FROM entities "
                      "WHERE id = ?1");
  query.bind(1, entity_row_id);
  if (!query.executeStep()) {
    return NotFoundError("entity " + std::to_string(entity_row_id) + " does not exist");
  }
  return PassState{query.getColumn(0).getString(), FromSql(query.getColumn(1).getInt64()),
                   FromSql(query.getColumn(2).getInt64()), query.getColumn(3).getInt64()};
}

Status CheckPassOpen(const PassState& pass, uint64_t generation) {
  if (generation == 0 || generation != pass.open_pass) {
    return FailedPreconditionError("pass " + std::to_string(generation) + " of " + pass.entity_id +
                                   " is no longer open; start a new deep sync");
  }
  return Status::Ok();
}

Status CheckConnectionExists(SQLite::Database& db, int64_t connection_id) {
  SQLite::Statement& query = CachedStatement(db, "SELECT 1 FROM connections WHERE id = ?1");
  query.bind(1, connection_id);
  if (!query.executeStep()) {
    return NotFoundError("connection " + std::to_string(connection_id) + " does not exist");
  }
  return Status::Ok();
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

// Applies one batch on the write connection inside its transaction.
class BatchWriter {
 public:
  BatchWriter(SQLite::Database& db, int64_t entity_row_id, int64_t schema_id, uint64_t generation,
              int64_t now)
      : lookup_(CachedStatement(db, kLookupRecord)),
        insert_(CachedStatement(db, kInsertRecord)),
        update_(CachedStatement(db, kUpdateRecord)),
        restamp_(CachedStatement(db, kRestampRecord)),
        restamp_if_unchanged_(CachedStatement(db, kRestampIfUnchanged)),
        mark_deleted_(CachedStatement(db, kMarkRecordDeleted)),
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
    stored_in_range_.bind(1, entity_row_id);
    for (SQLite::Statement* bulk : {&bulk_insert_, &small_bulk_insert_}) {
      bulk->bind(1, entity_row_id);
      bulk->bind(2, schema_id);
      bulk->bind(3, ToSql(generation));
      bulk->bind(4, now);
    }
  }

  // Applies `records` in order (a key repeated in the batch ends as its last
  // occurrence says).
  //
  // Bulk path: a batch of live records with distinct keys whose first key is
  // new (the first pass of a deep sync) is applied in key order: the stored
  // keys within the batch's key range are read (one range query); records
  // whose keys are among them go through Apply, and the others, all new,
  // are inserted by multi-row INSERTs in chunks. Stored keys may fall
  // between a batch's new ones (text keys interleave: "J5" < "J50" < "J6"),
  // which does not stop the chunks. The order does not matter for distinct
  // keys.
  void ApplyAll(const std::vector<IncomingRecord>& records) {
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
        BulkInsert(rows == kBulkRows ? bulk_insert_ : small_bulk_insert_, fresh.data() + next,
                   rows);
      }
    }
    for (; next < fresh.size(); ++next) Apply(*fresh[next]->record);
  }

  // Starts with insert-first when the entity has no rows at all.
  void set_expect_new(bool expect_new) { guess_ = expect_new ? Guess::kNew : Guess::kUnknown; }

  void Apply(const IncomingRecord& record) {
    if (record.deleted) {
      ApplyDeletion(record.key);
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
    std::optional<Existing> existing = Lookup(record.key);
    if (!existing) {
      if (!TryInsert(record)) {
        // Unreachable: the lookup just missed inside our own transaction.
        throw SQLite::Exception("record '" + std::string(record.key) +
                                "' appeared during its insert");
      }
      return;
    }
    guess_ = Guess::kUnknown;
    if (existing->deleted) {
      Write(update_, record);
      ++counts_.inserted;
      ++live_count_delta_;
      --deleted_count_delta_;
      checksum_delta_ += ChecksumTerm(record.key, record.content_hash);
      written_ = true;
    } else if (existing->hash != record.content_hash) {
      Write(update_, record);
      ++counts_.updated;
      checksum_delta_ += ChecksumTerm(record.key, record.content_hash);
      checksum_delta_ -= ChecksumTerm(record.key, existing->hash);
      written_ = true;
    } else {
      if (existing->generation < generation_) {
        restamp_.reset();
        BindKey(restamp_, 2, record.key);
        restamp_.exec();
        written_ = true;
        guess_ = Guess::kRestamp;
      }
      ++counts_.unchanged;
    }
  }

  const ApplyCounts& counts() const { return counts_; }
  int64_t live_count_delta() const { return live_count_delta_; }
  int64_t deleted_count_delta() const { return deleted_count_delta_; }
  uint64_t checksum_delta() const { return checksum_delta_; }
  bool written() const { return written_; }

 private:
  struct Existing {
    uint64_t hash;
    uint64_t generation;
    bool deleted;
  };

  // A record of the bulk path with its key in stored form.
  struct Keyed {
    StoredKey key;
    const IncomingRecord* record;
  };

  // Worth the bulk path: enough live records and a new first key.
  bool BulkCandidate(const std::vector<IncomingRecord>& records) {
    if (records.size() < static_cast<size_t>(kSmallBulkRows)) return false;
    for (const IncomingRecord& record : records) {
      if (record.deleted) return false;
    }
    return !Lookup(records.front().key).has_value();
  }

  // Binds `key` to parameter `index` of `statement`. A text key is copied
  // into key_texts_[text_slot] first: keys bound to one statement at once
  // need distinct slots. Statements run one at a time, each right after its
  // keys are bound, so a slot is free again once its statement ran.
  void BindKey(SQLite::Statement& statement, int index, const StoredKey& key,
               size_t text_slot = 0) {
    key.Bind(statement, index, &key_texts_[text_slot]);
  }
  void BindKey(SQLite::Statement& statement, int index, std::string_view key) {
    BindKey(statement, index, StoredKey(key));
  }

  // The stored keys of the entity in [first, last], in key order, at most
  // `limit` of them; valid until the next call.
  std::vector<StoredKey> StoredKeysBetween(const StoredKey& first, const StoredKey& last,
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

  // Inserts `rows` new live records with distinct keys, none stored, with
  // `statement` (a bulk insert of that many rows).
  void BulkInsert(SQLite::Statement& statement, const Keyed* const* chunk, int rows) {
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
      checksum_delta_ += ChecksumTerm(chunk[i]->record->key, chunk[i]->record->content_hash);
    }
    counts_.inserted += static_cast<uint32_t>(rows);
    live_count_delta_ += rows;
    written_ = true;
    guess_ = Guess::kNew;
  }

  std::optional<Existing> Lookup(std::string_view key) {
    lookup_.reset();
    BindKey(lookup_, 2, key);
    if (!lookup_.executeStep()) return std::nullopt;
    Existing existing{FromSql(lookup_.getColumn(0).getInt64()),
                      FromSql(lookup_.getColumn(1).getInt64()), lookup_.getColumn(2).getInt() != 0};
    lookup_.reset();
    return existing;
  }

  // Inserts a new live record; false when the key exists.
  bool TryInsert(const IncomingRecord& record) {
    insert_.reset();
    BindContent(insert_, record);
    if (insert_.exec() == 0) {
      guess_ = Guess::kUnknown;
      return false;
    }
    guess_ = Guess::kNew;
    ++counts_.inserted;
    ++live_count_delta_;
    checksum_delta_ += ChecksumTerm(record.key, record.content_hash);
    written_ = true;
    return true;
  }

  // Restamps a live record with the same hash and an older generation
  // (counted unchanged); false when the record is anything else.
  bool TryRestamp(const IncomingRecord& record) {
    restamp_if_unchanged_.reset();
    BindKey(restamp_if_unchanged_, 2, record.key);
    restamp_if_unchanged_.bind(4, ToSql(record.content_hash));
    if (restamp_if_unchanged_.exec() == 0) {
      guess_ = Guess::kUnknown;
      return false;
    }
    ++counts_.unchanged;
    written_ = true;
    return true;
  }

  void Write(SQLite::Statement& statement, const IncomingRecord& record) {
    statement.reset();
    BindContent(statement, record);
    statement.exec();
  }

  void BindContent(SQLite::Statement& statement, const IncomingRecord& record) {
    BindKey(statement, 2, record.key);
    statement.bind(4, ToSql(record.content_hash));
    BindPayload(statement, 7, record.values);
  }

  void ApplyDeletion(std::string_view key) {
    std::optional<Existing> existing = Lookup(key);
    if (!existing || existing->deleted) {
      ++counts_.unchanged;
      return;
    }
    mark_deleted_.reset();
    BindKey(mark_deleted_, 2, key);
    mark_deleted_.exec();
    ++counts_.deleted;
    --live_count_delta_;
    ++deleted_count_delta_;
    checksum_delta_ -= ChecksumTerm(key, existing->hash);
    written_ = true;
  }

  SQLite::Statement& lookup_;
  SQLite::Statement& insert_;
  SQLite::Statement& update_;
  SQLite::Statement& restamp_;
  SQLite::Statement& restamp_if_unchanged_;
  SQLite::Statement& mark_deleted_;
  SQLite::Statement& stored_in_range_;
  SQLite::Statement& bulk_insert_;
  SQLite::Statement& small_bulk_insert_;
  std::vector<std::string> stored_texts_;  // what StoredKeysBetween's keys refer to
  std::vector<std::string> key_texts_;     // kBulkRows slots for BindKey
  const uint64_t generation_;
  // What the previous record turned out to be.
  enum class Guess { kUnknown, kNew, kRestamp };
  Guess guess_ = Guess::kUnknown;
  ApplyCounts counts_;
  int64_t live_count_delta_ = 0;
  int64_t deleted_count_delta_ = 0;
  uint64_t checksum_delta_ = 0;
  bool written_ = false;
};

}  // namespace

Result<EntityState> RecordStore::OpenEntity(int64_t connection_id, const RecordSchema& schema) {
  RecordSchema finalized = schema;
  ERPSYNC_RETURN_IF_ERROR(finalized.Finalize());
  v1::EntitySchema proto;
  SchemaToProto(finalized, &proto);
  std::string definition;
  if (!proto.SerializeToString(&definition)) {
    return InternalError("cannot serialize the schema of entity '" + finalized.entity_id() + "'");
  }
  return database_->Write(
      "opening entity '" + finalized.entity_id() + "' of connection " +
          std::to_string(connection_id),
      [&](SQLite::Database& db) -> Result<EntityState> {
        ERPSYNC_RETURN_IF_ERROR(CheckConnectionExists(db, connection_id));
        const int64_t now = database_->NowUnix();
        int64_t entity_row_id = 0;
        int64_t current_schema_id = 0;
        SQLite::Statement& find = CachedStatement(db,
                                                  "SELECT id, ifnull(schema_id, 0) FROM entities "
                                                  "WHERE connection_id = ?1 AND entity_id = ?2");
        find.bind(1, connection_id);
        find.bindNoCopy(2, finalized.entity_id());
        if (find.executeStep()) {
          entity_row_id = find.getColumn(0).getInt64();
          current_schema_id = find.getColumn(1).getInt64();
        } else {
          SQLite::Statement& insert = CachedStatement(
              db, "INSERT INTO entities (connection_id, entity_id) VALUES (?1, ?2)");
          insert.bind(1, connection_id);
          insert.bindNoCopy(2, finalized.entity_id());
          insert.exec();
          entity_row_id = db.getLastInsertRowid();
        }

        int64_t schema_id = 0;
        SQLite::Statement& find_schema =
            CachedStatement(db,
                            "SELECT id FROM schemas "
                            "WHERE entity_row_id = ?1 AND fingerprint = ?2 AND definition = ?3");
        find_schema.bind(1, entity_row_id);
        find_schema.bind(2, ToSql(finalized.fingerprint()));
        find_schema.bindNoCopy(3, definition.data(), static_cast<int>(definition.size()));
        if (find_schema.executeStep()) {
          schema_id = find_schema.getColumn(0).getInt64();
        } else {
          SQLite::Statement& insert = CachedStatement(
              db,
              "INSERT INTO schemas (entity_row_id, fingerprint, definition, created_unix) "
              "VALUES (?1, ?2, ?3, ?4)");
          insert.bind(1, entity_row_id);
          insert.bind(2, ToSql(finalized.fingerprint()));
          insert.bindNoCopy(3, definition.data(), static_cast<int>(definition.size()));
          insert.bind(4, now);
          insert.exec();
          schema_id = db.getLastInsertRowid();
        }
        if (schema_id != current_schema_id) {
          SQLite::Statement& update =
              CachedStatement(db, "UPDATE entities SET schema_id = ?2 WHERE id = ?1");
          update.bind(1, entity_row_id);
          update.bind(2, schema_id);
          update.exec();
        }
        return LoadEntity(db, entity_row_id);
      });
}

Result<uint64_t> RecordStore::BeginPass(int64_t entity_row_id) {
  return database_->Write(
      "starting a full pass of entity " + std::to_string(entity_row_id),
      [&](SQLite::Database& db) -> Result<uint64_t> {
        SQLite::Statement& update = CachedStatement(
            db,
            "UPDATE entities SET generation = generation + 1, open_pass = generation + 1, "
            "pass_base_live = live_count WHERE id = ?1");
        update.bind(1, entity_row_id);
        if (update.exec() == 0) {
          return NotFoundError("entity " + std::to_string(entity_row_id) + " does not exist");
        }
        SQLite::Statement& query =
            CachedStatement(db, "SELECT generation FROM entities WHERE id = ?1");
        query.bind(1, entity_row_id);
        query.executeStep();
        return FromSql(query.getColumn(0).getInt64());
      });
}

Status RecordStore::ResumePass(int64_t entity_row_id, uint64_t generation) {
  return database_->WithReader(
      "resuming pass " + std::to_string(generation) + " of entity " + std::to_string(entity_row_id),
      [&](SQLite::Database& db) -> Status {
        ERPSYNC_ASSIGN_OR_RETURN(const PassState pass, LoadPassState(db, entity_row_id));
        return CheckPassOpen(pass, generation);
      });
}

Result<ApplyCounts> RecordStore::ApplyBatch(int64_t entity_row_id, int64_t schema_id,
                                            const std::vector<IncomingRecord>& records) {
  for (size_t i = 0; i < records.size(); ++i) {
    if (records[i].key.empty()) {
      return InvalidArgumentError("record " + std::to_string(i) + " of the batch for entity " +
                                  std::to_string(entity_row_id) + " has an empty key");
    }
  }
  ApplyCounts counts;
  const Status status = database_->WithWriteTransaction(
      "storing a batch of " + std::to_string(records.size()) + " records of entity " +
          std::to_string(entity_row_id),
      [&](SQLite::Database& db) -> Status {
        SQLite::Statement& entity = CachedStatement(
            db,
            "SELECT generation, live_count, deleted_count, checksum, "
            "(SELECT entity_row_id FROM schemas WHERE id = ?2) FROM entities WHERE id = ?1");
        entity.bind(1, entity_row_id);
        entity.bind(2, schema_id);
        if (!entity.executeStep()) {
          return NotFoundError("entity " + std::to_string(entity_row_id) + " does not exist");
        }
        if (entity.getColumn(4).isNull() || entity.getColumn(4).getInt64() != entity_row_id) {
          return InvalidArgumentError("schema " + std::to_string(schema_id) +
                                      " is not a schema of entity " +
                                      std::to_string(entity_row_id));
        }
        const uint64_t generation = FromSql(entity.getColumn(0).getInt64());
        const uint64_t live_count = FromSql(entity.getColumn(1).getInt64());
        const uint64_t deleted_count = FromSql(entity.getColumn(2).getInt64());
        const uint64_t checksum = FromSql(entity.getColumn(3).getInt64());
        entity.reset();

        const int64_t now = database_->NowUnix();
        BatchWriter writer(db, entity_row_id, schema_id, generation, now);
        writer.set_expect_new(live_count == 0 && deleted_count == 0);
        writer.ApplyAll(records);
        counts = writer.counts();
        if (!writer.written()) return Status::Ok();

        SQLite::Statement& update = CachedStatement(
            db,
            "UPDATE entities SET live_count = ?2, deleted_count = ?3, checksum = ?4, "
            "last_synced_unix = ?5 WHERE id = ?1");
        update.bind(1, entity_row_id);
        update.bind(2, ToSql(live_count + static_cast<uint64_t>(writer.live_count_delta())));
        update.bind(3, ToSql(deleted_count + static_cast<uint64_t>(writer.deleted_count_delta())));
        update.bind(4, ToSql(checksum + writer.checksum_delta()));
        update.bind(5, now);
        update.exec();
        return Status::Ok();
      });
  if (!status.ok()) return status;
  return counts;
}

Result<uint64_t> RecordStore::ClosePass(int64_t entity_row_id, uint64_t generation) {
  return database_->Write(
      "closing pass " + std::to_string(generation) + " of entity " + std::to_string(entity_row_id),
      [&](SQLite::Database& db) -> Result<uint64_t> {
        ERPSYNC_ASSIGN_OR_RETURN(const PassState pass, LoadPassState(db, entity_row_id));
        ERPSYNC_RETURN_IF_ERROR(CheckPassOpen(pass, generation));

        // The checksum terms of the records about to be marked deleted. Every
        // write stamps the record with the open pass's generation, so when
        // nothing was live as the pass began (a first deep sync), no live
        // record can be older: the scan of the whole entity is skipped.
        uint64_t removed_terms = 0;
        uint64_t unseen = 0;
        // ?1 entity row id, ?2 the pass's generation: live records the pass
        // did not write. The scan and the update must select the same rows.
        const std::string unseen_where =
            "WHERE entity_row_id = ?1 AND deleted = 0 AND generation < ?2";
        if (pass.base_live != 0) {
          SQLite::Statement& scan =
              CachedStatement(db, "SELECT key, hash FROM records " + unseen_where);
          scan.bind(1, entity_row_id);
          scan.bind(2, ToSql(generation));
          while (scan.executeStep()) {
            removed_terms +=
                ChecksumTerm(TextOf(scan.getColumn(0)), FromSql(scan.getColumn(1).getInt64()));
            ++unseen;
          }
          scan.reset();
        }

        const int64_t now = database_->NowUnix();
        uint64_t deleted = 0;
        if (unseen > 0) {
          SQLite::Statement& mark = CachedStatement(
              db, "UPDATE records SET deleted = 1, updated_unix = ?3 " + unseen_where);
          mark.bind(1, entity_row_id);
          mark.bind(2, ToSql(generation));
          mark.bind(3, now);
          deleted = static_cast<uint64_t>(mark.exec());
          if (deleted != unseen) {
            return InternalError("closing pass " + std::to_string(generation) + " of " +
                                 pass.entity_id + ": marked " + std::to_string(deleted) +
                                 " records deleted, expected " + std::to_string(unseen));
          }
        }
        SQLite::Statement& update =
            CachedStatement(db,
                            "UPDATE entities SET open_pass = 0, live_count = live_count - ?2, "
                            "deleted_count = deleted_count + ?2, checksum = ?3, "
                            "last_synced_unix = CASE WHEN ?2 > 0 THEN ?4 ELSE last_synced_unix END "
                            "WHERE id = ?1");
        const uint64_t checksum = pass.checksum - removed_terms;
        update.bind(1, entity_row_id);
        update.bind(2, ToSql(deleted));
        update.bind(3, ToSql(checksum));
        update.bind(4, now);
        update.exec();
        return deleted;
      });
}

Result<EntityState> RecordStore::GetEntity(int64_t connection_id, const std::string& entity_id) {
  return database_->Read(
      "reading entity '" + entity_id + "' of connection " + std::to_string(connection_id),
      [&](SQLite::Database& db) -> Result<EntityState> {
        static const std::string kQuery =
            std::string(kSelectEntity) + "WHERE e.connection_id = ?1 AND e.entity_id = ?2";
        SQLite::Statement& query = CachedStatement(db, kQuery);
        query.bind(1, connection_id);
        query.bindNoCopy(2, entity_id);
        if (!query.executeStep()) {
          return NotFoundError("connection " + std::to_string(connection_id) + " has no entity '" +
                               entity_id + "'");
        }
        return EntityFromRow(query);
      });
}

Result<std::vector<EntityState>> RecordStore::ListEntities(int64_t connection_id) {
  return database_->Read(
      "listing entities of connection " + std::to_string(connection_id),
      [&](SQLite::Database& db) -> Result<std::vector<EntityState>> {
        ERPSYNC_RETURN_IF_ERROR(CheckConnectionExists(db, connection_id));
        static const std::string kQuery =
            std::string(kSelectEntity) + "WHERE e.connection_id = ?1 ORDER BY e.entity_id";
        SQLite::Statement& query = CachedStatement(db, kQuery);
        query.bind(1, connection_id);
        std::vector<EntityState> entities;
        while (query.executeStep()) {
          ERPSYNC_ASSIGN_OR_RETURN(EntityState state, EntityFromRow(query));
          entities.push_back(std::move(state));
        }
        return entities;
      });
}

Result<RecordSchema> RecordStore::GetSchema(int64_t schema_id) {
  return database_->Read(
      "reading schema " + std::to_string(schema_id),
      [&](SQLite::Database& db) -> Result<RecordSchema> {
        SQLite::Statement& query =
            CachedStatement(db, "SELECT definition FROM schemas WHERE id = ?1");
        query.bind(1, schema_id);
        if (!query.executeStep()) {
          return NotFoundError("schema " + std::to_string(schema_id) + " does not exist");
        }
        return ParseSchema(schema_id, query.getColumn(0));
      });
}

Result<RecordPage> RecordStore::ListRecords(int64_t entity_row_id, const std::string& after_key,
                                            int limit, bool include_deleted) {
  if (limit < 1 || limit > kMaxPageSize) {
    return InvalidArgumentError("page size must be 1.." + std::to_string(kMaxPageSize) + ", not " +
                                std::to_string(limit));
  }
  return database_->Read(
      "listing records of entity " + std::to_string(entity_row_id),
      [&](SQLite::Database& db) -> Result<RecordPage> {
        ERPSYNC_RETURN_IF_ERROR(LoadPassState(db, entity_row_id).status());
        SQLite::Statement& query = CachedStatement(
            db,
            "SELECT key, schema_id, hash, generation, deleted, updated_unix, payload "
            "FROM records WHERE entity_row_id = ?1 AND key > ?2 AND (?3 OR deleted = 0) "
            "ORDER BY key LIMIT ?4");
        query.bind(1, entity_row_id);
        if (after_key.empty()) {
          BindBeforeFirstKey(query, 2);
        } else {
          BindRecordKey(query, 2, after_key);
        }
        query.bind(3, include_deleted ? 1 : 0);
        query.bind(4, limit + 1);
        RecordPage page;
        page.records.reserve(static_cast<size_t>(limit));
        bool more = false;
        while (query.executeStep()) {
          if (page.records.size() == static_cast<size_t>(limit)) {
            more = true;
            break;
          }
          StoredRecord& record = page.records.emplace_back();
          record.key = query.getColumn(0).getString();
          record.schema_id = query.getColumn(1).getInt64();
          record.content_hash = FromSql(query.getColumn(2).getInt64());
          record.generation = FromSql(query.getColumn(3).getInt64());
          record.deleted = query.getColumn(4).getInt() != 0;
          record.updated_unix = query.getColumn(5).getInt64();
          record.values = BlobOf(query.getColumn(6));
        }
        if (more) page.next_after_key = page.records.back().key;
        return page;
      });
}

Result<StoredRecord> RecordStore::GetRecord(int64_t entity_row_id, const std::string& key) {
  return database_->Read(
      "reading record '" + key + "' of entity " + std::to_string(entity_row_id),
      [&](SQLite::Database& db) -> Result<StoredRecord> {
        SQLite::Statement& query =
            CachedStatement(db,
                            "SELECT schema_id, hash, generation, deleted, updated_unix, payload "
                            "FROM records WHERE entity_row_id = ?1 AND key = ?2");
        query.bind(1, entity_row_id);
        BindRecordKey(query, 2, key);
        if (!query.executeStep()) {
          return NotFoundError("entity " + std::to_string(entity_row_id) + " has no record '" +
                               key + "'");
        }
        StoredRecord record;
        record.key = key;
        record.schema_id = query.getColumn(0).getInt64();
        record.content_hash = FromSql(query.getColumn(1).getInt64());
        record.generation = FromSql(query.getColumn(2).getInt64());
        record.deleted = query.getColumn(3).getInt() != 0;
        record.updated_unix = query.getColumn(4).getInt64();
        record.values = BlobOf(query.getColumn(5));
        return record;
      });
}

Result<EntityState> RecordStore::RecomputeChecksum(int64_t entity_row_id) {
  return database_->Read(
      "recomputing the checksum of entity " + std::to_string(entity_row_id),
      [&](SQLite::Database& db) -> Result<EntityState> {
        ERPSYNC_ASSIGN_OR_RETURN(EntityState state, LoadEntity(db, entity_row_id));
        EntityChecksum checksum;
        uint64_t deleted = 0;
        SQLite::Statement& scan =
            CachedStatement(db, "SELECT key, hash, deleted FROM records WHERE entity_row_id = ?1");
        scan.bind(1, entity_row_id);
        while (scan.executeStep()) {
          if (scan.getColumn(2).getInt() != 0) {
            ++deleted;
          } else {
            checksum.Add(TextOf(scan.getColumn(0)), FromSql(scan.getColumn(1).getInt64()));
          }
        }
        state.live_count = checksum.count();
        state.deleted_count = deleted;
        state.checksum = checksum.value();
        return state;
      });
}

}  // namespace erpsync::server
