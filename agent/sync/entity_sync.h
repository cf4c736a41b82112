// EntitySync: syncs one entity over an open SyncSession: a deep read (full
// pass or timeframe, resumable from its checkpoint), an incremental read by
// row stamp, or an incremental read by content hash. Every state change
// (checkpoint, position, hashes) is made when the server acknowledges the
// batch it belongs to, in one state transaction.
//
// Rows that cannot be records are set aside (RecordReader) and kept in the
// state's quarantine: every later sync retries them, and a row leaves the
// quarantine when it reads cleanly. A complete full pass tells the server to
// keep the records of quarantined rows (RecordBatch.kept_keys), and deletes
// nothing when a row had no usable key at all. Not thread-safe.
#ifndef ERPSYNC_AGENT_SYNC_ENTITY_SYNC_H_
#define ERPSYNC_AGENT_SYNC_ENTITY_SYNC_H_

#include <atomic>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <unordered_set>
#include <vector>

#include "agent/erp/erp_source.h"
#include "agent/mapping/entity_plan.h"
#include "agent/state/state_store.h"
#include "agent/sync/record_reader.h"
#include "agent/sync/sync_report.h"
#include "agent/sync/sync_session.h"
#include "agent/sync/sync_settings.h"
#include "agent/sync/timeframe.h"
#include "common/clock.h"

namespace erpsync::agent {

struct EntitySyncContext {
  ErpSource* erp = nullptr;
  StateStore* state = nullptr;
  const Clock* clock = nullptr;
  const SyncSettings* settings = nullptr;
  ProgressListener* progress = nullptr;
  // Set (e.g. by SIGTERM) to stop after the batch in flight is acknowledged.
  const std::atomic<bool>* stop = nullptr;
};

class EntitySync {
 public:
  EntitySync(const EntitySyncContext& context, const EntityPlan* plan, EntityReport* report)
      : context_(context), plan_(plan), report_(report) {}

  // Deep read within `run_id`. OK when the entity completed, also with rows
  // quarantined (counted in the report); CANCELLED when stopped (the
  // checkpoint holds what was acknowledged); ABORTED when the server no
  // longer has the pass to resume open (the checkpoint is given up: the next
  // attempt starts the entity over); session errors as they come (retryable
  // ones are resumed by the caller). An ERP failure closes the entity
  // incomplete, keeping the session usable, sets report.erp_failure and is
  // returned as it came.
  Status RunDeep(SyncSession& session, const std::string& run_id, const Timeframe& timeframe);

  // Incremental read of run `run_id` (row stamp when the plan has one,
  // content hash otherwise). Results as RunDeep.
  Status RunIncremental(SyncSession& session, const std::string& run_id);

 private:
  struct SentRecord {
    std::string key;
    uint64_t hash = 0;
    bool deleted = false;
  };
  // What an acknowledgement of a batch moves forward.
  struct BatchMark {
    uint64_t records = 0;
    std::string last_key;
    std::string stamp_date;
    std::string stamp_time;
    std::vector<SentRecord> hashes;  // hash mode only
    // Keys of quarantined rows whose records the server must keep (a full
    // pass); sent with the batch.
    std::vector<std::string> kept;
  };
  using AckApplier = std::function<Status(const BatchMark&)>;
  // Whether to send a record (key, content hash: content-hash mode only).
  using RowFilter = std::function<Result<bool>(const std::string& key, uint64_t hash)>;
  // What a BatchMark records besides the count and the last key: the last
  // row's stamps (an incremental sync by row stamp), every record's hash
  // (content-hash mode), or nothing more (a deep pass of a stamped entity).
  enum class MarkDetail { kLastKey, kStamps, kHashes };

