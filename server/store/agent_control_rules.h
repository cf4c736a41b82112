// How every AgentControlStore backend makes a sync request and stores its
// entity ids and state (private to server/store/ and its backends).
// Thread-safe.
#ifndef ERPSYNC_SERVER_STORE_AGENT_CONTROL_RULES_H_
#define ERPSYNC_SERVER_STORE_AGENT_CONTROL_RULES_H_

#include <cstdint>
#include <string>
#include <vector>

#include "common/status.h"

#include "server/store/agent_control_store.h"

namespace erpsync::server::store_internal {

// Entity ids joined with ',' (an entity id never contains one), and back.
std::string JoinIds(const std::vector<std::string>& ids);
std::vector<std::string> SplitIds(const std::string& joined);

// The state SyncRequestStateName names; kQueued for anything else.
SyncRequestState SyncRequestStateFromName(const std::string& name);

// A request queued `now` (created and updated then) with a new random id,
// "sr_" and 16 random characters. Errors of GenerateSecretToken.
Result<SyncRequestRow> NewSyncRequest(int64_t connection_id,
                                      const std::vector<std::string>& entity_ids, bool deep,
                                      const std::string& since, const std::string& requested_by,
                                      int64_t now);

}  // namespace erpsync::server::store_internal

#endif  // ERPSYNC_SERVER_STORE_AGENT_CONTROL_RULES_H_
