// ServiceLoop: `erpsync-agent run`. Runs incremental syncs on a schedule
// (every few minutes), deep syncs on their own schedule (daily at a local
// time), and "sync now" requests from the cloud in between, one sync at a
// time (the state directory lock keeps a manual `erpsync-agent sync` from
// running at the same moment). Publishes the agent's status after every run.
// Run() on one thread; Enqueue/CurrentStatus are thread-safe.
#ifndef ERPSYNC_AGENT_SYNC_SERVICE_LOOP_H_
#define ERPSYNC_AGENT_SYNC_SERVICE_LOOP_H_

#include <atomic>
#include <chrono>
#include <deque>
#include <functional>
#include <string>

#include "agent/sync/schedule_settings.h"
#include "agent/sync/sync_runner.h"
#include "common/mutex.h"
#include "common/status.h"
#include "common/thread_annotations.h"
#include "erpsync/v1/agents.pb.h"

namespace erpsync::agent {

struct ServiceCallbacks {
  // The status changed (after a run, when a run starts).
  std::function<void()> status_changed;
  // A "sync now" request finished.
  std::function<void(const v1::SyncRequestResult&)> request_done;
  // A sync run ended (scheduled or requested; not one cut short by
  // stopping): `deep` says which kind, `report` what it did or why it could
  // not run. May be empty.
  std::function<void(bool deep, const Result<SyncReport>& report)> run_done;
};

class ServiceLoop {
 public:
  ServiceLoop(SyncRunnerDeps deps, SyncSettings sync, ScheduleSettings schedule,
              std::string state_dir, ServiceCallbacks callbacks);

  // Runs until `deps.stop` is set (then returns OK). A failing sync is
  // reported in the status and retried at its next time; it does not end
  // the loop.
  Status Run() ERPSYNC_EXCLUDES(mutex_);

  // Queues a "sync now" request from the cloud.
  void Enqueue(const v1::SyncNow& request) ERPSYNC_EXCLUDES(mutex_);
  // Wakes Run() to look at the stop flag.
  void Wake() ERPSYNC_EXCLUDES(mutex_);
  // A snapshot of the status (safe from any thread).
  v1::AgentStatus CurrentStatus() const ERPSYNC_EXCLUDES(mutex_);

 private:
  struct Job {
    SyncCommand command;
    std::string request_id;  // empty for scheduled syncs
    std::string description;
    bool catch_up = false;   // a deep sync of record types that need one
  };
  // Enabled record types that need a deep sync (newly enabled, options
  // changed).
  std::vector<std::string> EntitiesNeedingDeepSync();
  // Waits for the next job; false when stopping.
  bool NextJob(Job* job) ERPSYNC_EXCLUDES(mutex_);
  Result<SyncReport> RunJob(const Job& job) ERPSYNC_EXCLUDES(mutex_);
  void Publish(const std::string& activity, const std::string& last_error) ERPSYNC_EXCLUDES(mutex_);

  // Run()'s thread only, from here to last_run_.
  SyncRunnerDeps deps_;
  SyncSettings sync_;
  ScheduleSettings schedule_;
  std::string state_dir_;
  ServiceCallbacks callbacks_;
  int deep_minutes_ = -1;
  int64_t next_incremental_ = 0;
  int64_t next_deep_ = 0;
  // When to look again for record types that need a deep sync.
  int64_t next_catch_up_ = 0;
  int64_t last_run_ = 0;

  mutable Mutex mutex_;
  CondVar wake_;
  std::deque<v1::SyncNow> requests_ ERPSYNC_GUARDED_BY(mutex_);
  v1::AgentStatus status_ ERPSYNC_GUARDED_BY(mutex_);
};

}  // namespace erpsync::agent

#endif  // ERPSYNC_AGENT_SYNC_SERVICE_LOOP_H_