  // Deep mode. The read of the pass: the mapped fields, from the timeframe's
  // start when the pass is windowed.
  TableRead DeepRead(const Timeframe& timeframe) const;
  // Opens (or resumes) the entity's pass on the server and saves its
  // checkpoint; nullopt when the interrupted run already completed it.
  Result<std::optional<DeepPassCheckpoint>> OpenDeepPass(SyncSession& session,
                                                         const std::string& run_id, bool full,
                                                         const TableRead& read);
  // Streams the rows after the checkpoint; each acknowledgement moves
  // `checkpoint` (and, in hash mode, the stored hashes).
  Status StreamDeepPass(SyncSession& session, TableRead read,
                        const std::shared_ptr<DeepPassCheckpoint>& checkpoint);
  // After the server closed a complete pass: the checkpoint done, the
  // progress of a full pass (incremental position, or old hashes dropped).
  Status CompleteDeepPass(DeepPassCheckpoint checkpoint, bool full);

  // Incremental modes. Opens the entity; the progress to start from (reset
  // when the schema changed since it was saved).
  Result<EntityProgress> OpenIncremental(SyncSession& session);
  // Rows stamped after the saved position, up to the lagged clock.
  Status StreamByStamp(SyncSession& session, const std::shared_ptr<EntityProgress>& progress);
  // Rows whose content hash differs from the stored one, then deletions of
  // stored keys the ERP no longer has.
  Status StreamByHash(SyncSession& session);
  // Row stamps cannot show deletions: when the server holds more records
  // than the ERP has rows, a key census lets it find them.
  Status CensusIfRowsWereDeleted(SyncSession& session);
  // Lists every key of the entity to the server, which marks records
  // whose key is absent deleted.
  Status RunCensus(SyncSession& session);

  // Rows stamped after the clock (clock skew, a mistyped stamp): sent once
  // per change (their hashes are kept), never moving the position.
  Status StreamFutureStamps(SyncSession& session);
  // Quarantined rows with a key that this read did not read again (their
  // stamp did not change): each is read again by its key.
  Status RetryQuarantined(SyncSession& session);

  // Shared by the modes. Reads `read`, encodes rows and sends them in
  // batches; `filter` may drop a row (returns false) after encoding; rows
  // that cannot be records are set aside (SetAside). The content hash is
  // computed only in kHashes mode. Stops early on the stop flag (CANCELLED).
  Status Stream(SyncSession& session, const TableRead& read, MarkDetail detail,
                const RowFilter& filter, const AckApplier& apply);
  // The same over several reads, one after the other, in the same batches.
  Status Stream(SyncSession& session, const std::vector<TableRead>& reads, MarkDetail detail,
                const RowFilter& filter, const AckApplier& apply);
  Status SendBatch(SyncSession& session, v1::RecordBatch batch, BatchMark mark,
                   const AckApplier& apply);
  // Records a row the read set aside: in the report, the state's quarantine,
  // and (a full pass) the keys the server must keep.
  Status SetAside(const SetAsideRow& row, BatchMark* mark);
  // `status` of a call to the ERP: marks the report an ERP failure.
  Status ErpFailure(Status status);
  // Ends the entity after streaming: `streamed` OK closes it, complete when
  // `complete` (the server may then delete what a full pass did not see);
  // CANCELLED or an ERP failure closes it incomplete, keeping the session,
  // and is returned; any other error is returned as it is.
  Status CloseEntity(SyncSession& session, const Status& streamed, bool complete = true);
  Status Finish(SyncSession& session, bool complete);
  // What every completed sync records in the progress.
  void RecordCompletedSync(EntityProgress* progress, int64_t now) const;
  bool stopping() const { return context_.stop != nullptr && context_.stop->load(); }
  LocalDateTime LaggedNow() const;

  // The read's id in the quarantine (the run id).
  std::string read_id_;
  // A full pass keeps the records of quarantined rows on the server.
  bool keep_quarantined_ = false;
  // A row of this read (or of the pass, before a resume) had no usable key.
  bool unkeyed_rows_ = false;
  // Keys quarantined by this read, and those quarantined before it (loaded
  // by the modes that retry them).
  std::vector<std::string> quarantined_keys_;
  std::unordered_set<std::string> known_quarantined_;

  EntitySyncContext context_;
  const EntityPlan* plan_;
  EntityReport* report_;
  EntityClosed closed_;
  uint64_t generation_ = 0;
};

}  // namespace erpsync::agent

#endif  // ERPSYNC_AGENT_SYNC_ENTITY_SYNC_H_
