// What a sync run did, per entity and in total: the figures behind the
// terminal progress, the end-of-run summary and its --json form. Plain data.
#ifndef ERPSYNC_AGENT_SYNC_SYNC_REPORT_H_
#define ERPSYNC_AGENT_SYNC_SYNC_REPORT_H_

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "agent/state/state_store.h"
#include "common/status.h"

namespace erpsync::agent {

// A row a sync set aside (quarantined): not sent, retried by every sync.
struct QuarantinedRow {
  std::string key;     // the record key, when the row has a usable one
  std::string where;   // "rowid 51", "row 12 of the read"
  std::string column;  // the ERP column at fault; empty for the row as a whole
  std::string value;   // the cell as read, printable and shortened
  std::string reason;
};

// The reported form of a row the state keeps as set aside.
inline QuarantinedRow QuarantinedRowOf(const QuarantineEntry& entry) {
  return {entry.has_key ? entry.key : "", entry.where, entry.column, entry.value, entry.reason};
}

// Reports list at most this many quarantined rows per record type (their
// count is always complete).
inline constexpr size_t kMaxListedQuarantinedRows = 100;

struct EntityReport {
  std::string entity_id;
  std::string display_name;
  // "deep", "deep since 2025-01-01", "incremental (row stamp)",
  // "incremental (content hash)".
  std::string mode;
  uint64_t generation = 0;
  uint64_t total = 0;          // rows the read was expected to return (deep)
  uint64_t resumed_at = 0;     // records acknowledged before this run
  uint64_t rows_read = 0;
  uint64_t records_sent = 0;   // including deletions
  uint64_t deletions_sent = 0;
  uint64_t acked = 0;          // records acknowledged in this run
  uint64_t inserted = 0;
  uint64_t updated = 0;
  uint64_t unchanged = 0;
  uint64_t deleted = 0;
  uint64_t deleted_by_pass = 0;
  uint64_t server_count = 0;
  uint64_t server_checksum = 0;
  uint64_t bytes_sent = 0;     // serialized (batches compressed), before any channel compression
  double seconds = 0;
  bool skipped = false;        // already completed by the interrupted run
  std::string error;           // empty on success
  // The ERP failed (a locked file, a driver error), not the server.
  bool erp_failure = false;
  // Rows set aside by this sync: their count and the first of them.
  uint64_t quarantined = 0;
  std::vector<QuarantinedRow> quarantine;
  // Why a complete full pass deleted nothing on the server; empty when it
  // could delete what it did not see.
  std::string deletions_skipped;

  double records_per_second() const { return seconds > 0 ? static_cast<double>(acked) / seconds : 0; }
};

struct SyncReport {
  std::string run_id;
  std::string kind;   // "deep" or "incremental"
  std::string since;
  bool resumed = false;
  std::vector<EntityReport> entities;
  double seconds = 0;
  uint64_t bytes_sent = 0;
  int reconnects = 0;

  bool ok() const {
    for (const EntityReport& entity : entities) {
      if (!entity.error.empty()) return false;
    }
    return true;
  }
  uint64_t quarantined() const {
    uint64_t rows = 0;
    for (const EntityReport& entity : entities) rows += entity.quarantined;
    return rows;
  }
  bool erp_failed() const {
    for (const EntityReport& entity : entities) {
      if (entity.erp_failure && !entity.error.empty()) return true;
    }
    return false;
  }
};

// Receives progress while a run goes on (called on the sync thread).
class ProgressListener {
 public:
  virtual ~ProgressListener() = default;
  virtual void OnEntityStart(const EntityReport& /*entity*/) {}
  // After each acknowledged batch.
  virtual void OnProgress(const EntityReport& /*entity*/) {}
  virtual void OnEntityDone(const EntityReport& /*entity*/) {}
  // The connection failed; the run retries after `delay`.
  virtual void OnRetry(const Status& /*error*/, std::chrono::milliseconds /*delay*/, int /*attempt*/) {}
};

}  // namespace erpsync::agent

#endif  // ERPSYNC_AGENT_SYNC_SYNC_REPORT_H_
