// SyncStreamHandler: the server's side of one AgentSync.Sync stream as a
// protocol state machine, independent of gRPC: it checks that messages come
// in order (start, then per entity: start, batches, end, then end), that
// records match their schema, applies batches to the RecordStore and builds
// each response. Created per stream.
//
// A batch is handled in two halves so that a stream can store one batch
// while it decompresses and checks the next (see StoreStage): PrepareBatch
// (protocol checks, decompression, schema checks, hashes) and StoreBatch
// (the store's transaction and the acknowledgement). Thread-safety: calls
// are serialized, except that StoreBatch of a prepared batch may run on
// another thread at the same time as PrepareBatch of later batches. Handle
// must not overlap either (handle the batches in flight first).
#ifndef ERPSYNC_SERVER_SYNC_SYNC_STREAM_HANDLER_H_
#define ERPSYNC_SERVER_SYNC_SYNC_STREAM_HANDLER_H_

#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "common/sync_limits.h"
#include "erpsync/v1/sync.pb.h"
#include "server/store/record_store.h"
#include "server/store/store_types.h"
#include "server/sync/inflight_budget.h"
#include "server/sync/prepared_batch.h"
#include "server/sync/sync_metrics.h"

namespace erpsync::server {

class SyncStreamHandler {
 public:
  // `agent` is the authenticated principal; its connection scopes everything.
  // Batches over `limits` are refused; each batch reserves its bytes in
  // `budget` (when given, shared by all streams) until it is stored.
  // `metrics` (when given, outliving the handler) counts what arrives and
  // what is stored.
  SyncStreamHandler(RecordStore* records, Principal agent, SyncLimits limits = {},
                    InflightBudget* budget = nullptr, const SyncMetrics* metrics = nullptr)
      : records_(records),
        agent_(std::move(agent)),
        limits_(limits),
        budget_(budget),
        metrics_(metrics != nullptr ? metrics : &kNoMetrics) {}

  // Handles the next request and returns the response to send (nothing
  // refers to `request` afterwards). INVALID_ARGUMENT for a message out of
  // order or a record that does not match its schema; FAILED_PRECONDITION
  // for resuming a pass that is no longer open; INTERNAL/UNAVAILABLE from
  // the store.
  Result<v1::SyncResponse> Handle(const v1::SyncRequest& request);

  // The first half of handling `batch` (request.batch(), which must stay
  // valid, with `prepared`, until StoreBatch returns): checks its place in
  // the protocol and its sizes against the limits, reserves its bytes in the
  // budget (waiting for room), decompresses it, checks every record against
  // the schema and hashes it, into `prepared`. The errors of Handle for a
  // batch that StoreBatch does not return, and RESOURCE_EXHAUSTED when the
  // budget stays full.
  Status PrepareBatch(const v1::RecordBatch& batch, PreparedBatch* prepared);
  // The second half: stores the prepared records in one transaction and
  // returns the acknowledgement. INTERNAL/UNAVAILABLE from the store.
  Result<v1::SyncResponse> StoreBatch(const PreparedBatch& prepared);

  // SyncEnd was handled: the stream is complete.
  bool ended() const { return ended_; }

  // What the stream did so far, for the server's log. Read it from the
  // stream's thread once the store stage is drained.
  struct Totals {
    std::string run_id;
    uint32_t entities = 0;
    uint64_t records = 0;
    uint64_t inserted = 0;
    uint64_t updated = 0;
    uint64_t deleted = 0;
  };
  const Totals& totals() const { return totals_; }

 private:
  Result<v1::SyncResponse> OnEntityStart(const v1::EntityStart& start);
  Result<v1::SyncResponse> OnEntityEnd(const v1::EntityEnd& end);
  // Marks deleted the live records of the open entity whose key the census
  // did not list. Returns how many.
  Result<uint64_t> CloseCensus();
  // INVALID_ARGUMENT naming `what` for an empty key or one that is not UTF-8.
  Status CheckKey(std::string_view key, const char* what) const;

  RecordStore* records_;
  Principal agent_;
  const SyncLimits limits_;
  InflightBudget* const budget_;
  static const SyncMetrics kNoMetrics;
  const SyncMetrics* const metrics_;
  Totals totals_;
  bool started_ = false;
  bool ended_ = false;
  bool entity_open_ = false;
  EntityState entity_;
  bool full_pass_ = false;
  uint64_t pass_generation_ = 0;
  // The owner epoch of the open pass this stream took (RecordStore::
  // TakePass); 0 outside a full pass.
  uint64_t pass_epoch_ = 0;
  bool census_ = false;
  // XXH3-64 of every key a census listed (sorted when it closes).
  std::vector<uint64_t> census_keys_;
  uint64_t next_sequence_ = 1;
  // A batch handled whole by Handle (kept for its buffers' capacity).
  PreparedBatch batch_;
  // Census deletions being applied.
  std::vector<IncomingRecord> deletions_;
};

}  // namespace erpsync::server

#endif  // ERPSYNC_SERVER_SYNC_SYNC_STREAM_HANDLER_H_
