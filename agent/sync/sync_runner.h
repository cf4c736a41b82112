// SyncRunner: one sync run from start to end: picks the enabled entities
// (or the --only ones) in dependency order, opens a session, syncs each
// entity, reconnects with backoff after transient failures and resumes from
// the checkpoints, and reports. A deep run interrupted (killed, stopped,
// server lost) is resumed by running the same command again. Not
// thread-safe; one run at a time per state directory.
#ifndef ERPSYNC_AGENT_SYNC_SYNC_RUNNER_H_
#define ERPSYNC_AGENT_SYNC_SYNC_RUNNER_H_

#include <atomic>
#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "agent/erp/erp_source.h"
#include "agent/mapping/catalog.h"
#include "agent/state/state_store.h"
#include "agent/sync/sync_report.h"
#include "agent/sync/sync_session.h"
#include "agent/sync/sync_settings.h"
#include "agent/sync/timeframe.h"
#include "common/backoff.h"
#include "common/clock.h"

namespace erpsync::agent {

struct SyncCommand {
  bool deep = false;
  Timeframe since;                 // deep only
  std::vector<std::string> only;   // empty: every enabled mapping
};

struct SyncRunnerDeps {
  const Catalog* catalog = nullptr;
  StateStore* state = nullptr;
  ErpSource* erp = nullptr;
  SessionFactory* sessions = nullptr;
  const Clock* clock = nullptr;
  ProgressListener* progress = nullptr;  // may be null
  const std::atomic<bool>* stop = nullptr;  // may be null
};

class SyncRunner {
 public:
  SyncRunner(SyncRunnerDeps deps, SyncSettings settings)
      : deps_(deps), settings_(std::move(settings)) {}

  // Runs the command. Returns the report when the run got to the end, even if
  // some entities failed (their error is in the report). Errors:
  // INVALID_ARGUMENT for an unknown or disabled --only id; UNAVAILABLE when
  // the server stayed unreachable for settings.retry_for; UNAUTHENTICATED /
  // PERMISSION_DENIED when the token is refused; an error with origin
  // ErrorOrigin::kTls, at once, when the TLS set-up with the server does not
  // work (the sessions say so); CANCELLED when stopped.
  Result<SyncReport> Run(const SyncCommand& command);

 private:
  // A run of consecutive failures: the backoff between attempts and when
  // the run of failures began (none while syncing goes well).
  struct RetryState {
    Backoff backoff;
    std::optional<std::chrono::steady_clock::time_point> failing_since;
    void Reset() {
      backoff.Reset();
      failing_since.reset();
    }
  };

  Result<std::vector<const MappingDefinition*>> SelectEntities(const SyncCommand& command);
  // The report of a new run, or of the interrupted deep run it resumes
  // (same timeframe, same entities); a new deep run is saved in the state.
  Result<SyncReport> StartReport(const SyncCommand& command, const std::vector<std::string>& ids);
  // Syncs one entity, reconnecting with backoff after transient failures
  // until it completes, fails for good (its error goes into `entity`, OK is
  // returned: the run goes on) or the server stays unreachable for
  // settings.retry_for (UNAVAILABLE; RESOURCE_EXHAUSTED when it was
  // reachable but out of room: its disk full, or busy). CANCELLED, UNAUTHENTICATED and
  // PERMISSION_DENIED end the run. ERP failures are retried with a backoff
  // of their own, keeping the session, for settings.retry_for; then the
  // entity fails as an ERP failure (entity.erp_failure).
  Status SyncEntityWithRetries(const MappingDefinition& mapping, const SyncCommand& command,
                               const SessionStart& start, RetryState* retry, EntityReport* entity,
                               SyncReport* report);
  // Closes the session (after a failure), adding its bytes to the report.
  void DropSession(SyncReport* report);
  Status SyncEntity(const MappingDefinition& mapping, const SyncCommand& command,
                    const std::string& run_id, EntityReport* report);
  Status EnsureSession(const SessionStart& start);
  Status AfterEntity(const MappingDefinition& mapping, const SyncCommand& command,
                     const EntityReport& report);

  SyncRunnerDeps deps_;
  SyncSettings settings_;
  std::unique_ptr<SyncSession> session_;
};

// A fresh run id: 16 hex digits from the clock and a random number.
std::string NewRunId();

}  // namespace erpsync::agent

#endif  // ERPSYNC_AGENT_SYNC_SYNC_RUNNER_H_
