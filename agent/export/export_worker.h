// ExportWorker: applies the exports the server hands the agent (items
// accepted for the ERP), one at a time on its own thread, oldest first. A
// transient fault (the ERP busy or locked) puts the item back with
// exponential backoff while the others go on, so one failing export never
// blocks the rest; every final outcome is reported through `report`.
// Thread-safe.
#ifndef ERPSYNC_AGENT_EXPORT_EXPORT_WORKER_H_
#define ERPSYNC_AGENT_EXPORT_EXPORT_WORKER_H_

#include <chrono>
#include <functional>
#include <list>
#include <thread>

#include "agent/erp/export_outcome.h"
#include "common/backoff.h"
#include "common/mutex.h"
#include "common/thread_annotations.h"
#include "erpsync/v1/agents.pb.h"

namespace erpsync::agent {

class ExportWorker {
 public:
  using ApplyFunction = std::function<ExportOutcome(const v1::ExportItem&)>;
  using ReportFunction = std::function<void(const v1::ExportResult&)>;

  ExportWorker(ApplyFunction apply, ReportFunction report, BackoffPolicy backoff);
  ~ExportWorker();
  ExportWorker(const ExportWorker&) = delete;
  ExportWorker& operator=(const ExportWorker&) = delete;

  void Start();
  // Finishes the export in hand, then stops; the rest stay with the server,
  // which delivers them again on the next connection.
  void Stop() ERPSYNC_EXCLUDES(mutex_);

  // Queues an export; an item version already queued is ignored (the server
  // delivers again after reconnecting).
  void Enqueue(v1::ExportItem item) ERPSYNC_EXCLUDES(mutex_);
  // Exports queued and not yet finished.
  size_t pending() const ERPSYNC_EXCLUDES(mutex_);

 private:
  struct Pending {
    v1::ExportItem item;
    std::chrono::steady_clock::time_point due;
    Backoff backoff;
  };
  void Loop() ERPSYNC_EXCLUDES(mutex_);

  const ApplyFunction apply_;
  const ReportFunction report_;
  const BackoffPolicy policy_;
  mutable Mutex mutex_;
  CondVar wake_;
  std::list<Pending> queue_ ERPSYNC_GUARDED_BY(mutex_);
  bool stopping_ ERPSYNC_GUARDED_BY(mutex_) = false;
  std::thread thread_;
};

}  // namespace erpsync::agent

#endif  // ERPSYNC_AGENT_EXPORT_EXPORT_WORKER_H_
