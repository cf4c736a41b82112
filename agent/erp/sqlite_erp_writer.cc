#include "agent/erp/sqlite_erp_writer.h"

#include <sqlite3.h>
#include <sys/stat.h>

#include <exception>
#include <utility>

#include "agent/erp/erp_sql.h"
#include "agent/erp/erp_writers.h"
#include "agent/erp/export_journal.h"
#include "agent/erp/unposted_entry_tables.h"

namespace erpsync::agent {
namespace {

// The keys of an item's earlier versions, for a refusal that an earlier
// write of the same item explains ("Commitment ID 'X' is already in use
// (item 7 version 3 was written into the ERP as X)").
std::string EarlierWrites(ErpSql& sql, int64_t item_id, int64_t version) {
  const Result<std::vector<JournalEntry>> entries = JournalOfItem(sql, item_id);
  if (!entries.ok()) return "";
  std::string text;
  for (const JournalEntry& entry : *entries) {
    if (entry.version == version) continue;
    text += text.empty() ? " (" : "; ";
    text += "item " + std::to_string(item_id) + " version " + std::to_string(entry.version) +
            " was written into the ERP as";
    for (const std::string& key : entry.erp_keys) text += " " + key;
  }
  return text.empty() ? text : text + ")";
}

}  // namespace

void SqliteErpWriter::SqliteDbCloser::operator()(sqlite3* db) const { sqlite3_close_v2(db); }

SqliteErpWriter::SqliteErpWriter(std::string path, std::unique_ptr<sqlite3, SqliteDbCloser> db,
                                 const Clock* clock)
    : path_(std::move(path)),
      db_(std::move(db)),
      sql_(std::make_unique<ErpSql>(db_.get())),
      clock_(clock != nullptr ? clock : &RealClock()) {}

SqliteErpWriter::~SqliteErpWriter() {
  // Statements before the connection.
  sql_.reset();
}

Result<std::unique_ptr<SqliteErpWriter>> SqliteErpWriter::Open(const std::string& erp_path,
                                                               const Clock* clock,
                                                               SqliteErpWriterOptions options) {
  struct stat info {};
  if (::stat(erp_path.c_str(), &info) != 0) {
    return NotFoundError("ERP database " + erp_path + " does not exist");
  }
  if (!S_ISREG(info.st_mode)) return InvalidArgumentError(erp_path + " is not an SQLite database");
  sqlite3* raw = nullptr;
  int rc =
      sqlite3_open_v2(erp_path.c_str(), &raw, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, nullptr);
  std::unique_ptr<sqlite3, SqliteDbCloser> db(raw);
  const std::string doing = "opening ERP database " + erp_path + " for exports";
  if (rc != SQLITE_OK) return ExportSqliteError(db.get(), rc, doing);
  sqlite3_extended_result_codes(db.get(), 1);
  sqlite3_busy_timeout(db.get(), options.busy_timeout_ms);
  Status status = Status::Ok();
  {
    ErpSql sql(db.get());
    // The first query finds out what the file is.
    Result<bool> company =
        sql.Exists("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'JCM_MASTER__JOB'");
    if (!company.ok()) {
      if (sqlite3_errcode(db.get()) == SQLITE_NOTADB) {
        return InvalidArgumentError(erp_path + " is not an SQLite database");
      }
      return company.status().WithContext(doing);
    }
    if (!*company) {
      return FailedPreconditionError(erp_path +
                                     " is not a Sage 300 CRE company (no table JCM_MASTER__JOB)");
    }
    // The journal and the unposted-entry tables, created once.
    std::string missing_sql;
    for (const UnpostedEntryTableDef& table : UnpostedEntryTables()) {
      ERPSYNC_ASSIGN_OR_RETURN(
          const bool exists,
          sql.Exists("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?1",
                     {table.name}));
      if (exists) continue;
      missing_sql += table.create_sql;
      missing_sql += ";\n";
      if (!table.batch_index_sql.empty()) {
        missing_sql += table.batch_index_sql;
        missing_sql += ";\n";
      }
    }
    ERPSYNC_ASSIGN_OR_RETURN(
        const bool journal,
        sql.Exists("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?1",
                   {kExportJournalTable}));
    if (!journal) missing_sql += kExportJournalSql;
    if (!missing_sql.empty()) {
      const std::string script = "BEGIN IMMEDIATE;\n" + missing_sql + ";\nCOMMIT;";
      rc = sqlite3_exec(db.get(), script.c_str(), nullptr, nullptr, nullptr);
      if (rc != SQLITE_OK) {
        status = ExportSqliteError(db.get(), rc, "creating the export tables in " + erp_path);
        if (sqlite3_get_autocommit(db.get()) == 0) {
          sqlite3_exec(db.get(), "ROLLBACK", nullptr, nullptr, nullptr);
        }
      }
    }
  }
  ERPSYNC_RETURN_IF_ERROR(status);
  return std::unique_ptr<SqliteErpWriter>(new SqliteErpWriter(erp_path, std::move(db), clock));
}

ExportOutcome SqliteErpWriter::Apply(const v1::ExportItem& item) {
  try {
    return ApplyOnce(item);
  } catch (const std::exception& error) {
    RollBack();
    return ExportOutcome::Transient("writing item " + std::to_string(item.item_id()) +
                                    " into the ERP failed: " + error.what());
  }
}

void SqliteErpWriter::RollBack() {
  if (sqlite3_get_autocommit(db_.get()) == 0) {
    sqlite3_exec(db_.get(), "ROLLBACK", nullptr, nullptr, nullptr);
  }
}

ExportOutcome SqliteErpWriter::Failed(const Status& status, const v1::ExportItem& item) {
  RollBack();
  switch (status.code()) {
    case StatusCode::kUnavailable:
      return ExportOutcome::Transient("the ERP database cannot take the export now: " +
                                      status.message());
    case StatusCode::kDataLoss:
      return ExportOutcome::Rejected("the ERP database is damaged; nothing was written: " +
                                     status.message());
    case StatusCode::kInternal:
      return ExportOutcome::Rejected("the ERP could not write it: " + status.message());
    case StatusCode::kAlreadyExists:
      return ExportOutcome::Rejected(status.message() +
                                     EarlierWrites(*sql_, item.item_id(), item.version()));
    default:
      return ExportOutcome::Rejected(status.message());
  }
}

ExportOutcome SqliteErpWriter::ApplyOnce(const v1::ExportItem& item) {
  if (item.item_id() <= 0) return ExportOutcome::Rejected("the export names no item");
  // A redelivery is answered from the journal without the write lock, also
  // while another program writes the ERP.
  Result<std::optional<std::vector<std::string>>> journaled =
      FindJournaled(*sql_, item.item_id(), item.version());
  if (!journaled.ok()) return Failed(journaled.status(), item);
  if (*journaled) return ExportOutcome::AlreadyApplied(std::move(**journaled));

  // The write and its journal row: one transaction, holding the write lock
  // from the start so that the journal read inside it stays true.
  Status status = sql_->Exec("BEGIN IMMEDIATE");
  if (!status.ok()) return Failed(status, item);
  journaled = FindJournaled(*sql_, item.item_id(), item.version());
  if (!journaled.ok()) return Failed(journaled.status(), item);
  if (*journaled) {
    RollBack();
    return ExportOutcome::AlreadyApplied(std::move(**journaled));
  }
  ExportWrite write;
  write.sql = sql_.get();
  write.item = &item;
  write.now = ToLocalDateTime(clock_->NowUnix());
  write.batch = ExportBatch(item.item_id(), item.version());
  Result<std::vector<std::string>> keys = WriteExport(write);
  if (!keys.ok()) return Failed(keys.status(), item);
  status = RecordJournal(*sql_, item.item_id(), item.version(), *keys,
                         write.now.date + " " + write.now.time);
  if (!status.ok()) return Failed(status, item);
  status = sql_->Exec("COMMIT");
  if (!status.ok()) return Failed(status, item);
  return ExportOutcome::Applied(std::move(keys).value());
}

}  // namespace erpsync::agent
