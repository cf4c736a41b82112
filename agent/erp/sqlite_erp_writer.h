// SqliteErpWriter: the ErpWriter of a Sage-shaped SQLite ERP file (the
// sample company): writes the exports the server hands the agent (accepted
// approval items, erpsync.v1.ExportItem) into its tables, exactly once, as
// the ERP receives them.
//
// What each type writes, and the ERP keys it reports: each the record key of
// the mapping that mirrors the record back (key columns' text joined by
// AppendKeyPart, e.g. "24-101|2"), which is what the server looks up; for
// entries, the batch.
//   JOB: JCM_MASTER__JOB. Job (cv_job, jc_job).
//   SUB_JOB: JCM_MASTER__EXTRA. Job|Extra (jc_extra).
//   VENDOR: APM_MASTER__VENDOR and default APM_MASTER__INVOICE_SETTINGS.
//     Vendor (vendor).
//   COST_CODE_UPDATE: the JCM_MASTER__COST_CODE rows the job lacks, with
//     their group codes ("03-000"); existing descriptions are kept.
//     Job|Extra|Cost_Code per line (jc_cost_code).
//   COMMITMENT: JCM_MASTER__COMMITMENT and its JCM_MASTER__COMMITMENT_ITEMs.
//     Commitment (jc_commitment).
//   COMMITMENT_CHANGE_ORDER: a JCM_MASTER__COMMITMENT_CO row per line (and a
//     JCM_MASTER__COMMITMENT_ITEM for a new item).
//     Commitment|Change_Order|Item per line (jc_commitment_change_order).
//   BUDGET, BUDGET_CHANGE: unposted JCT_UNPOSTED__TRANSACTION rows,
//     'Original estimate' or 'Approved est chg'. The batch (the Batch of the
//     jc_transaction records once posted).
//   PRIME_CONTRACT_CHANGE_ORDER: unposted CNT_UNPOSTED__CHANGE_ORDER and
//     its _ITEMs, on the job's prime contract. Contract|Change_Order
//     (cn_contract_change_order once posted), then the batch.
//   SUBCONTRACTOR_INVOICE: unposted APT_UNPOSTED__INVOICE and
//     APT_UNPOSTED__DISTRIBUTIONs, one per line, coded as the commitment
//     item, with its retainage. Vendor|Invoice (ap_invoice once posted),
//     then the batch.
// Master rows get Date_Stamp/Time_Stamp = now (local time) where the table
// has them, so the next incremental sync sends them; lines that use a
// standard category the job's cost code lacks tie it to the cost code
// (JCM_MASTER__CATEGORY). Each export's entries carry a fresh batch,
// "EX-<item id>-<version>"; `erpsync-agent sample-erp post` (PostSampleEntries)
// plays the accountant who posts them. Money is exact decimal text.
//
// Exactly once: the export (item id, version) is journaled with its keys in
// ERPSYNC_EXPORT_JOURNAL, a table of the ERP file, in the same SQLite
// transaction as the write. An export already journaled is answered
// kAlreadyApplied with the stored keys and writes nothing, also through a
// new applier after a crash between the write and the report. A refused or
// failed export leaves no trace (not even a journal row), so a new version
// of the item can be applied once fixed.
//
// Outcomes (export_outcome.h): kRejected with the ERP's message for what
// the ERP refuses (erp_checks.h: a key already in use, an unknown job,
// vendor, commitment, cost code or category, a field too long, a malformed
// amount or date, a closed commitment), for a damaged file and for other
// SQLite failures that retrying cannot cure (a read-only file, a missing
// table): "the ERP could not write it: ...". kTransient when the ERP could
// not take it now: another writer holds the lock past the busy timeout
// (SQLITE_BUSY/LOCKED), disk full, I/O errors, out of memory.
//
// Real Sage 300 CRE: its ODBC layer is read-only, so writing needs Sage's
// own import path (OdbcErpWriter). The sample company in SQLite is
// writable, and holds the journal table itself.
//
// Not thread-safe: one writer per ERP, used by one thread. Writers in
// other processes may write the same file: SQLite's write lock serializes
// them and the journal is read again inside the write transaction.
#ifndef ERPSYNC_AGENT_ERP_SQLITE_ERP_WRITER_H_
#define ERPSYNC_AGENT_ERP_SQLITE_ERP_WRITER_H_

#include <memory>
#include <string>

#include "agent/erp/erp_writer.h"
#include "common/clock.h"
#include "common/status.h"

struct sqlite3;

namespace erpsync::agent {

class ErpSql;

struct SqliteErpWriterOptions {
  // How long a write waits for another writer's lock before Apply gives up
  // with kTransient. Short: the export is retried anyway.
  int busy_timeout_ms = 2000;
};

class SqliteErpWriter : public ErpWriter {
 public:
  // Opens the sample company (or any Sage-shaped SQLite ERP file) at
  // `erp_path` for writing and creates the journal table and the unposted
  // entry tables (unposted_entry_tables.h) when missing. `clock` stamps the rows
  // (nullptr: the real clock) and must outlive the applier.
  // NOT_FOUND "ERP database <path> does not exist"; INVALID_ARGUMENT "<path>
  // is not an SQLite database"; FAILED_PRECONDITION "<path> is not a Sage
  // 300 CRE company (no table JCM_MASTER__JOB)"; UNAVAILABLE when another
  // writer holds the file past the busy timeout; INTERNAL for other SQLite
  // errors (a read-only file among them).
  static Result<std::unique_ptr<SqliteErpWriter>> Open(const std::string& erp_path,
                                                       const Clock* clock,
                                                       SqliteErpWriterOptions options = {});

  ~SqliteErpWriter() override;
  SqliteErpWriter(const SqliteErpWriter&) = delete;
  SqliteErpWriter& operator=(const SqliteErpWriter&) = delete;

  // Writes `item` into the ERP and journals (item id, version, ERP keys) in
  // the same SQLite transaction: kApplied with the keys. An export already
  // journaled with that version: kAlreadyApplied with the stored keys,
  // nothing written (answered without waiting for the write lock). Refused:
  // kRejected with the ERP's message; could not be written now: kTransient.
  // Nothing is written unless the outcome is kApplied. Never throws.
  ExportOutcome Apply(const v1::ExportItem& item) override;
  std::string Describe() const override { return "SQLite company " + path_; }

 private:
  struct SqliteDbCloser {
    void operator()(sqlite3* db) const;
  };

  SqliteErpWriter(std::string path, std::unique_ptr<sqlite3, SqliteDbCloser> db,
                  const Clock* clock);

  ExportOutcome ApplyOnce(const v1::ExportItem& item);
  // The outcome of a write that failed with `status`.
  ExportOutcome Failed(const Status& status, const v1::ExportItem& item);
  // Rolls back the open transaction, if any.
  void RollBack();

  std::string path_;
  std::unique_ptr<sqlite3, SqliteDbCloser> db_;
  std::unique_ptr<ErpSql> sql_;
  const Clock* clock_ = nullptr;
};

}  // namespace erpsync::agent

#endif  // ERPSYNC_AGENT_ERP_SQLITE_ERP_WRITER_H_
