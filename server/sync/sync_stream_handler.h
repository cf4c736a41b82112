// SyncStreamHandler: the server's side of one AgentSync.Sync stream as a
// protocol state machine, independent of gRPC: it checks that messages come
// in order (start, then per entity: start, batches, end, then end), that
// records match their schema, applies batches to the RecordStore and builds
// each response. Created per stream; not thread-safe.
#ifndef ERPSYNC_SERVER_SYNC_SYNC_STREAM_HANDLER_H_
#define ERPSYNC_SERVER_SYNC_SYNC_STREAM_HANDLER_H_

#include <string>
#include <vector>

#include "common/packed_records.h"
#include "common/status.h"
#include "erpsync/v1/sync.pb.h"
#include "server/store/record_store.h"
#include "server/store/store_types.h"

namespace erpsync::server {

class SyncStreamHandler {
 public:
  // `agent` is the authenticated principal; its connection scopes everything.
  SyncStreamHandler(RecordStore* records, Principal agent)
      : records_(records), agent_(std::move(agent)) {}

  // Handles the next request and returns the response to send (nothing
  // refers to `request` afterwards). INVALID_ARGUMENT for a message out of
  // order or a record that does not match its schema; FAILED_PRECONDITION
  // for resuming a pass that is no longer open; INTERNAL/UNAVAILABLE from
  // the store.
  Result<v1::SyncResponse> Handle(const v1::SyncRequest& request);

  // SyncEnd was handled: the stream is complete.
  bool ended() const { return ended_; }

 private:
  Result<v1::SyncResponse> OnEntityStart(const v1::EntityStart& start);
  Result<v1::SyncResponse> OnBatch(const v1::RecordBatch& batch);
  Result<v1::SyncResponse> OnEntityEnd(const v1::EntityEnd& end);
  // Marks deleted the live records of the open entity whose key the census
  // did not list. Returns how many.
  Result<uint64_t> CloseCensus();

  RecordStore* records_;
  Principal agent_;
  bool started_ = false;
  bool ended_ = false;
  bool entity_open_ = false;
  EntityState entity_;
  bool full_pass_ = false;
  uint64_t pass_generation_ = 0;
  bool census_ = false;
  // XXH3-64 of every key a census listed (sorted when it closes).
  std::vector<uint64_t> census_keys_;
  uint64_t next_sequence_ = 1;
  // The records of the batch being applied: views of the request or of
  // reader_'s buffer, stale once that batch is done (kept for its capacity).
  std::vector<IncomingRecord> incoming_;
  PackedRecordReader reader_;
};

}  // namespace erpsync::server

#endif  // ERPSYNC_SERVER_SYNC_SYNC_STREAM_HANDLER_H_
