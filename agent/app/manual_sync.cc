#include "agent/app/manual_sync.h"

#include "agent/app/server_connection.h"
#include "agent/transport/grpc_sync_session.h"
#include "common/clock.h"

namespace erpsync::agent {

Result<SyncReport> RunManualSync(AgentRuntime& runtime, const SyncCommand& command,
                                 ProgressListener* progress, const std::atomic<bool>* stop) {
  const AgentConfig& config = runtime.config;
  ERPSYNC_ASSIGN_OR_RETURN(const std::string token, LoadAgentToken(config));
  ERPSYNC_ASSIGN_OR_RETURN(ServerChannel channel,
                           OpenConfiguredServerChannel(config));
  GrpcSessionFactory sessions(std::move(channel.channel), token, config.sync.window,
                              std::chrono::seconds(config.ack_timeout_seconds),
                              std::move(channel.explain));
  SyncRunner runner(SyncRunnerDeps{&runtime.catalog, runtime.state.get(), runtime.erp.get(),
                                   &sessions, &RealClock(), progress, stop},
                    config.sync);
  return runner.Run(command);
}

}  // namespace erpsync::agent
