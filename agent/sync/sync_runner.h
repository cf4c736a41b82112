// SyncRunner: one sync run from start to end: picks the enabled entities
// (or the --only ones) in dependency order, opens a session, syncs each
// entity, reconnects with backoff after transient failures and resumes from
// the checkpoints, and reports. A deep run interrupted (killed, stopped,
// server lost) is resumed by running the same command again. Not
// thread-safe; one run at a time per state directory.
#ifndef ERPSYNC_AGENT_SYNC_SYNC_RUNNER_H_
#define ERPSYNC_AGENT_SYNC_SYNC_RUNNER_H_

#include <atomic>
#include <string>
#include <vector>

#include "agent/erp/erp_source.h"
#include "agent/mapping/catalog.h"
#include "agent/state/state_store.h"
#include "agent/sync/sync_report.h"
#include "agent/sync/sync_session.h"
#include "agent/sync/sync_settings.h"
#include "agent/sync/timeframe.h"
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
  // PERMISSION_DENIED when the token is refused; CANCELLED when stopped.
  Result<SyncReport> Run(const SyncCommand& command);

 private:
  Result<std::vector<const MappingDefinition*>> SelectEntities(const SyncCommand& command);
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
