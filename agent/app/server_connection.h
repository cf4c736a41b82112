// The agent's channel to the server as its configuration describes it
// (server.address and the server.tls_* files): used by the service and by
// one-off syncs alike. Internal to agent/app. Thread-safe (a function).
#ifndef ERPSYNC_AGENT_APP_SERVER_CONNECTION_H_
#define ERPSYNC_AGENT_APP_SERVER_CONNECTION_H_

#include "agent/config/agent_config.h"
#include "agent/transport/server_channel.h"
#include "common/status.h"

namespace erpsync::agent {

// OpenServerChannel for `config`; its errors.
Result<ServerChannel> OpenConfiguredServerChannel(const AgentConfig& config);

}  // namespace erpsync::agent

#endif  // ERPSYNC_AGENT_APP_SERVER_CONNECTION_H_
