// PreparedBatch: one RecordBatch between the two halves of its handling
// (SyncStreamHandler::PrepareBatch, then StoreBatch): its records checked
// against the entity's schema and hashed, as views of the request they came
// in or of the bytes decompressed from it. Owns both, so a batch can wait
// on one thread while the next is prepared on another. Reused from batch to
// batch (its buffers and zstd context keep their capacity). Not
// thread-safe: one thread at a time.
#ifndef ERPSYNC_SERVER_SYNC_PREPARED_BATCH_H_
#define ERPSYNC_SERVER_SYNC_PREPARED_BATCH_H_

#include <cstdint>
#include <string_view>
#include <vector>

#include "common/packed_records.h"
#include "erpsync/v1/sync.pb.h"
#include "server/store/store_types.h"
#include "server/sync/inflight_budget.h"

namespace erpsync::server {

struct PreparedBatch {
  // The message as read from the stream; prepare a batch from request.batch().
  v1::SyncRequest request;
  uint64_t sequence = 0;
  // A census batch: its keys were taken when it was prepared; nothing to
  // store, only the acknowledgement to send.
  bool census = false;
  // Views of request or of reader's buffer (see IncomingRecord).
  std::vector<IncomingRecord> records;
  // The batch's kept_keys (views of request): records to keep as they are.
  std::vector<std::string_view> kept;
  PackedRecordReader reader;
  // Its bytes in the server's budget, held until it is stored.
  InflightBudget::Reservation reservation;
};

}  // namespace erpsync::server

#endif  // ERPSYNC_SERVER_SYNC_PREPARED_BATCH_H_
