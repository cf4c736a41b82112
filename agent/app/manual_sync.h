// One sync run outside the service (`erpsync-agent sync`): the runtime's
// catalog, state and ERP, a fresh channel to the configured server and a
// SyncRunner. Part of the agent's composition root. Not thread-safe.
#ifndef ERPSYNC_AGENT_APP_MANUAL_SYNC_H_
#define ERPSYNC_AGENT_APP_MANUAL_SYNC_H_

#include <atomic>

#include "agent/app/agent_runtime.h"
#include "agent/sync/sync_report.h"
#include "agent/sync/sync_runner.h"
#include "common/status.h"

namespace erpsync::agent {

// Runs `command` against the server of `runtime.config`. `progress` may be
// null; `stop` (may be null) ends the run after the batch in flight.
// Errors as SyncRunner::Run, LoadAgentToken and OpenServerChannel.
Result<SyncReport> RunManualSync(AgentRuntime& runtime, const SyncCommand& command,
                                 ProgressListener* progress, const std::atomic<bool>* stop);

}  // namespace erpsync::agent

#endif  // ERPSYNC_AGENT_APP_MANUAL_SYNC_H_
