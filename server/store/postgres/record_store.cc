#include "server/store/postgres/record_store.h"

#include <algorithm>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/entity_checksum.h"
#include "server/store/postgres/pg_batch_writer.h"
#include "server/store/postgres/pg_record_key.h"
#include "server/store/record_rules.h"

namespace erpsync::server {
namespace {

using pg::DecodeRecordKey;
using pg::EncodeRecordKey;
using pg::PgBatchKeys;
using pg::PgBatchWriter;
using store_internal::EntityNotFoundError;

// Unsigned 64-bit values (hashes, checksums, generations, counts) are
// stored bit-cast into BIGINT.
int64_t ToPg(uint64_t value) { return static_cast<int64_t>(value); }
uint64_t FromPg(int64_t value) { return static_cast<uint64_t>(value); }

// Rows a scan of an entity's records fetches at once: bounds the memory of
// a result on entities of millions.
constexpr int kScanChunkRows = 20000;

// Runs the SELECT `sql` (with `params`) through a cursor inside the
// caller's transaction, giving its rows to `each` kScanChunkRows at a time:
// one pass over the rows, in bounded memory. Stops at the first error of
// `each` (the transaction then rolls back, closing the cursor).
Status ForEachRow(PgConnection& connection, const std::string& what, std::string_view sql,
                  const std::vector<PgParam>& params,
                  const std::function<Status(const PgResult&, int)>& each) {
  ERPSYNC_RETURN_IF_ERROR(
      connection.Exec(what, "DECLARE erpsync_scan NO SCROLL CURSOR FOR " + std::string(sql),
                      params)
          .status());
  static const std::string kFetch = "FETCH " + std::to_string(kScanChunkRows) + " FROM erpsync_scan";
  for (;;) {
    ERPSYNC_ASSIGN_OR_RETURN(const PgResult rows, connection.Exec(what, kFetch));
    for (int row = 0; row < rows.rows(); ++row) ERPSYNC_RETURN_IF_ERROR(each(rows, row));
    if (rows.rows() < kScanChunkRows) break;
  }
  return connection.Exec(what, "CLOSE erpsync_scan").status();
}

// Columns read by EntityFromRow; append the WHERE clause ($1 the company).
constexpr std::string_view kSelectEntity =
    "SELECT e.id, e.connection_id, e.entity_id, e.schema_id, e.generation, e.open_pass, "
    "e.live_count, e.deleted_count, e.checksum, e.last_synced_unix, s.definition "
    "FROM entities e JOIN schemas s ON s.company_id = e.company_id AND s.id = e.schema_id ";

Result<EntityState> EntityFromRow(const PgResult& rows, int row) {
  EntityState state;
  state.id = rows.Int(row, 0);
  state.connection_id = rows.Int(row, 1);
  state.entity_id = std::string(rows.Text(row, 2));
  state.schema_id = rows.Int(row, 3);
  state.generation = FromPg(rows.Int(row, 4));
  state.open_pass = FromPg(rows.Int(row, 5));
  state.live_count = FromPg(rows.Int(row, 6));
  state.deleted_count = FromPg(rows.Int(row, 7));
  state.checksum = FromPg(rows.Int(row, 8));
  state.last_synced_unix = rows.Int(row, 9);
  ERPSYNC_ASSIGN_OR_RETURN(state.schema,
                           store_internal::ParseStoredSchema(state.schema_id, rows.Bytes(row, 10)));
  return state;
}

Result<EntityState> LoadEntity(PgConnection& connection, int64_t company_id,
                               int64_t entity_row_id) {
  static const std::string kQuery =
      std::string(kSelectEntity) + "WHERE e.company_id = $1 AND e.id = $2";
  ERPSYNC_ASSIGN_OR_RETURN(const PgResult row,
                           connection.Exec("reading entity " + std::to_string(entity_row_id),
                                           kQuery, {company_id, entity_row_id}));
  if (row.rows() == 0) return EntityNotFoundError(entity_row_id);
  return EntityFromRow(row, 0);
}

// The company of row `id` of `table` (PgDatabase::CompanyOf), or
// `not_found` when there is no such row (the call's own message).
Result<int64_t> CompanyOr(const Status& not_found, PgDatabase& database, PgConnection& connection,
                          PgCompanyTable table, int64_t id) {
  Result<int64_t> company_id = database.CompanyOf(connection, table, id);
  if (company_id.status().code() == StatusCode::kNotFound) return not_found;
  return company_id;
}

// An entity row as the writes of its records need it.
struct EntityRow {
  int64_t company_id = 0;
  std::string entity_id;
  uint64_t generation = 0;
  uint64_t open_pass = 0;
  // Live records when the open pass began; -1 when unknown.
  int64_t base_live = -1;
  EntityFigures figures;
  int64_t last_synced_unix = 0;
  // The entity row id of schema `schema_id` given to ReadEntityRow, 0 when
  // there is no such schema.
  int64_t schema_entity_row_id = 0;
  uint64_t pass_epoch = 0;
};

// The statement that reads the row of the entity (of company
// `company_id`), locked (FOR UPDATE) until the transaction ends when `lock`:
// every write of an entity's records locks it first, so that ApplyBatch,
// BeginPass, ClosePass and RepairTotals of one entity take turns whichever
// server runs them. Also reads which entity schema `schema_id` belongs to
// (0: none asked).
PgStatement EntityRowStatement(int64_t company_id, int64_t entity_row_id, bool lock,
                               int64_t schema_id) {
  static constexpr std::string_view kRead =
      "SELECT entity_id, generation, open_pass, pass_base_live, live_count, deleted_count, "
      "checksum, last_synced_unix, "
      "(SELECT s.entity_row_id FROM schemas s WHERE s.company_id = $1 AND s.id = $3), "
      "pass_epoch "
      "FROM entities WHERE company_id = $1 AND id = $2";
  static const std::string kLock = std::string(kRead) + " FOR UPDATE";
  return PgStatement{lock ? std::string_view(kLock) : kRead,
                     {company_id, entity_row_id, schema_id}};
}

// The entity row EntityRowStatement read. NOT_FOUND for an unknown entity.
Result<EntityRow> EntityRowFrom(const PgResult& row, int64_t company_id, int64_t entity_row_id) {
  if (row.rows() == 0) return EntityNotFoundError(entity_row_id);
  EntityRow entity;
  entity.company_id = company_id;
  entity.entity_id = std::string(row.Text(0, 0));
  entity.generation = FromPg(row.Int(0, 1));
  entity.open_pass = FromPg(row.Int(0, 2));
  entity.base_live = row.Int(0, 3);
  entity.figures = {FromPg(row.Int(0, 4)), FromPg(row.Int(0, 5)), FromPg(row.Int(0, 6))};
  entity.last_synced_unix = row.Int(0, 7);
  entity.schema_entity_row_id = row.IsNull(0, 8) ? 0 : row.Int(0, 8);
  entity.pass_epoch = FromPg(row.Int(0, 9));
  return entity;
}

// Runs EntityRowStatement on the entity's company. NOT_FOUND for an
// unknown entity.
Result<EntityRow> ReadEntityRow(PgDatabase& database, PgConnection& connection,
                                int64_t entity_row_id, bool lock, int64_t schema_id = 0) {
  ERPSYNC_ASSIGN_OR_RETURN(
      const int64_t company_id,
      database.CompanyOf(connection, PgCompanyTable::kEntities, entity_row_id));
  const PgStatement read = EntityRowStatement(company_id, entity_row_id, lock, schema_id);
  ERPSYNC_ASSIGN_OR_RETURN(
      const PgResult row,
      connection.Exec("reading entity " + std::to_string(entity_row_id), read.sql, read.params));
  return EntityRowFrom(row, company_id, entity_row_id);
}

constexpr std::string_view kStoreFigures =
    "UPDATE entities SET live_count = $3, deleted_count = $4, checksum = $5, "
    "last_synced_unix = $6 WHERE company_id = $1 AND id = $2";

std::vector<PgParam> FiguresParams(const EntityRow& entity, int64_t entity_row_id,
                                   const EntityFigures& figures, int64_t last_synced_unix) {
  return {entity.company_id,           entity_row_id,          ToPg(figures.live_count),
          ToPg(figures.deleted_count), ToPg(figures.checksum), last_synced_unix};
}

std::string StoringFigures(int64_t entity_row_id) {
  return "storing the totals of entity " + std::to_string(entity_row_id);
}

Status StoreFigures(PgConnection& connection, const EntityRow& entity, int64_t entity_row_id,
                    const EntityFigures& figures, int64_t last_synced_unix) {
  return connection
      .Exec(StoringFigures(entity_row_id), kStoreFigures,
            FiguresParams(entity, entity_row_id, figures, last_synced_unix))
      .status();
}

// The key text of a records.key value read from `rows`.
Result<std::string> KeyOf(const PgResult& rows, int row, int column) {
  return DecodeRecordKey(rows.Bytes(row, column));
}

// The stored and recomputed figures of the entity (a scan of its records),
// read inside the caller's transaction: a snapshot (Read), or a write that
// holds the entity's lock.
Result<EntityCheck> CheckEntityIn(PgConnection& connection, int64_t company_id,
                                  int64_t entity_row_id) {
  EntityCheck check;
  ERPSYNC_ASSIGN_OR_RETURN(check.entity, LoadEntity(connection, company_id, entity_row_id));
  check.stored = {check.entity.live_count, check.entity.deleted_count, check.entity.checksum};
  store_internal::FiguresRecount recount;
  ERPSYNC_RETURN_IF_ERROR(ForEachRow(
      connection, "recomputing the checksum of entity " + std::to_string(entity_row_id),
      "SELECT key, hash, deleted FROM records WHERE company_id = $1 AND entity_row_id = $2",
      {company_id, entity_row_id}, [&](const PgResult& rows, int row) -> Status {
        ERPSYNC_ASSIGN_OR_RETURN(const std::string key, KeyOf(rows, row, 0));
        recount.Add(key, FromPg(rows.Int(row, 1)), rows.Bool(row, 2));
        return Status::Ok();
      }));
  check.recomputed = recount.figures();
  return check;
}

// A record read from `rows`: columns schema_id, hash, generation, deleted,
// updated_unix, payload from `first`.
StoredRecord RecordFromRow(const PgResult& rows, int row, int first) {
  StoredRecord record;
  record.schema_id = rows.Int(row, first);
  record.content_hash = FromPg(rows.Int(row, first + 1));
  record.generation = FromPg(rows.Int(row, first + 2));
  record.deleted = rows.Bool(row, first + 3);
  record.updated_unix = rows.Int(row, first + 4);
  record.values = rows.Bytes(row, first + 5);
  return record;
}

}  // namespace

Result<EntityState> PgRecordStore::OpenEntity(int64_t connection_id, const RecordSchema& schema) {
  ERPSYNC_ASSIGN_OR_RETURN(const store_internal::SchemaToStore prepared,
                           store_internal::PrepareSchema(schema));
  const RecordSchema& finalized = prepared.schema;
  const std::string what = "opening entity '" + finalized.entity_id() + "' of connection " +
                           std::to_string(connection_id);
  return database_->Write(what, [&](PgConnection& connection) -> Result<EntityState> {
    ERPSYNC_ASSIGN_OR_RETURN(const int64_t company_id,
                             database_->CompanyOf(connection, PgCompanyTable::kConnections,
                                                  connection_id));
    // The entity row, locked: schema changes of one entity take turns. Two
    // servers creating it at once: one insert wins, the other finds it.
    int64_t entity_row_id = 0;
    int64_t current_schema_id = 0;
    for (int attempt = 0; entity_row_id == 0; ++attempt) {
      ERPSYNC_ASSIGN_OR_RETURN(
          const PgResult found,
          connection.Exec(what,
                          "SELECT id, COALESCE(schema_id, 0) FROM entities WHERE company_id = $1 "
                          "AND connection_id = $2 AND entity_id = $3 FOR UPDATE",
                          {company_id, connection_id, finalized.entity_id()}));
      if (found.rows() > 0) {
        entity_row_id = found.Int(0, 0);
        current_schema_id = found.Int(0, 1);
        break;
      }
      if (attempt > 0) return InternalError(what + ": the entity row vanished");
      ERPSYNC_ASSIGN_OR_RETURN(
          const PgResult inserted,
          connection.Exec(what,
                          "INSERT INTO entities (company_id, connection_id, entity_id) "
                          "VALUES ($1, $2, $3) ON CONFLICT (company_id, connection_id, entity_id) "
                          "DO NOTHING RETURNING id",
                          {company_id, connection_id, finalized.entity_id()}));
      if (inserted.rows() > 0) entity_row_id = inserted.Int(0, 0);
    }

    const PgParam fingerprint = ToPg(finalized.fingerprint());
    const PgParam definition = PgParam::Bytes(prepared.definition);
    ERPSYNC_ASSIGN_OR_RETURN(
        const PgResult same,
        connection.Exec(what,
                        "SELECT id FROM schemas WHERE company_id = $1 AND entity_row_id = $2 AND "
                        "fingerprint = $3 AND definition = $4",
                        {company_id, entity_row_id, fingerprint, definition}));
    int64_t schema_id = 0;
    if (same.rows() > 0) {
      schema_id = same.Int(0, 0);
    } else {
      ERPSYNC_ASSIGN_OR_RETURN(
          const PgResult earlier,
          connection.Exec(what,
                          "SELECT id, definition FROM schemas WHERE company_id = $1 AND "
                          "entity_row_id = $2 ORDER BY id",
                          {company_id, entity_row_id}));
      for (int row = 0; row < earlier.rows(); ++row) {
        ERPSYNC_RETURN_IF_ERROR(store_internal::CheckAgainstStoredSchema(
            earlier.Int(row, 0), earlier.Bytes(row, 1), finalized));
      }
      ERPSYNC_ASSIGN_OR_RETURN(
          const PgResult inserted,
          connection.Exec(what,
                          "INSERT INTO schemas (company_id, entity_row_id, fingerprint, "
                          "definition, created_unix) VALUES ($1, $2, $3, $4, $5) RETURNING id",
                          {company_id, entity_row_id, fingerprint, definition,
                           database_->NowUnix()}));
      schema_id = inserted.Int(0, 0);
    }
    if (schema_id != current_schema_id) {
      ERPSYNC_RETURN_IF_ERROR(
          connection
              .Exec(what, "UPDATE entities SET schema_id = $3 WHERE company_id = $1 AND id = $2",
                    {company_id, entity_row_id, schema_id})
              .status());
    }
    return LoadEntity(connection, company_id, entity_row_id);
  });
}

Result<uint64_t> PgRecordStore::BeginPass(int64_t entity_row_id) {
  const std::string what = "starting a full pass of entity " + std::to_string(entity_row_id);
  return database_->Write(what, [&](PgConnection& connection) -> Result<uint64_t> {
    ERPSYNC_ASSIGN_OR_RETURN(const int64_t company_id,
                             database_->CompanyOf(connection, PgCompanyTable::kEntities,
                                                  entity_row_id));
    // The UPDATE locks the row, as ReadEntityRow's FOR UPDATE does.
    ERPSYNC_ASSIGN_OR_RETURN(
        const PgResult row,
        connection.Exec(what,
                        "UPDATE entities SET generation = generation + 1, "
                        "open_pass = generation + 1, pass_base_live = live_count "
                        "WHERE company_id = $1 AND id = $2 RETURNING generation",
                        {company_id, entity_row_id}));
    if (row.rows() == 0) return EntityNotFoundError(entity_row_id);
    return FromPg(row.Int(0, 0));
  });
}

Status PgRecordStore::ResumePass(int64_t entity_row_id, uint64_t generation) {
  return database_->Read(
      "resuming pass " + std::to_string(generation) + " of entity " + std::to_string(entity_row_id),
      [&](PgConnection& connection) -> Result<bool> {
        ERPSYNC_ASSIGN_OR_RETURN(const EntityRow entity,
                                 ReadEntityRow(*database_, connection, entity_row_id, false));
        ERPSYNC_RETURN_IF_ERROR(
            store_internal::CheckPassOpen(entity.entity_id, entity.open_pass, generation));
        return true;
      }).status();
}

Result<uint64_t> PgRecordStore::TakePass(int64_t entity_row_id, uint64_t generation) {
  const std::string what =
      "taking pass " + std::to_string(generation) + " of entity " + std::to_string(entity_row_id);
  return database_->Write(what, [&](PgConnection& connection) -> Result<uint64_t> {
    ERPSYNC_ASSIGN_OR_RETURN(const EntityRow entity,
                             ReadEntityRow(*database_, connection, entity_row_id, /*lock=*/true));
    ERPSYNC_RETURN_IF_ERROR(
        store_internal::CheckPassOpen(entity.entity_id, entity.open_pass, generation));
    ERPSYNC_ASSIGN_OR_RETURN(
        const PgResult row,
        connection.Exec(what,
                        "UPDATE entities SET pass_epoch = pass_epoch + 1 "
                        "WHERE company_id = $1 AND id = $2 RETURNING pass_epoch",
                        {entity.company_id, entity_row_id}));
    return FromPg(row.Int(0, 0));
  });
}

Result<ApplyCounts> PgRecordStore::ApplyBatch(int64_t entity_row_id, int64_t schema_id,
                                              const std::vector<IncomingRecord>& records,
                                              const std::vector<std::string_view>& kept,
                                              uint64_t pass_epoch) {
  ERPSYNC_RETURN_IF_ERROR(store_internal::CheckBatchKeys(entity_row_id, records, kept));
  const PgBatchKeys keys(records, kept);
  const std::string what = "storing a batch of " + std::to_string(records.size()) +
                           " records of entity " + std::to_string(entity_row_id);
  return database_->Write(what, [&](PgConnection& connection) -> Result<ApplyCounts> {
    ERPSYNC_ASSIGN_OR_RETURN(
        const int64_t company_id,
        database_->CompanyOf(connection, PgCompanyTable::kEntities, entity_row_id));
    // The entity's row, locked, then (for a large batch) whether anything
    // is stored in the range of its keys: one round trip, with the
    // transaction's BEGIN. The probe runs after the lock is taken, with a
    // snapshot of its own, as it would on its own.
    std::vector<PgStatement> reads = {
        EntityRowStatement(company_id, entity_row_id, /*lock=*/true, schema_id)};
    if (std::optional<PgStatement> probe =
            PgBatchWriter::RangeProbe(keys, company_id, entity_row_id)) {
      reads.push_back(std::move(*probe));
    }
    ERPSYNC_ASSIGN_OR_RETURN(
        const std::vector<PgResult> read,
        connection.ExecPipeline("reading entity " + std::to_string(entity_row_id), reads));
    ERPSYNC_ASSIGN_OR_RETURN(const EntityRow entity,
                             EntityRowFrom(read[0], company_id, entity_row_id));
    if (entity.schema_entity_row_id != entity_row_id) {
      return InvalidArgumentError("schema " + std::to_string(schema_id) +
                                  " is not a schema of entity " + std::to_string(entity_row_id));
    }
    ERPSYNC_RETURN_IF_ERROR(store_internal::CheckPassOwner(entity.entity_id, entity.open_pass,
                                                           entity.pass_epoch, pass_epoch));
    const int64_t now = database_->NowUnix();
    PgBatchWriter writer(connection, what, entity.company_id, entity_row_id, schema_id,
                         entity.generation, now);
    const std::optional<bool> any_stored =
        read.size() > 1 ? std::optional<bool>(read[1].Bool(0, 0)) : std::nullopt;
    ERPSYNC_RETURN_IF_ERROR(writer.Plan(keys, records, kept, any_stored));
    const store_internal::BatchTally& tally = writer.tally();
    if (!tally.written()) return tally.counts();
    ERPSYNC_RETURN_IF_ERROR(writer.Write());
    // The totals go with the COMMIT, in its round trip.
    connection.ExecAtCommit(
        StoringFigures(entity_row_id), kStoreFigures,
        FiguresParams(entity, entity_row_id, tally.FiguresAfter(entity.figures), now));
    return tally.counts();
  });
}

Result<uint64_t> PgRecordStore::ClosePass(int64_t entity_row_id, uint64_t generation,
                                          uint64_t pass_epoch) {
  const std::string what =
      "closing pass " + std::to_string(generation) + " of entity " + std::to_string(entity_row_id);
  return database_->Write(what, [&](PgConnection& connection) -> Result<uint64_t> {
    ERPSYNC_ASSIGN_OR_RETURN(const EntityRow entity,
                             ReadEntityRow(*database_, connection, entity_row_id, /*lock=*/true));
    ERPSYNC_RETURN_IF_ERROR(
        store_internal::CheckPassOpen(entity.entity_id, entity.open_pass, generation));
    ERPSYNC_RETURN_IF_ERROR(store_internal::CheckPassOwner(entity.entity_id, entity.open_pass,
                                                           entity.pass_epoch, pass_epoch));
    const int64_t now = database_->NowUnix();
    // The checksum terms of the records about to be marked deleted. Every
    // write stamps the record with the open pass's generation, so when
    // nothing was live as the pass began (a first deep sync), no live
    // record can be older: the scan of the whole entity is skipped. The
    // entity's lock keeps the rows as the scan saw them until the UPDATE.
    uint64_t removed_terms = 0;
    uint64_t unseen = 0;
    // $1 company, $2 entity row id, $3 the pass's generation: live records
    // the pass did not write. The scan and the update must select the same
    // rows.
    static const std::string kUnseen =
        "WHERE company_id = $1 AND entity_row_id = $2 AND NOT deleted AND generation < $3";
    if (entity.base_live != 0) {
      ERPSYNC_RETURN_IF_ERROR(ForEachRow(
          connection, what, "SELECT key, hash FROM records " + kUnseen,
          {entity.company_id, entity_row_id, ToPg(generation)},
          [&](const PgResult& rows, int row) -> Status {
            ERPSYNC_ASSIGN_OR_RETURN(const std::string key, KeyOf(rows, row, 0));
            removed_terms += ChecksumTerm(key, FromPg(rows.Int(row, 1)));
            ++unseen;
            return Status::Ok();
          }));
    }
    uint64_t deleted = 0;
    if (unseen > 0) {
      static const std::string kMark =
          "UPDATE records SET deleted = TRUE, updated_unix = $4 " + kUnseen;
      ERPSYNC_ASSIGN_OR_RETURN(
          const PgResult marked,
          connection.Exec(what, kMark, {entity.company_id, entity_row_id, ToPg(generation), now}));
      deleted = static_cast<uint64_t>(marked.affected());
      if (deleted != unseen) {
        return InternalError("closing pass " + std::to_string(generation) + " of " +
                             entity.entity_id + ": marked " + std::to_string(deleted) +
                             " records deleted, expected " + std::to_string(unseen));
      }
    }
    EntityFigures figures = entity.figures;
    figures.live_count -= deleted;
    figures.deleted_count += deleted;
    figures.checksum -= removed_terms;
    ERPSYNC_RETURN_IF_ERROR(
        connection
            .Exec(what,
                  "UPDATE entities SET open_pass = 0, live_count = $3, deleted_count = $4, "
                  "checksum = $5, last_synced_unix = $6 WHERE company_id = $1 AND id = $2",
                  {entity.company_id, entity_row_id, ToPg(figures.live_count),
                   ToPg(figures.deleted_count), ToPg(figures.checksum),
                   deleted > 0 ? now : entity.last_synced_unix})
            .status());
    return deleted;
  });
}

Result<EntityState> PgRecordStore::GetEntity(int64_t connection_id, const std::string& entity_id) {
  const std::string what =
      "reading entity '" + entity_id + "' of connection " + std::to_string(connection_id);
  return database_->Read(what, [&](PgConnection& connection) -> Result<EntityState> {
    const Status not_found = NotFoundError("connection " + std::to_string(connection_id) +
                                           " has no entity '" + entity_id + "'");
    ERPSYNC_ASSIGN_OR_RETURN(const int64_t company_id,
                             CompanyOr(not_found, *database_, connection,
                                       PgCompanyTable::kConnections, connection_id));
    static const std::string kQuery = std::string(kSelectEntity) +
                                      "WHERE e.company_id = $1 AND e.connection_id = $2 AND "
                                      "e.entity_id = $3";
    ERPSYNC_ASSIGN_OR_RETURN(const PgResult row,
                             connection.Exec(what, kQuery, {company_id, connection_id, entity_id}));
    if (row.rows() == 0) return not_found;
    return EntityFromRow(row, 0);
  });
}

Result<std::vector<EntityState>> PgRecordStore::ListEntities(int64_t connection_id) {
  const std::string what = "listing entities of connection " + std::to_string(connection_id);
  return database_->Read(what, [&](PgConnection& connection) -> Result<std::vector<EntityState>> {
    ERPSYNC_ASSIGN_OR_RETURN(const int64_t company_id,
                             database_->CompanyOf(connection, PgCompanyTable::kConnections,
                                                  connection_id));
    // Entity ids bytewise, as SQLite orders text.
    static const std::string kQuery =
        std::string(kSelectEntity) +
        "WHERE e.company_id = $1 AND e.connection_id = $2 ORDER BY e.entity_id COLLATE \"C\"";
    ERPSYNC_ASSIGN_OR_RETURN(const PgResult rows,
                             connection.Exec(what, kQuery, {company_id, connection_id}));
    std::vector<EntityState> entities;
    entities.reserve(static_cast<size_t>(rows.rows()));
    for (int row = 0; row < rows.rows(); ++row) {
      ERPSYNC_ASSIGN_OR_RETURN(EntityState state, EntityFromRow(rows, row));
      entities.push_back(std::move(state));
    }
    return entities;
  });
}

Result<RecordSchema> PgRecordStore::GetSchema(int64_t schema_id) {
  const std::string what = "reading schema " + std::to_string(schema_id);
  return database_->Read(what, [&](PgConnection& connection) -> Result<RecordSchema> {
    ERPSYNC_ASSIGN_OR_RETURN(const int64_t company_id,
                             database_->CompanyOf(connection, PgCompanyTable::kSchemas, schema_id));
    ERPSYNC_ASSIGN_OR_RETURN(
        const PgResult row,
        connection.Exec(what, "SELECT definition FROM schemas WHERE company_id = $1 AND id = $2",
                        {company_id, schema_id}));
    if (row.rows() == 0) {
      return NotFoundError("schema " + std::to_string(schema_id) + " does not exist");
    }
    return store_internal::ParseStoredSchema(schema_id, row.Bytes(0, 0));
  });
}

Result<RecordPage> PgRecordStore::ListRecords(int64_t entity_row_id, const std::string& after_key,
                                              int limit, bool include_deleted) {
  ERPSYNC_RETURN_IF_ERROR(store_internal::CheckPageSize(limit));
  const std::string what = "listing records of entity " + std::to_string(entity_row_id);
  return database_->Read(what, [&](PgConnection& connection) -> Result<RecordPage> {
    ERPSYNC_ASSIGN_OR_RETURN(const int64_t company_id,
                             database_->CompanyOf(connection, PgCompanyTable::kEntities,
                                                  entity_row_id));
    // The empty BYTEA sorts before every stored key.
    const std::string after = after_key.empty() ? std::string() : EncodeRecordKey(after_key);
    ERPSYNC_ASSIGN_OR_RETURN(
        const PgResult rows,
        connection.Exec(what,
                        "SELECT key, schema_id, hash, generation, deleted, updated_unix, payload "
                        "FROM records WHERE company_id = $1 AND entity_row_id = $2 AND key > $3 "
                        "AND ($4 OR NOT deleted) ORDER BY key LIMIT $5",
                        {company_id, entity_row_id, PgParam::Bytes(after), include_deleted,
                         limit + 1}));
    RecordPage page;
    const int count = std::min(rows.rows(), limit);
    page.records.reserve(static_cast<size_t>(count));
    for (int row = 0; row < count; ++row) {
      StoredRecord& record = page.records.emplace_back(RecordFromRow(rows, row, 1));
      ERPSYNC_ASSIGN_OR_RETURN(record.key, KeyOf(rows, row, 0));
    }
    if (rows.rows() > limit) page.next_after_key = page.records.back().key;
    return page;
  });
}

Result<StoredRecord> PgRecordStore::GetRecord(int64_t entity_row_id, const std::string& key) {
  const std::string what =
      "reading record '" + key + "' of entity " + std::to_string(entity_row_id);
  return database_->Read(what, [&](PgConnection& connection) -> Result<StoredRecord> {
    const Status not_found = NotFoundError("entity " + std::to_string(entity_row_id) +
                                           " has no record '" + key + "'");
    ERPSYNC_ASSIGN_OR_RETURN(const int64_t company_id,
                             CompanyOr(not_found, *database_, connection,
                                       PgCompanyTable::kEntities, entity_row_id));
    ERPSYNC_ASSIGN_OR_RETURN(
        const PgResult row,
        connection.Exec(what,
                        "SELECT schema_id, hash, generation, deleted, updated_unix, payload "
                        "FROM records WHERE company_id = $1 AND entity_row_id = $2 AND key = $3",
                        {company_id, entity_row_id, PgParam::Bytes(EncodeRecordKey(key))}));
    if (row.rows() == 0) return not_found;
    StoredRecord record = RecordFromRow(row, 0, 0);
    record.key = key;
    return record;
  });
}

Result<EntityCheck> PgRecordStore::CheckEntity(int64_t entity_row_id) {
  return database_->Read(
      "recomputing the checksum of entity " + std::to_string(entity_row_id),
      [&](PgConnection& connection) -> Result<EntityCheck> {
        ERPSYNC_ASSIGN_OR_RETURN(const int64_t company_id,
                                 database_->CompanyOf(connection, PgCompanyTable::kEntities,
                                                      entity_row_id));
        return CheckEntityIn(connection, company_id, entity_row_id);
      });
}

Result<EntityCheck> PgRecordStore::RepairTotals(int64_t entity_row_id) {
  return database_->Write(
      "repairing the totals of entity " + std::to_string(entity_row_id),
      [&](PgConnection& connection) -> Result<EntityCheck> {
        ERPSYNC_ASSIGN_OR_RETURN(
            const EntityRow entity,
            ReadEntityRow(*database_, connection, entity_row_id, /*lock=*/true));
        ERPSYNC_ASSIGN_OR_RETURN(EntityCheck check,
                                 CheckEntityIn(connection, entity.company_id, entity_row_id));
        if (check.stored == check.recomputed) return check;
        ERPSYNC_RETURN_IF_ERROR(StoreFigures(connection, entity, entity_row_id, check.recomputed,
                                             entity.last_synced_unix));
        return check;
      });
}

}  // namespace erpsync::server
