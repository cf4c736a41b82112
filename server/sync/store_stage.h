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
// failure (the store, or `respond` returning false) nothing more is stored,
// `failed` is called once (on the stage's thread, to end the stream's
// reading) and Submit/Drain return that status. The destructor stores what
// was submitted, then joins the thread.
//
// Thread-safety: Spare, Submit and Drain are called from one thread (the
// stream's); the handler must not be used elsewhere while batches are in
// flight (Drain first).
#ifndef ERPSYNC_SERVER_SYNC_STORE_STAGE_H_
#define ERPSYNC_SERVER_SYNC_STORE_STAGE_H_

#include <cstddef>
#include <deque>
#include <functional>
#include <memory>
#include <thread>
#include <vector>

#include "common/mutex.h"
#include "common/status.h"
#include "common/thread_annotations.h"
#include "erpsync/v1/sync.pb.h"
#include "server/sync/prepared_batch.h"
#include "server/sync/sync_stream_handler.h"

namespace erpsync::server {

class StoreStage {
 public:
  // Sends one response to the agent; false when the stream is gone.
  using Respond = std::function<bool(const v1::SyncResponse&)>;

  // Called once, on the first failure, with it (on the stage's thread,
  // after the answers of the batches stored before it).
  using Failed = std::function<void(const Status&)>;

  // `handler` must outlive the stage. `depth` >= 1.
  StoreStage(SyncStreamHandler* handler, Respond respond, Failed failed, size_t depth);
  ~StoreStage();
  StoreStage(const StoreStage&) = delete;
  StoreStage& operator=(const StoreStage&) = delete;

  // A batch to read the next request into: a stored one, or a new one.
  std::unique_ptr<PreparedBatch> Spare() ERPSYNC_EXCLUDES(mu_);

  // Queues a prepared batch for storing, waiting while `depth` are queued.
  // The first failure of an earlier batch instead (the batch is dropped);
  // CANCELLED "the agent went away" when `respond` returned false.
  Status Submit(std::unique_ptr<PreparedBatch> batch) ERPSYNC_EXCLUDES(mu_);

  // Waits until every submitted batch is stored and answered. OK, or the
  // first failure.
  Status Drain() ERPSYNC_EXCLUDES(mu_);

  // Capacity a recycled batch keeps for the next one (2 MiB per buffer:
  // half an agent's default 4 MiB batch; a larger buffer is given back,
  // which costs less than keeping it with twenty streams open).
  static constexpr size_t kKeptCapacityBytes = 2u << 20;

 private:
  // Gives back a stored batch's reservation and its large buffers.
  static void Recycle(PreparedBatch& batch);
  void Run() ERPSYNC_EXCLUDES(mu_);

  SyncStreamHandler* const handler_;
  const Respond respond_;
  const Failed failed_;
  const size_t depth_;
  Mutex mu_;
  CondVar changed_;
  // submitted, not yet stored
  std::deque<std::unique_ptr<PreparedBatch>> queue_ ERPSYNC_GUARDED_BY(mu_);
  std::vector<std::unique_ptr<PreparedBatch>> spares_ ERPSYNC_GUARDED_BY(mu_);
  // a batch taken off the queue is being stored
  bool storing_ ERPSYNC_GUARDED_BY(mu_) = false;
  bool stopping_ ERPSYNC_GUARDED_BY(mu_) = false;
  Status failure_ ERPSYNC_GUARDED_BY(mu_);
  std::thread thread_;  // last: started once the rest is built
};

}  // namespace erpsync::server

#endif  // ERPSYNC_SERVER_SYNC_STORE_STAGE_H_
