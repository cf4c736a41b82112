#include "agent/export/export_worker.h"

#include <algorithm>

#include "common/log.h"

namespace erpsync::agent {

using Steady = std::chrono::steady_clock;

ExportWorker::ExportWorker(ApplyFunction apply, ReportFunction report, BackoffPolicy backoff)
    : apply_(std::move(apply)), report_(std::move(report)), policy_(backoff) {}

ExportWorker::~ExportWorker() { Stop(); }

void ExportWorker::Start() {
  thread_ = std::thread([this] { Loop(); });
}

void ExportWorker::Stop() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
    wake_.notify_all();
  }
  if (thread_.joinable()) thread_.join();
}

void ExportWorker::Enqueue(v1::ExportItem item) {
  std::lock_guard<std::mutex> lock(mutex_);
  for (const Pending& pending : queue_) {
    if (pending.item.item_id() == item.item_id() && pending.item.version() == item.version())
      return;
  }
  queue_.push_back(Pending{std::move(item), Steady::now(), Backoff(policy_)});
  wake_.notify_all();
}

size_t ExportWorker::pending() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return queue_.size();
}

void ExportWorker::Loop() {
  std::unique_lock<std::mutex> lock(mutex_);
  while (!stopping_) {
    if (queue_.empty()) {
      wake_.wait(lock);
      continue;
    }
    // The oldest export that is due (queue order is arrival order).
    auto next = std::find_if(queue_.begin(), queue_.end(),
                             [now = Steady::now()](const Pending& p) { return p.due <= now; });
    if (next == queue_.end()) {
      const auto earliest =
          std::min_element(queue_.begin(), queue_.end(),
                           [](const Pending& a, const Pending& b) { return a.due < b.due; });
      wake_.wait_until(lock, earliest->due);
      continue;
    }
    const v1::ExportItem item = next->item;
    lock.unlock();
    const ExportOutcome outcome = apply_(item);
    lock.lock();
    next = std::find_if(queue_.begin(), queue_.end(), [&](const Pending& p) {
      return p.item.item_id() == item.item_id() && p.item.version() == item.version();
    });
    if (outcome.kind == ExportOutcome::Kind::kTransient) {
      const std::chrono::milliseconds delay = next->backoff.NextDelay();
      ERPSYNC_LOG(kWarning) << "export of item " << item.item_id() << " postponed " << delay.count()
                            << " ms: " << outcome.message;
      next->due = Steady::now() + delay;
      continue;
    }
    queue_.erase(next);
    v1::ExportResult result;
    result.set_item_id(item.item_id());
    result.set_version(item.version());
    result.set_ok(outcome.kind != ExportOutcome::Kind::kRejected);
    for (const std::string& key : outcome.erp_keys) result.add_erp_keys(key);
    result.set_message(outcome.message);
    ERPSYNC_LOG(kInfo) << "export of item " << item.item_id() << " v" << item.version() << ": "
                       << (result.ok() ? "written" : "refused by the ERP: " + outcome.message);
    lock.unlock();
    report_(result);
    lock.lock();
  }
}

}  // namespace erpsync::agent
