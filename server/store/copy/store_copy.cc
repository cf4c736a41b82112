#include "server/store/copy/store_copy.h"

#include <SQLiteCpp/Column.h>
#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>

#include <chrono>
#include <map>
#include <optional>
#include <string_view>
#include <utility>

#include "server/store/copy/copied_tables.h"
#include "server/store/copy/pg_copy_text.h"
#include "server/store/postgres/pg_binary.h"
#include "server/store/postgres/pg_record_key.h"
#include "server/store/record_key.h"
#include "server/store/store_verifier.h"

namespace erpsync::server {
namespace {

using store_copy::CopiedTable;
using store_copy::CopiedTables;
using store_copy::PgCopyText;
using Clock = std::chrono::steady_clock;

// COPY input goes to PostgreSQL in statements of about this many bytes.
constexpr size_t kCopyBytes = 16 << 20;

double SecondsSince(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

// An entity of the SQLite store: its place (for messages and to find its
// company) and its stored figures.
struct SourceEntity {
  int64_t id = 0;
  int64_t company_id = 0;
  std::string name;  // "Acme/sage300/jc_job"
  EntityFigures figures;
};

std::string EntityName(const SourceEntity& entity) {
  return "entity " + entity.name + " (id " + std::to_string(entity.id) + ")";
}

std::vector<SourceEntity> ReadSourceEntities(SQLite::Database& db) {
  SQLite::Statement query(
      db,
      "SELECT e.id, c.company_id, co.name || '/' || c.name || '/' || e.entity_id, e.live_count, "
      "e.deleted_count, e.checksum FROM entities e JOIN connections c ON c.id = e.connection_id "
      "JOIN companies co ON co.id = c.company_id ORDER BY e.id");
  std::vector<SourceEntity> entities;
  while (query.executeStep()) {
    SourceEntity entity;
    entity.id = query.getColumn(0).getInt64();
    entity.company_id = query.getColumn(1).getInt64();
    entity.name = query.getColumn(2).getString();
    entity.figures = {static_cast<uint64_t>(query.getColumn(3).getInt64()),
                      static_cast<uint64_t>(query.getColumn(4).getInt64()),
                      static_cast<uint64_t>(query.getColumn(5).getInt64())};
    entities.push_back(std::move(entity));
  }
  return entities;
}

std::string_view TextOf(const SQLite::Column& column) {
  const char* text = column.getText();
  return {text, static_cast<size_t>(column.getBytes())};
}

std::string_view BytesOf(const SQLite::Column& column) {
  const auto* bytes = static_cast<const char*>(column.getBlob());
  return {bytes, static_cast<size_t>(column.getBytes())};
}

// Runs COPY `sql` with `data` unless it is empty.
Status SendCopy(PgConnection& connection, const std::string& what, const std::string& sql,
                std::string data) {
  if (data.empty()) return Status::Ok();
  return connection.CopyIn(what, sql, data);
}

// Copies `table` (not records) with its SELECT and COPY in text form.
// Returns the rows copied.
Result<int64_t> CopyTable(SQLite::Database& db, PgConnection& connection,
                          const CopiedTable& table) {
  const std::string what = "copying table " + std::string(table.table);
  const std::string copy =
      "COPY " + std::string(table.table) + " (" + std::string(table.columns) + ") FROM STDIN";
  SQLite::Statement query(db, std::string(table.select));
  PgCopyText text;
  while (query.executeStep()) {
    for (int i = 0; i < query.getColumnCount(); ++i) {
      const SQLite::Column column = query.getColumn(i);
      if (column.isNull()) {
        text.AddNull();
      } else if (column.isInteger()) {
        text.AddInt64(column.getInt64());
      } else if (column.isText()) {
        text.AddText(TextOf(column));
      } else if (column.isBlob()) {
        text.AddBytes(BytesOf(column));
      } else {
        return InternalError(what + ": column " + std::to_string(i + 1) +
                             " holds a floating-point value, which no column of the store has");
      }
    }
    text.EndRow();
    if (text.size() >= kCopyBytes) {
      ERPSYNC_RETURN_IF_ERROR(SendCopy(connection, what, copy, text.Take()));
    }
  }
  const int64_t rows = text.rows();
  ERPSYNC_RETURN_IF_ERROR(SendCopy(connection, what, copy, text.Take()));
  return rows;
}

// Copies the records, each with the company of its entity and its key in
// the PostgreSQL encoding, by binary COPY. Returns the rows copied.
Result<int64_t> CopyRecords(SQLite::Database& db, PgConnection& connection,
                            const CopiedTable& table, const std::vector<SourceEntity>& entities) {
  const std::string what = "copying table records";
  const std::string copy =
      "COPY records (" + std::string(table.columns) + ") FROM STDIN (FORMAT binary)";
  std::map<int64_t, int64_t> company_of;
  for (const SourceEntity& entity : entities) company_of[entity.id] = entity.company_id;
  SQLite::Statement query(db, std::string(table.select));
  pg::PgCopyWriter writer;
  size_t pending = 0;  // bytes of the rows in `writer`, about
  int64_t rows = 0;
  int64_t entity_row_id = 0;
  int64_t company_id = 0;
  std::string key;
  std::string encoded;
  while (query.executeStep()) {
    if (rows == 0 || query.getColumn(0).getInt64() != entity_row_id) {
      entity_row_id = query.getColumn(0).getInt64();
      const auto company = company_of.find(entity_row_id);
      if (company == company_of.end()) {
        return FailedPreconditionError(
            "the SQLite store has records of entity " + std::to_string(entity_row_id) +
            ", which it does not have (or whose connection or company it does not have); "
            "nothing was copied");
      }
      company_id = company->second;
    }
    const SQLite::Column key_column = query.getColumn(1);
    if (key_column.isInteger()) {
      key = std::to_string(key_column.getInt64());
    } else {
      key = TextOf(key_column);
    }
    encoded.clear();
    pg::AppendEncodedRecordKey(store_internal::StoredKey(key), &encoded);
    const std::string_view payload = BytesOf(query.getColumn(7));
    writer.BeginRow(9);
    writer.AddInt64(company_id);
    writer.AddInt64(entity_row_id);
    writer.AddBytes(encoded);
    writer.AddInt64(query.getColumn(2).getInt64());  // schema_id
    writer.AddInt64(query.getColumn(3).getInt64());  // hash, bit-cast on both sides
    writer.AddInt64(query.getColumn(4).getInt64());  // generation, likewise
    writer.AddBool(query.getColumn(5).getInt64() != 0);
    writer.AddInt64(query.getColumn(6).getInt64());  // updated_unix
    writer.AddBytes(payload);
    ++rows;
    pending += 70 + encoded.size() + payload.size();
    if (pending >= kCopyBytes) {
      ERPSYNC_RETURN_IF_ERROR(connection.CopyIn(what, copy, writer.Finish()));
      writer = pg::PgCopyWriter();
      pending = 0;
    }
  }
  if (pending > 0) ERPSYNC_RETURN_IF_ERROR(connection.CopyIn(what, copy, writer.Finish()));
  return rows;
}

// Locks every table against writers (readers go on) and checks that none
// holds a row.
Status LockEmptyTarget(PgConnection& connection) {
  std::string tables;
  for (const CopiedTable& table : CopiedTables()) {
    tables += (tables.empty() ? "" : ", ") + std::string(table.table);
  }
  // A server using the database holds its locks for a transaction's length.
  ERPSYNC_RETURN_IF_ERROR(
      connection
          .Exec("limiting the wait for locks", "SELECT set_config('lock_timeout', '30s', true)")
          .status());
  ERPSYNC_RETURN_IF_ERROR(
      connection.Exec("locking the tables", "LOCK TABLE " + tables + " IN EXCLUSIVE MODE")
          .status());
  for (const CopiedTable& table : CopiedTables()) {
    const std::string name(table.table);
    ERPSYNC_ASSIGN_OR_RETURN(const PgResult any,
                             connection.Exec("looking for rows in " + name,
                                             "SELECT EXISTS (SELECT 1 FROM " + name + ")"));
    if (any.Bool(0, 0)) {
      return FailedPreconditionError("PostgreSQL " + connection.description() +
                                     " is not empty (its table " + name +
                                     " has rows): `store copy` copies only into an empty "
                                     "database; nothing was written");
    }
  }
  return Status::Ok();
}

// Moves the identity of every table that has one past the largest id
// copied, so that the next row PostgreSQL numbers gets the id SQLite would
// have given it.
Status RestartIdentities(PgConnection& connection) {
  for (const CopiedTable& table : CopiedTables()) {
    if (!table.identity) continue;
    const std::string name(table.table);
    // setval of NULL (an empty table) does nothing.
    ERPSYNC_RETURN_IF_ERROR(connection
                                .Exec("moving the ids of " + name + " past the largest copied",
                                      "SELECT setval(pg_get_serial_sequence('" + name +
                                          "', 'id'), max(id)) FROM " + name)
                                .status());
  }
  return Status::Ok();
}

// Compares the rows of every table and the stored figures of every entity
// in PostgreSQL (inside the copy's transaction) with SQLite's, adding one
// text per difference to `differences`.
Status CompareWithSource(SQLite::Database& db, PgConnection& connection,
                         const std::vector<SourceEntity>& entities,
                         std::vector<std::string>* differences) {
  for (const CopiedTable& table : CopiedTables()) {
    const std::string name(table.table);
    SQLite::Statement count(db, std::string(table.count));
    count.executeStep();
    const int64_t in_sqlite = count.getColumn(0).getInt64();
    ERPSYNC_ASSIGN_OR_RETURN(
        const PgResult copied,
        connection.Exec("counting the rows of " + name, "SELECT count(*) FROM " + name));
    if (copied.Int(0, 0) != in_sqlite) {
      differences->push_back("table " + name + ": " + std::to_string(in_sqlite) +
                             " rows in SQLite (" + std::string(table.source_tables) + "), " +
                             std::to_string(copied.Int(0, 0)) + " in PostgreSQL");
    }
  }
  ERPSYNC_ASSIGN_OR_RETURN(
      const PgResult rows,
      connection.Exec("reading the entities' figures",
                      "SELECT id, live_count, deleted_count, checksum FROM entities"));
  std::map<int64_t, EntityFigures> copied;
  for (int row = 0; row < rows.rows(); ++row) {
    copied[rows.Int(row, 0)] = {static_cast<uint64_t>(rows.Int(row, 1)),
                                static_cast<uint64_t>(rows.Int(row, 2)),
                                static_cast<uint64_t>(rows.Int(row, 3))};
  }
  for (const SourceEntity& entity : entities) {
    const auto found = copied.find(entity.id);
    if (found == copied.end()) {
      differences->push_back(EntityName(entity) + ": missing in PostgreSQL");
      continue;
    }
    for (const std::string& difference :
         FigureDifferences(entity.figures, "SQLite", found->second, "PostgreSQL")) {
      differences->push_back(EntityName(entity) + ": " + difference);
    }
  }
  return Status::Ok();
}

// The copy's transaction: what it copied, and the differences found before
// the commit (none: it committed).
Status CopyInTransaction(SQLite::Database& db, PgConnection& connection,
                         const std::vector<SourceEntity>& entities, const StoreCopyOptions& options,
                         StoreCopyReport* report) {
  ERPSYNC_ASSIGN_OR_RETURN(PgTransaction transaction, PgTransaction::Begin(&connection));
  ERPSYNC_RETURN_IF_ERROR(LockEmptyTarget(connection));
  for (const CopiedTable& table : CopiedTables()) {
    ERPSYNC_ASSIGN_OR_RETURN(const int64_t rows, table.records
                                                     ? CopyRecords(db, connection, table, entities)
                                                     : CopyTable(db, connection, table));
    report->tables.push_back({std::string(table.table), rows});
    report->rows += rows;
    if (options.on_table) options.on_table(report->tables.back());
  }
  ERPSYNC_RETURN_IF_ERROR(CompareWithSource(db, connection, entities, &report->differences));
  if (!report->differences.empty()) return Status::Ok();  // rolled back
  // Last: a sequence does not roll back.
  ERPSYNC_RETURN_IF_ERROR(RestartIdentities(connection));
  ERPSYNC_RETURN_IF_ERROR(transaction.Commit());
  report->committed = true;
  return Status::Ok();
}

// After the commit: every entity's figures as PostgreSQL stores them and
// as it recomputes them from its rows, against SQLite's.
void VerifyEntities(RecordStore& records, const std::vector<SourceEntity>& entities,
                    StoreCopyReport* report) {
  for (const SourceEntity& entity : entities) {
    const Result<EntityCheck> check = records.CheckEntity(entity.id);
    if (!check.ok()) {
      report->differences.push_back(
          EntityName(entity) + ": cannot be verified in PostgreSQL: " + check.status().message());
      continue;
    }
    ++report->entities_verified;
    for (const std::string& difference :
         FigureDifferences(entity.figures, "SQLite", check->stored, "PostgreSQL")) {
      report->differences.push_back(EntityName(entity) + ": " + difference);
    }
    for (const std::string& drift : FigureDifferences(check->stored, "stored in PostgreSQL",
                                                      check->recomputed, "recomputed")) {
      report->differences.push_back(EntityName(entity) + ": " + drift);
    }
  }
}

}  // namespace

Result<StoreCopyReport> CopySqliteStore(SqliteStore& source, PostgresStore& target,
                                        const StoreCopyOptions& options) {
  const Clock::time_point start = Clock::now();
  std::vector<SourceEntity> entities;
  ERPSYNC_ASSIGN_OR_RETURN(
      StoreCopyReport report,
      source.database().Read("reading the SQLite store " + source.database().path(),
                             [&](SQLite::Database& db) -> Result<StoreCopyReport> {
                               entities = ReadSourceEntities(db);
                               StoreCopyReport copied;
                               // The copy's errors name what failed themselves (PostgreSQL's
                               // name the database): kept apart from WithConnection's own.
                               Status status = Status::Ok();
                               ERPSYNC_RETURN_IF_ERROR(target.database().WithConnection(
                                   "copying into PostgreSQL " + target.database().description(),
                                   [&](PgConnection& connection) {
                                     status = CopyInTransaction(db, connection, entities, options,
                                                                &copied);
                                     return Status::Ok();
                                   }));
                               ERPSYNC_RETURN_IF_ERROR(status);
                               return copied;
                             }));
  report.copy_seconds = SecondsSince(start);
  if (!report.committed) return report;
  const Clock::time_point verify_start = Clock::now();
  VerifyEntities(target.records(), entities, &report);
  report.verify_seconds = SecondsSince(verify_start);
  return report;
}

}  // namespace erpsync::server
