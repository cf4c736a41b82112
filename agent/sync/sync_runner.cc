#include "agent/sync/sync_runner.h"

#include <chrono>
#include <random>
#include <thread>

#include "agent/mapping/entity_plan.h"
#include "agent/state/effective_settings.h"
#include "agent/sync/entity_sync.h"
#include "common/log.h"

namespace erpsync::agent {
namespace {

using Steady = std::chrono::steady_clock;

double SecondsSince(Steady::time_point start) {
  return std::chrono::duration<double>(Steady::now() - start).count();
}

bool SameEntities(std::vector<std::string> a, std::vector<std::string> b) {
  std::sort(a.begin(), a.end());
  std::sort(b.begin(), b.end());
  return a == b;
}

// Sleeps up to `delay`, waking early when `stop` is set.
void InterruptibleSleep(std::chrono::milliseconds delay, const std::atomic<bool>* stop) {
  const auto deadline = Steady::now() + delay;
  while (Steady::now() < deadline) {
    if (stop != nullptr && stop->load()) return;
    std::this_thread::sleep_for(std::min<std::chrono::milliseconds>(
        std::chrono::milliseconds(50),
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Steady::now())));
  }
}

}  // namespace

std::string NewRunId() {
  std::random_device device;
  const uint64_t value = (static_cast<uint64_t>(device()) << 32) ^ device() ^
                         static_cast<uint64_t>(Steady::now().time_since_epoch().count());
  char buffer[17];
  std::snprintf(buffer, sizeof(buffer), "%016llx", static_cast<unsigned long long>(value));
  return buffer;
}

Result<std::vector<const MappingDefinition*>> SyncRunner::SelectEntities(
    const SyncCommand& command) {
  for (const std::string& id : command.only) {
    if (deps_.catalog->Find(id) == nullptr) {
      return InvalidArgumentError("--only: no mapping with id '" + id +
                                  "' (see `erpsync-agent mappings list`)");
    }
  }
  std::vector<const MappingDefinition*> selected;
  for (const MappingDefinition& mapping : deps_.catalog->mappings()) {
    const bool wanted = command.only.empty() ||
                        std::find(command.only.begin(), command.only.end(), mapping.id()) !=
                            command.only.end();
    if (!wanted) continue;
    ERPSYNC_ASSIGN_OR_RETURN(const MappingSettings settings,
                             EffectiveSettings(*deps_.state, mapping));
    if (!settings.enabled) {
      if (!command.only.empty()) {
        return InvalidArgumentError("--only: mapping '" + mapping.id() +
                                    "' is not enabled; enable it with `erpsync-agent mappings "
                                    "enable " + mapping.id() + "`");
      }
      continue;
    }
    selected.push_back(&mapping);
  }
  return selected;
}

Status SyncRunner::EnsureSession(const SessionStart& start) {
  if (session_) return Status::Ok();
  ERPSYNC_ASSIGN_OR_RETURN(session_, deps_.sessions->Open(start));
  return Status::Ok();
}

Status SyncRunner::SyncEntity(const MappingDefinition& mapping, const SyncCommand& command,
                              const std::string& run_id, EntityReport* report) {
  ERPSYNC_ASSIGN_OR_RETURN(const MappingSettings settings, EffectiveSettings(*deps_.state, mapping));
  ERPSYNC_ASSIGN_OR_RETURN(const EntityPlan plan, EntityPlan::Build(mapping, settings.choices));
  const EntitySyncContext context{deps_.erp, deps_.state, deps_.clock, &settings_, deps_.progress,
                                  deps_.stop};
  EntitySync sync(context, &plan, report);
  return command.deep ? sync.RunDeep(*session_, run_id, command.since)
                      : sync.RunIncremental(*session_, run_id);
}

Status SyncRunner::AfterEntity(const MappingDefinition& mapping, const SyncCommand& command,
                               const EntityReport& report) {
  ERPSYNC_ASSIGN_OR_RETURN(EntityProgress progress, deps_.state->GetProgress(mapping.id()));
  if (!report.error.empty()) {
    progress.last_error = report.error;
    return deps_.state->PutProgress(progress);
  }
  if (command.deep && command.since.from_beginning() && !report.skipped) {
    ERPSYNC_ASSIGN_OR_RETURN(MappingSettings settings, EffectiveSettings(*deps_.state, mapping));
    if (settings.needs_deep_sync) {
      settings.needs_deep_sync = false;
      return deps_.state->PutSettings(settings);
    }
  }
  return Status::Ok();
}

Result<SyncReport> SyncRunner::StartReport(const SyncCommand& command,
                                            const std::vector<std::string>& ids) {
  SyncReport report;
  report.kind = command.deep ? "deep" : "incremental";
  report.since = command.deep ? command.since.name : "";
  if (!command.deep) {
    report.run_id = NewRunId();
    return report;
  }
  ERPSYNC_ASSIGN_OR_RETURN(const std::optional<DeepRun> previous, deps_.state->GetDeepRun());
  if (previous && previous->since == command.since.name && SameEntities(previous->entity_ids, ids)) {
    report.run_id = previous->run_id;
    report.resumed = true;
    ERPSYNC_LOG(kInfo) << "resuming the interrupted deep sync " << previous->run_id;
    return report;
  }
  report.run_id = NewRunId();
  ERPSYNC_RETURN_IF_ERROR(deps_.state->StartDeepRun(
      DeepRun{report.run_id, command.since.name, ids, deps_.clock->NowUnix()}));
  return report;
}

void SyncRunner::DropSession(SyncReport* report) {
  if (session_) report->bytes_sent += session_->bytes_sent();
  session_.reset();
}

