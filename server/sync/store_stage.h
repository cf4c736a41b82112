// StoreStage: the storing half of a sync stream on a thread of its own.
// The stream's thread reads each batch and prepares it
// (SyncStreamHandler::PrepareBatch: decompression, schema checks, hashes),
// then submits it here; this thread stores the batches in order
// (StoreBatch) and answers each with its acknowledgement, so one batch is
// stored while the next is prepared. Storing is the slower half, so with a
// few prepared batches queued it never waits for input while the agent
// keeps sending.
//
// Bounded: Submit blocks while `depth` batches wait. Prepared batches are
// recycled through Spare() (their buffers keep their capacity). After a
// failure (the store, or `respond` returning false) nothing more is stored
// and Submit/Drain return that status. The destructor stores what was
// submitted, then joins the thread.
//
// Thread-safety: Spare, Submit and Drain are called from one thread (the
// stream's); the handler must not be used elsewhere while batches are in
// flight (Drain first).
#ifndef ERPSYNC_SERVER_SYNC_STORE_STAGE_H_
#define ERPSYNC_SERVER_SYNC_STORE_STAGE_H_

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "common/status.h"
#include "erpsync/v1/sync.pb.h"
#include "server/sync/prepared_batch.h"
#include "server/sync/sync_stream_handler.h"

namespace erpsync::server {

class StoreStage {
 public:
  // Sends one response to the agent; false when the stream is gone.
  using Respond = std::function<bool(const v1::SyncResponse&)>;

  // `handler` must outlive the stage. `depth` >= 1.
  StoreStage(SyncStreamHandler* handler, Respond respond, size_t depth);
  ~StoreStage();
  StoreStage(const StoreStage&) = delete;
  StoreStage& operator=(const StoreStage&) = delete;

  // A batch to read the next request into: a stored one, or a new one.
  std::unique_ptr<PreparedBatch> Spare();

  // Queues a prepared batch for storing, waiting while `depth` are queued.
  // The first failure of an earlier batch instead (the batch is dropped);
  // CANCELLED "the agent went away" when `respond` returned false.
  Status Submit(std::unique_ptr<PreparedBatch> batch);

  // Waits until every submitted batch is stored and answered. OK, or the
  // first failure.
  Status Drain();

 private:
  void Run();

  SyncStreamHandler* const handler_;
  const Respond respond_;
  const size_t depth_;
  std::mutex mu_;
  std::condition_variable changed_;
  std::deque<std::unique_ptr<PreparedBatch>> queue_;  // submitted, not yet stored
  std::vector<std::unique_ptr<PreparedBatch>> spares_;
  bool storing_ = false;  // a batch taken off the queue is being stored
  bool stopping_ = false;
  Status failure_;
  std::thread thread_;  // last: started once the rest is built
};

}  // namespace erpsync::server

#endif  // ERPSYNC_SERVER_SYNC_STORE_STAGE_H_
