// BatchCompressor: compresses a stream's packed batches on a thread of its
// own, so that the reading thread reads and encodes the next batch
// meanwhile. In a deep sync compression is about a third of the agent's CPU;
// done in line it is a third of the agent's wall time too.
//
// One batch at a time: Submit, then Wait (which hands the batch back on the
// calling thread) before the next Submit. Use from one thread; the worker
// only ever touches the batch in hand.
#ifndef ERPSYNC_AGENT_SYNC_BATCH_COMPRESSOR_H_
#define ERPSYNC_AGENT_SYNC_BATCH_COMPRESSOR_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <thread>

#include "common/mutex.h"
#include "common/packed_records.h"
#include "common/status.h"
#include "common/thread_annotations.h"
#include "erpsync/v1/sync.pb.h"

namespace erpsync::agent {

// The batch message of `raw`, the packed bytes of `count` records:
// packed_records compressed with `compressor`, codec and count set.
// INTERNAL when zstd fails.
Result<v1::RecordBatch> CompressBatch(PackedCompressor& compressor, std::string_view raw,
                                      uint32_t count);

class BatchCompressor {
 public:
  // `level`: as PackedCompressor's.
  explicit BatchCompressor(int level);
  // Finishes the batch in hand (if any), then stops the worker.
  ~BatchCompressor();
  BatchCompressor(const BatchCompressor&) = delete;
  BatchCompressor& operator=(const BatchCompressor&) = delete;

  // Starts compressing `raw`, the packed bytes of `count` records.
  // Requires !pending().
  void Submit(std::string raw, uint32_t count) ERPSYNC_EXCLUDES(mutex_);

  // Whether a batch was submitted and not yet waited for.
  bool pending() const { return pending_; }

  // CompressBatch of the batch submitted last, once done. Requires
  // pending().
  Result<v1::RecordBatch> Wait() ERPSYNC_EXCLUDES(mutex_);

 private:
  void Work() ERPSYNC_EXCLUDES(mutex_);

  PackedCompressor compressor_;  // the worker's thread only
  bool pending_ = false;         // caller's thread only
  Mutex mutex_;
  CondVar changed_;
  // The batch in hand, and the finished one.
  std::optional<std::string> raw_ ERPSYNC_GUARDED_BY(mutex_);
  uint32_t count_ ERPSYNC_GUARDED_BY(mutex_) = 0;
  std::optional<Result<v1::RecordBatch>> done_ ERPSYNC_GUARDED_BY(mutex_);
  bool stopping_ ERPSYNC_GUARDED_BY(mutex_) = false;
  std::thread worker_;  // started by the first Submit
};

}  // namespace erpsync::agent

#endif  // ERPSYNC_AGENT_SYNC_BATCH_COMPRESSOR_H_
