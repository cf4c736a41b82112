#include "agent/sync/service_loop.h"

#include <unistd.h>

#include <algorithm>
#include <ctime>
#include <optional>

#include "agent/state/effective_settings.h"
#include "agent/state/state_lock.h"
#include "agent/sync/agent_status_report.h"
#include "common/version.h"
#include "common/civil_time.h"
#include "common/human_format.h"
#include "common/log.h"

namespace erpsync::agent {
namespace {

// While another process holds the state lock, look again this often.
constexpr std::chrono::seconds kLockRetry{5};

std::string Summarize(const SyncReport& report) {
  uint64_t records = 0;
  std::string failed;
  for (const EntityReport& entity : report.entities) {
    records += entity.acked;
    if (!entity.error.empty()) failed += (failed.empty() ? "" : ", ") + entity.entity_id;
  }
  std::string text = report.kind + " sync: " + std::to_string(report.entities.size()) +
                     " record types, " + WithThousands(records) + " records";
  if (!failed.empty()) text += "; failed: " + failed;
  return text;
}

}  // namespace

ServiceLoop::ServiceLoop(SyncRunnerDeps deps, SyncSettings sync, ScheduleSettings schedule,
                         std::string state_dir, ServiceCallbacks callbacks)
    : deps_(deps),
      sync_(std::move(sync)),
      schedule_(std::move(schedule)),
      state_dir_(std::move(state_dir)),
      callbacks_(std::move(callbacks)) {
  if (!schedule_.deep_at.empty()) {
    const Result<int> minutes = ParseTimeOfDayMinutes(schedule_.deep_at);
    deep_minutes_ = minutes.ok() ? *minutes : -1;
  }
  char hostname[256] = {};
  ::gethostname(hostname, sizeof(hostname) - 1);
  status_.set_agent_version(kErpsyncVersion);
  status_.set_hostname(hostname);
}

void ServiceLoop::Enqueue(const v1::SyncNow& request) {
  MutexLock lock(mutex_);
  // The server may hand a request again after a reconnect.
  for (const v1::SyncNow& queued : requests_) {
    if (queued.request_id() == request.request_id()) return;
  }
  requests_.push_back(request);
  wake_.NotifyAll();
}

void ServiceLoop::Wake() {
  MutexLock lock(mutex_);
  wake_.NotifyAll();
}

v1::AgentStatus ServiceLoop::CurrentStatus() const {
  MutexLock lock(mutex_);
  return status_;
}

void ServiceLoop::Publish(const std::string& activity, const std::string& last_error) {
  v1::AgentStatus status = CurrentStatus();
  status.set_activity(activity);
  status.set_last_error(last_error);
  status.set_next_incremental_unix(next_incremental_);
  status.set_next_deep_unix(next_deep_);
  status.set_last_run_unix(last_run_);
  const Status filled = FillEntityStatus(*deps_.catalog, *deps_.state, &status);
  if (!filled.ok()) ERPSYNC_LOG(kWarning) << "building the agent status: " << filled.ToString();
  {
    MutexLock lock(mutex_);
    status_ = std::move(status);
  }
  if (callbacks_.status_changed) callbacks_.status_changed();
}

bool ServiceLoop::NextJob(Job* job) {
  MutexLock lock(mutex_);
  while (true) {
    if (deps_.stop != nullptr && deps_.stop->load()) return false;
    const int64_t now = deps_.clock->NowUnix();
    if (!requests_.empty()) {
      const v1::SyncNow request = requests_.front();
      requests_.pop_front();
      *job = Job();
      job->request_id = request.request_id();
      job->command.deep = request.deep();
      job->command.only = {request.entity_ids().begin(), request.entity_ids().end()};
      const Result<Timeframe> since = ParseTimeframe(
          request.since().empty() ? "beginning" : request.since(), ToLocalDateTime(now).date);
      if (!since.ok()) {
        lock.Unlock();
        if (callbacks_.request_done) {
          v1::SyncRequestResult result;
          result.set_request_id(request.request_id());
          result.set_message(since.status().message());
          callbacks_.request_done(result);
        }
        lock.Lock();
        continue;
      }
      job->command.since = *since;
      job->description = std::string(request.deep() ? "deep" : "incremental") +
                         ", requested by " + request.requested_by();
      return true;
    }
    if (now >= next_catch_up_) {
      std::vector<std::string> needing = EntitiesNeedingDeepSync();
      if (!needing.empty()) {
        *job = Job();
        job->command.deep = true;
        job->command.only = std::move(needing);
        job->description = "deep, for record types that need one";
        job->catch_up = true;
        return true;
      }
    }
    if (next_deep_ != 0 && now >= next_deep_) {
      const Result<Timeframe> since =
          ParseTimeframe(schedule_.deep_since, ToLocalDateTime(now).date);
      *job = Job();
      job->command.deep = true;
      job->command.since = since.ok() ? *since : Timeframe();
      job->description = "scheduled deep";
      return true;
    }
    if (now >= next_incremental_) {
      *job = Job();
      job->description = "scheduled incremental";
      return true;
    }
    int64_t until = next_incremental_;
    if (next_deep_ != 0) until = std::min(until, next_deep_);
    wake_.WaitFor(mutex_, std::chrono::seconds(std::clamp<int64_t>(until - now, 1, 60)));
  }
}

std::vector<std::string> ServiceLoop::EntitiesNeedingDeepSync() {
  std::vector<std::string> ids;
  for (const MappingDefinition& mapping : deps_.catalog->mappings()) {
    const Result<MappingSettings> settings = EffectiveSettings(*deps_.state, mapping);
    if (settings.ok() && settings->enabled && settings->needs_deep_sync) ids.push_back(mapping.id());
  }
  return ids;
}

Result<SyncReport> ServiceLoop::RunJob(const Job& job) {
  std::optional<StateLock> lock;
  while (!lock) {
    Result<StateLock> acquired = StateLock::TryAcquire(state_dir_);
    if (acquired.ok()) {
      lock.emplace(std::move(*acquired));
      break;
    }
    if (acquired.status().code() != StatusCode::kFailedPrecondition) return acquired.status();
    Publish("waiting: " + acquired.status().message(), CurrentStatus().last_error());
    MutexLock wait(mutex_);
    wake_.WaitFor(mutex_, kLockRetry,
                  [this] { return deps_.stop != nullptr && deps_.stop->load(); });
    if (deps_.stop != nullptr && deps_.stop->load()) return CancelledError("stopping");
  }
  SyncRunner runner(deps_, sync_);
  return runner.Run(job.command);
}

Status ServiceLoop::Run() {
  const int64_t start = deps_.clock->NowUnix();
  next_incremental_ = start;
  next_deep_ = deep_minutes_ >= 0 ? NextLocalTime(start, deep_minutes_) : 0;
  std::string last_error;
  Publish("idle", last_error);
  Job job;
  while (NextJob(&job)) {
    Publish("syncing (" + job.description + ")", last_error);
    ERPSYNC_LOG(kInfo) << "starting a sync (" << job.description << ")";
    const Result<SyncReport> report = RunJob(job);
    const int64_t now = deps_.clock->NowUnix();
    if (!report.ok() && report.status().code() == StatusCode::kCancelled) break;
    if (callbacks_.run_done) callbacks_.run_done(job.command.deep, report);
    std::string message;
    bool ok = false;
    if (report.ok()) {
      message = Summarize(*report);
      ok = report->ok();
    } else {
      message = report.status().message();
    }
    last_error = ok ? "" : message;
    if (ok) {
      ERPSYNC_LOG(kInfo) << message;
    } else {
      ERPSYNC_LOG(kWarning) << message;
    }
    last_run_ = now;
    if (job.catch_up) {
      // Retry a failed catch-up at the pace of the incremental syncs.
      next_catch_up_ = ok ? now : now + schedule_.incremental_every.count();
    } else if (!job.request_id.empty()) {
      if (callbacks_.request_done) {
        v1::SyncRequestResult result;
        result.set_request_id(job.request_id);
        result.set_ok(ok);
        result.set_message(message);
        callbacks_.request_done(result);
      }
    } else if (job.command.deep) {
      next_deep_ = NextLocalTime(now, deep_minutes_);
      next_incremental_ = now + schedule_.incremental_every.count();
    } else {
      next_incremental_ = now + schedule_.incremental_every.count();
    }
    Publish("idle", last_error);
  }
  Publish("stopped", last_error);
  return Status::Ok();
}

}  // namespace erpsync::agent