Status SyncRunner::SyncEntityWithRetries(const MappingDefinition& mapping,
                                         const SyncCommand& command, const SessionStart& start,
                                         RetryState* retry, EntityReport* entity,
                                         SyncReport* report) {
  // The ERP's own failures (a locked file, a driver error) are retried on
  // their own schedule, keeping the server session.
  RetryState erp_retry{Backoff(settings_.backoff), std::nullopt};
  while (true) {
    if (deps_.stop != nullptr && deps_.stop->load()) return CancelledError("sync stopped");
    const uint64_t acked_before = entity->acked;
    entity->erp_failure = false;
    Status status = EnsureSession(start);
    if (status.ok()) status = SyncEntity(mapping, command, start.run_id, entity);
    // Progress was made: the next failure gets a fresh retry budget.
    if (entity->acked > acked_before) {
      retry->Reset();
      erp_retry.Reset();
    }
    if (status.ok()) return Status::Ok();
    if (status.code() == StatusCode::kCancelled) return status;
    if (status.origin() == ErrorOrigin::kErp) entity->erp_failure = true;
    if (entity->erp_failure) {
      if (!IsRetryable(status.code())) {
        entity->error = "the ERP failed: " + status.message();
        ERPSYNC_LOG(kError) << mapping.id() << ": " << entity->error;
        return Status::Ok();
      }
      const Steady::time_point now = Steady::now();
      if (!erp_retry.failing_since) erp_retry.failing_since = now;
      if (now - *erp_retry.failing_since >= settings_.retry_for) {
        entity->error = "the ERP stayed unavailable for " +
                        std::to_string(static_cast<int>(SecondsSince(*erp_retry.failing_since))) +
                        " s: " + status.message();
        ERPSYNC_LOG(kError) << mapping.id() << ": " << entity->error;
        return Status::Ok();
      }
      const std::chrono::milliseconds delay = erp_retry.backoff.NextDelay();
      ERPSYNC_LOG(kWarning) << mapping.id() << ": the ERP failed (" << status.ToString()
                            << "); retrying in " << delay.count() << " ms";
      InterruptibleSleep(delay, deps_.stop);
      continue;
    }
    DropSession(report);
    // A refused token, a TLS set-up that does not work, or the agent's own
    // state dir failing: every entity would fail the same way, and no
    // reconnect or wait fixes it.
    if (status.code() == StatusCode::kUnauthenticated ||
        status.code() == StatusCode::kPermissionDenied || status.origin() == ErrorOrigin::kTls ||
        status.origin() == ErrorOrigin::kAgentState) {
      return status;
    }
    if (!IsRetryable(status.code())) {
      // This entity failed; the run goes on with the next one.
      entity->error = status.message();
      ERPSYNC_LOG(kError) << mapping.id() << ": " << status.ToString();
      return Status::Ok();
    }
    const Steady::time_point now = Steady::now();
    if (!retry->failing_since) retry->failing_since = now;
    if (now - *retry->failing_since >= settings_.retry_for) {
      // A server out of room (its disk, its budget) stays that; the rest
      // is the server being out of reach.
      return Status(status.code() == StatusCode::kResourceExhausted ? StatusCode::kResourceExhausted
                                                                    : StatusCode::kUnavailable,
                    status.message() + " (gave up after retrying for " +
                        std::to_string(static_cast<int>(SecondsSince(*retry->failing_since))) +
                        " s, " + std::to_string(retry->backoff.attempts() + 1) + " attempts)");
    }
    const std::chrono::milliseconds delay = retry->backoff.NextDelay();
    ++report->reconnects;
    if (deps_.progress != nullptr) deps_.progress->OnRetry(status, delay, retry->backoff.attempts());
    ERPSYNC_LOG(kWarning) << (status.code() == StatusCode::kResourceExhausted
                                  ? "the server cannot take the records now ("
                                  : "sync connection failed (")
                          << status.ToString() << "); retrying in "
                          << delay.count() << " ms";
    InterruptibleSleep(delay, deps_.stop);
  }
}

Result<SyncReport> SyncRunner::Run(const SyncCommand& command) {
  const Steady::time_point run_start = Steady::now();
  ERPSYNC_ASSIGN_OR_RETURN(const std::vector<const MappingDefinition*> entities,
                           SelectEntities(command));
  std::vector<std::string> ids;
  for (const MappingDefinition* mapping : entities) ids.push_back(mapping->id());
  ERPSYNC_ASSIGN_OR_RETURN(SyncReport report, StartReport(command, ids));
  const SessionStart start{report.run_id,
                           command.deep ? v1::SYNC_KIND_DEEP : v1::SYNC_KIND_INCREMENTAL,
                           command.deep ? command.since.name : ""};

  // One run of failures may span entities: it ends when one makes progress.
  RetryState retry{Backoff(settings_.backoff), std::nullopt};
  for (const MappingDefinition* mapping : entities) {
    EntityReport entity;
    entity.entity_id = mapping->id();
    entity.display_name = mapping->spec.display_name();
    const Steady::time_point entity_start = Steady::now();
    ERPSYNC_RETURN_IF_ERROR(
        SyncEntityWithRetries(*mapping, command, start, &retry, &entity, &report));
    entity.seconds = SecondsSince(entity_start);
    ERPSYNC_RETURN_IF_ERROR(AfterEntity(*mapping, command, entity));
    if (deps_.progress != nullptr) deps_.progress->OnEntityDone(entity);
    report.entities.push_back(std::move(entity));
  }
  if (session_) {
    const Status finished = session_->Finish();
    DropSession(&report);
    ERPSYNC_RETURN_IF_ERROR(finished);
  }
  if (command.deep && report.ok()) ERPSYNC_RETURN_IF_ERROR(deps_.state->FinishDeepRun());
  report.seconds = SecondsSince(run_start);
  return report;
}

}  // namespace erpsync::agent
