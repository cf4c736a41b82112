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
    MutexLock lock(mutex_);
    stopping_ = true;
    wake_.NotifyAll();
  }
  if (thread_.joinable()) thread_.join();
}

void ExportWorker::Enqueue(v1::ExportItem item) {
  MutexLock lock(mutex_);
  for (const Pending& pending : queue_) {
    if (pending.item.item_id() == item.item_id() && pending.item.version() == item.version())
      return;
  }
  queue_.push_back(Pending{std::move(item), Steady::now(), Backoff(policy_)});
  wake_.NotifyAll();
}

size_t ExportWorker::pending() const {
  MutexLock lock(mutex_);
  return queue_.size();
}

void ExportWorker::Loop() {
  MutexLock lock(mutex_);
  while (!stopping_) {
    if (queue_.empty()) {
      wake_.Wait(mutex_);
      continue;
    }
    // The oldest export that is due (queue order is arrival order).
    auto next = std::find_if(queue_.begin(), queue_.end(),
                             [now = Steady::now()](const Pending& p) { return p.due <= now; });
    if (next == queue_.end()) {
      const auto earliest =
          std::min_element(queue_.begin(), queue_.end(),
                           [](const Pending& a, const Pending& b) { return a.due < b.due; });
      wake_.WaitUntil(mutex_, earliest->due);
      continue;
    }
    const v1::ExportItem item = next->item;
    lock.Unlock();
    const ExportOutcome outcome = apply_(item);
    lock.Lock();
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
    lock.Unlock();
    report_(result);
    lock.Lock();
  }
}

}  // namespace erpsync::agent
