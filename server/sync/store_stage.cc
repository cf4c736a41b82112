#include "server/sync/store_stage.h"

#include <utility>

namespace erpsync::server {

StoreStage::StoreStage(SyncStreamHandler* handler, Respond respond, size_t depth)
    : handler_(handler),
      respond_(std::move(respond)),
      depth_(depth == 0 ? 1 : depth),
      thread_([this] { Run(); }) {}

StoreStage::~StoreStage() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  changed_.notify_all();
  thread_.join();
}

std::unique_ptr<PreparedBatch> StoreStage::Spare() {
  std::lock_guard lock(mu_);
  if (spares_.empty()) return std::make_unique<PreparedBatch>();
  std::unique_ptr<PreparedBatch> batch = std::move(spares_.back());
  spares_.pop_back();
  return batch;
}

Status StoreStage::Submit(std::unique_ptr<PreparedBatch> batch) {
  std::unique_lock lock(mu_);
  changed_.wait(lock, [this] { return queue_.size() < depth_ || !failure_.ok(); });
  if (!failure_.ok()) return failure_;
  queue_.push_back(std::move(batch));
  lock.unlock();
  changed_.notify_all();
  return Status::Ok();
}

Status StoreStage::Drain() {
  std::unique_lock lock(mu_);
  changed_.wait(lock, [this] { return (queue_.empty() && !storing_) || !failure_.ok(); });
  return failure_;
}

void StoreStage::Run() {
  std::unique_lock lock(mu_);
  while (true) {
    changed_.wait(lock, [this] { return !queue_.empty() || stopping_; });
    if (queue_.empty()) return;  // stopping, and everything submitted is stored
    std::unique_ptr<PreparedBatch> batch = std::move(queue_.front());
    queue_.pop_front();
    if (failure_.ok()) {
      storing_ = true;
      lock.unlock();
      changed_.notify_all();  // room in the queue
      Status status;
      Result<v1::SyncResponse> response = handler_->StoreBatch(*batch);
      if (!response.ok()) {
        status = response.status();
      } else if (!respond_(*response)) {
        status = CancelledError("the agent went away");
      }
      lock.lock();
      storing_ = false;
      if (failure_.ok()) failure_ = status;
    }
    batch->records.clear();
    spares_.push_back(std::move(batch));
    changed_.notify_all();
  }
}

}  // namespace erpsync::server
