#include "server/sync/store_stage.h"

#include <utility>

namespace erpsync::server {

StoreStage::StoreStage(SyncStreamHandler* handler, Respond respond, Failed failed, size_t depth)
    : handler_(handler),
      respond_(std::move(respond)),
      failed_(std::move(failed)),
      depth_(depth == 0 ? 1 : depth),
      thread_([this] { Run(); }) {}

StoreStage::~StoreStage() {
  {
    MutexLock lock(mu_);
    stopping_ = true;
  }
  changed_.NotifyAll();
  thread_.join();
}

void StoreStage::Recycle(PreparedBatch& batch) {
  batch.records.clear();
  batch.kept.clear();
  batch.reservation.Reset();
  // The buffers keep their capacity for the next batch, unless it is over
  // what an agent's batch needs: a large batch's memory is given back.
  if (batch.request.ByteSizeLong() > kKeptCapacityBytes) batch.request = v1::SyncRequest();
  if (batch.records.capacity() * sizeof(IncomingRecord) > kKeptCapacityBytes) {
    std::vector<IncomingRecord>().swap(batch.records);
  }
  batch.reader.ShrinkBuffer(kKeptCapacityBytes);
}

std::unique_ptr<PreparedBatch> StoreStage::Spare() {
  MutexLock lock(mu_);
  if (spares_.empty()) return std::make_unique<PreparedBatch>();
  std::unique_ptr<PreparedBatch> batch = std::move(spares_.back());
  spares_.pop_back();
  return batch;
}

Status StoreStage::Submit(std::unique_ptr<PreparedBatch> batch) {
  MutexLock lock(mu_);
  changed_.Wait(
      mu_, [this]() ERPSYNC_REQUIRES(mu_) { return queue_.size() < depth_ || !failure_.ok(); });
  if (!failure_.ok()) return failure_;
  queue_.push_back(std::move(batch));
  lock.Unlock();
  changed_.NotifyAll();
  return Status::Ok();
}

Status StoreStage::Drain() {
  MutexLock lock(mu_);
  changed_.Wait(mu_, [this]() ERPSYNC_REQUIRES(mu_) {
    return (queue_.empty() && !storing_) || !failure_.ok();
  });
  return failure_;
}

void StoreStage::Run() {
  MutexLock lock(mu_);
  while (true) {
    changed_.Wait(mu_, [this]() ERPSYNC_REQUIRES(mu_) { return !queue_.empty() || stopping_; });
    if (queue_.empty()) return;  // stopping, and everything submitted is stored
    std::unique_ptr<PreparedBatch> batch = std::move(queue_.front());
    queue_.pop_front();
    if (failure_.ok()) {
      storing_ = true;
      lock.Unlock();
      changed_.NotifyAll();  // room in the queue
      Status status;
      Result<v1::SyncResponse> response = handler_->StoreBatch(*batch);
      if (!response.ok()) {
        status = response.status();
      } else if (!respond_(*response)) {
        status = CancelledError("the agent went away");
      }
      if (!status.ok() && failed_) failed_(status);
      lock.Lock();
      storing_ = false;
      if (failure_.ok()) failure_ = status;
    }
    Recycle(*batch);
    spares_.push_back(std::move(batch));
    changed_.NotifyAll();
  }
}

}  // namespace erpsync::server
