#include "server/store/sqlite/record_store.h"

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>

#include "common/entity_checksum.h"
#include "server/store/record_key.h"
#include "server/store/record_rules.h"
#include "server/store/sqlite/batch_writer.h"
#include "server/store/sqlite/sqlite_util.h"
#include "server/store/sqlite/stored_key_binding.h"

namespace erpsync::server {
namespace {

using store_internal::BatchTally;
using store_internal::BatchWriter;
using store_internal::BindBeforeFirstKey;
using store_internal::BindRecordKey;
using store_internal::CachedStatement;
using store_internal::CheckPassOpen;
using store_internal::EntityNotFoundError;
using store_internal::FromSql;
using store_internal::ToSql;

std::string_view TextOf(const SQLite::Column& column) {
  return std::string_view(column.getText(), static_cast<size_t>(column.getBytes()));
}

std::string BlobOf(const SQLite::Column& column) {
  const int size = column.getBytes();
  if (size == 0) return std::string();
  return std::string(static_cast<const char*>(column.getBlob()), static_cast<size_t>(size));
}

std::string_view BlobView(const SQLite::Column& column) {
  return std::string_view(static_cast<const char*>(column.getBlob()),
                          static_cast<size_t>(column.getBytes()));
}

Result<RecordSchema> ParseSchema(int64_t schema_id, const SQLite::Column& definition) {
  return store_internal::ParseStoredSchema(schema_id, BlobView(definition));
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
  if (!query.executeStep()) return EntityNotFoundError(entity_row_id);
  return EntityFromRow(query);
}

// What pass bookkeeping needs of an entity row.
struct PassState {
  std::string entity_id;
  uint64_t open_pass = 0;
  uint64_t checksum = 0;
  // Live records when the open pass began; -1 when unknown.
  int64_t base_live = -1;
  uint64_t pass_epoch = 0;
};

// NOT_FOUND when the entity does not exist.
Result<PassState> LoadPassState(SQLite::Database& db, int64_t entity_row_id) {
  SQLite::Statement& query =
      CachedStatement(db,
                      "SELECT entity_id, open_pass, checksum, pass_base_live, pass_epoch "
                      "FROM entities WHERE id = ?1");
  query.bind(1, entity_row_id);
  if (!query.executeStep()) return EntityNotFoundError(entity_row_id);
  PassState pass{query.getColumn(0).getString(), FromSql(query.getColumn(1).getInt64()),
                 FromSql(query.getColumn(2).getInt64()), query.getColumn(3).getInt64(),
                 FromSql(query.getColumn(4).getInt64())};
  query.reset();
  return pass;
}

Status CheckPassOpen(const PassState& pass, uint64_t generation) {
  return CheckPassOpen(pass.entity_id, pass.open_pass, generation);
}

Status CheckConnectionExists(SQLite::Database& db, int64_t connection_id) {
  SQLite::Statement& query = CachedStatement(db, "SELECT 1 FROM connections WHERE id = ?1");
  query.bind(1, connection_id);
  if (!query.executeStep()) {
    return NotFoundError("connection " + std::to_string(connection_id) + " does not exist");
  }
  return Status::Ok();
}

// The schema-change rule (CheckSchemaChange) against every schema the
// entity has had, not only the current one: a field removed and added back
// keeps its type, as records written before still hold it.
Status CheckAgainstEarlierSchemas(SQLite::Database& db, int64_t entity_row_id,
                                  const RecordSchema& next) {
  SQLite::Statement& query =
      CachedStatement(db, "SELECT id, definition FROM schemas WHERE entity_row_id = ?1 ORDER BY id");
  query.bind(1, entity_row_id);
  while (query.executeStep()) {
    Status status = store_internal::CheckAgainstStoredSchema(query.getColumn(0).getInt64(),
                                                             BlobView(query.getColumn(1)), next);
    if (!status.ok()) {
      query.reset();
      return status;
    }
  }
  return Status::Ok();
}

// The stored and recomputed figures of the entity, read with `db` (inside
// the caller's transaction).
Result<EntityCheck> CheckEntityIn(SQLite::Database& db, int64_t entity_row_id) {
  EntityCheck check;
  ERPSYNC_ASSIGN_OR_RETURN(check.entity, LoadEntity(db, entity_row_id));
  check.stored = {check.entity.live_count, check.entity.deleted_count, check.entity.checksum};
  store_internal::FiguresRecount recount;
  SQLite::Statement& scan =
      CachedStatement(db, "SELECT key, hash, deleted FROM records WHERE entity_row_id = ?1");
  scan.bind(1, entity_row_id);
  while (scan.executeStep()) {
    recount.Add(TextOf(scan.getColumn(0)), FromSql(scan.getColumn(1).getInt64()),
                scan.getColumn(2).getInt() != 0);
  }
  check.recomputed = recount.figures();
  return check;
}

}  // namespace

Result<EntityState> SqliteRecordStore::OpenEntity(int64_t connection_id, const RecordSchema& schema) {
  ERPSYNC_ASSIGN_OR_RETURN(const store_internal::SchemaToStore prepared,
                           store_internal::PrepareSchema(schema));
  const RecordSchema& finalized = prepared.schema;
  const std::string& definition = prepared.definition;
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
          find_schema.reset();
          ERPSYNC_RETURN_IF_ERROR(CheckAgainstEarlierSchemas(db, entity_row_id, finalized));
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

Result<uint64_t> SqliteRecordStore::BeginPass(int64_t entity_row_id) {
  return database_->Write(
      "starting a full pass of entity " + std::to_string(entity_row_id),
      [&](SQLite::Database& db) -> Result<uint64_t> {
        SQLite::Statement& update = CachedStatement(
            db,
            "UPDATE entities SET generation = generation + 1, open_pass = generation + 1, "
            "pass_base_live = live_count WHERE id = ?1");
        update.bind(1, entity_row_id);
        if (update.exec() == 0) return EntityNotFoundError(entity_row_id);
        SQLite::Statement& query =
            CachedStatement(db, "SELECT generation FROM entities WHERE id = ?1");
        query.bind(1, entity_row_id);
        query.executeStep();
        return FromSql(query.getColumn(0).getInt64());
      });
}

Status SqliteRecordStore::ResumePass(int64_t entity_row_id, uint64_t generation) {
  return database_->WithReader(
      "resuming pass " + std::to_string(generation) + " of entity " + std::to_string(entity_row_id),
      [&](SQLite::Database& db) -> Status {
        ERPSYNC_ASSIGN_OR_RETURN(const PassState pass, LoadPassState(db, entity_row_id));
        return CheckPassOpen(pass, generation);
      });
}

Result<uint64_t> SqliteRecordStore::TakePass(int64_t entity_row_id, uint64_t generation) {
  return database_->Write(
      "taking pass " + std::to_string(generation) + " of entity " + std::to_string(entity_row_id),
      [&](SQLite::Database& db) -> Result<uint64_t> {
        ERPSYNC_ASSIGN_OR_RETURN(const PassState pass, LoadPassState(db, entity_row_id));
        ERPSYNC_RETURN_IF_ERROR(CheckPassOpen(pass, generation));
        SQLite::Statement& update =
            CachedStatement(db, "UPDATE entities SET pass_epoch = pass_epoch + 1 WHERE id = ?1");
        update.bind(1, entity_row_id);
        update.exec();
        return pass.pass_epoch + 1;
      });
}

Result<ApplyCounts> SqliteRecordStore::ApplyBatch(int64_t entity_row_id, int64_t schema_id,
                                            const std::vector<IncomingRecord>& records,
                                            const std::vector<std::string_view>& kept,
                                            uint64_t pass_epoch) {
  ERPSYNC_RETURN_IF_ERROR(store_internal::CheckBatchKeys(entity_row_id, records, kept));
  return database_->Write(
      "storing a batch of " + std::to_string(records.size()) + " records of entity " +
          std::to_string(entity_row_id),
      [&](SQLite::Database& db) -> Result<ApplyCounts> {
        SQLite::Statement& entity = CachedStatement(
            db,
            "SELECT generation, live_count, deleted_count, checksum, "
            "(SELECT entity_row_id FROM schemas WHERE id = ?2), entity_id, open_pass, pass_epoch "
            "FROM entities WHERE id = ?1");
        entity.bind(1, entity_row_id);
        entity.bind(2, schema_id);
        if (!entity.executeStep()) return EntityNotFoundError(entity_row_id);
        if (entity.getColumn(4).isNull() || entity.getColumn(4).getInt64() != entity_row_id) {
          return InvalidArgumentError("schema " + std::to_string(schema_id) +
                                      " is not a schema of entity " +
                                      std::to_string(entity_row_id));
        }
        const uint64_t generation = FromSql(entity.getColumn(0).getInt64());
        const uint64_t live_count = FromSql(entity.getColumn(1).getInt64());
        const uint64_t deleted_count = FromSql(entity.getColumn(2).getInt64());
        const uint64_t checksum = FromSql(entity.getColumn(3).getInt64());
        const Status owner = store_internal::CheckPassOwner(
            entity.getColumn(5).getString(), FromSql(entity.getColumn(6).getInt64()),
            FromSql(entity.getColumn(7).getInt64()), pass_epoch);
        entity.reset();
        ERPSYNC_RETURN_IF_ERROR(owner);

        const int64_t now = database_->NowUnix();
        BatchWriter writer(db, entity_row_id, schema_id, generation, now);
        writer.set_expect_new(live_count == 0 && deleted_count == 0);
        writer.ApplyAll(records);
        for (const std::string_view key : kept) writer.Keep(key);
        const BatchTally& tally = writer.tally();
        if (!tally.written()) return tally.counts();

        const EntityFigures after = tally.FiguresAfter({live_count, deleted_count, checksum});
        SQLite::Statement& update = CachedStatement(
            db,
            "UPDATE entities SET live_count = ?2, deleted_count = ?3, checksum = ?4, "
            "last_synced_unix = ?5 WHERE id = ?1");
        update.bind(1, entity_row_id);
        update.bind(2, ToSql(after.live_count));
        update.bind(3, ToSql(after.deleted_count));
        update.bind(4, ToSql(after.checksum));
        update.bind(5, now);
        update.exec();
        return tally.counts();
      });
}

Result<uint64_t> SqliteRecordStore::ClosePass(int64_t entity_row_id, uint64_t generation,
                                              uint64_t pass_epoch) {
  return database_->Write(
      "closing pass " + std::to_string(generation) + " of entity " + std::to_string(entity_row_id),
      [&](SQLite::Database& db) -> Result<uint64_t> {
        ERPSYNC_ASSIGN_OR_RETURN(const PassState pass, LoadPassState(db, entity_row_id));
        ERPSYNC_RETURN_IF_ERROR(CheckPassOpen(pass, generation));
        ERPSYNC_RETURN_IF_ERROR(store_internal::CheckPassOwner(pass.entity_id, pass.open_pass,
                                                               pass.pass_epoch, pass_epoch));

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

Result<EntityState> SqliteRecordStore::GetEntity(int64_t connection_id, const std::string& entity_id) {
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

Result<std::vector<EntityState>> SqliteRecordStore::ListEntities(int64_t connection_id) {
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

Result<RecordSchema> SqliteRecordStore::GetSchema(int64_t schema_id) {
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

Result<RecordPage> SqliteRecordStore::ListRecords(int64_t entity_row_id, const std::string& after_key,
                                            int limit, bool include_deleted) {
  ERPSYNC_RETURN_IF_ERROR(store_internal::CheckPageSize(limit));
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

Result<StoredRecord> SqliteRecordStore::GetRecord(int64_t entity_row_id, const std::string& key) {
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

Result<EntityCheck> SqliteRecordStore::CheckEntity(int64_t entity_row_id) {
  return database_->Read(
      "recomputing the checksum of entity " + std::to_string(entity_row_id),
      [&](SQLite::Database& db) { return CheckEntityIn(db, entity_row_id); });
}

Result<EntityCheck> SqliteRecordStore::RepairTotals(int64_t entity_row_id) {
  return database_->Write(
      "repairing the totals of entity " + std::to_string(entity_row_id),
      [&](SQLite::Database& db) -> Result<EntityCheck> {
        ERPSYNC_ASSIGN_OR_RETURN(EntityCheck check, CheckEntityIn(db, entity_row_id));
        if (check.stored == check.recomputed) return check;
        SQLite::Statement& update = CachedStatement(
            db, "UPDATE entities SET live_count = ?2, deleted_count = ?3, checksum = ?4 "
                "WHERE id = ?1");
        update.bind(1, entity_row_id);
        update.bind(2, ToSql(check.recomputed.live_count));
        update.bind(3, ToSql(check.recomputed.deleted_count));
        update.bind(4, ToSql(check.recomputed.checksum));
        update.exec();
        return check;
      });
}

}  // namespace erpsync::server
