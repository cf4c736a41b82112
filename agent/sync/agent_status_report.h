// The agent's status as the cloud's status page shows it
// (erpsync.v1.AgentStatus): per enabled record type the last sync, the
// last deep sync, the records the server held, whether a deep sync is
// needed, the last error and the rows set aside (quarantined). Built from
// the agent's state. Stateless.
#ifndef ERPSYNC_AGENT_SYNC_AGENT_STATUS_REPORT_H_
#define ERPSYNC_AGENT_SYNC_AGENT_STATUS_REPORT_H_

#include "agent/mapping/catalog.h"
#include "agent/state/state_store.h"
#include "common/status.h"
#include "erpsync/v1/agents.pb.h"

namespace erpsync::agent {

// Fills the entities of `status` (enabled mappings, catalog order).
Status FillEntityStatus(const Catalog& catalog, StateStore& state, v1::AgentStatus* status);

}  // namespace erpsync::agent

#endif  // ERPSYNC_AGENT_SYNC_AGENT_STATUS_REPORT_H_
