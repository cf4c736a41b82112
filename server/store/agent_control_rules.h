// How every AgentControlStore backend stores a sync request's entity ids
// and state (private to server/store/ and its backends). Pure functions;
// thread-safe.
#ifndef ERPSYNC_SERVER_STORE_AGENT_CONTROL_RULES_H_
#define ERPSYNC_SERVER_STORE_AGENT_CONTROL_RULES_H_

#include <string>
#include <vector>

#include "server/store/agent_control_store.h"

namespace erpsync::server::store_internal {

// Entity ids joined with ',' (an entity id never contains one), and back.
std::string JoinIds(const std::vector<std::string>& ids);
std::vector<std::string> SplitIds(const std::string& joined);

// The state SyncRequestStateName names; kQueued for anything else.
SyncRequestState SyncRequestStateFromName(const std::string& name);

}  // namespace erpsync::server::store_internal

#endif  // ERPSYNC_SERVER_STORE_AGENT_CONTROL_RULES_H_
