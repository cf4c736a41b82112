// ControlDelivery: what one agent's open control channel hands out and takes
// in, without gRPC. It finds the connection's open sync requests and
// pending exports the channel has not handed out yet, records each as
// handed out (a request "sent", an export "delivered") before returning it,
// and applies the agent's events (status, sync outcomes, export results).
// All store I/O happens here, under no lock of its callers: the channel's
// own lock and the agent hub's guard only in-memory state, so a user's
// Accept never waits behind a channel's store work.
// Thread-safe: several wakes may run at once; each command is handed out
// once per channel.
#ifndef ERPSYNC_SERVER_SYNC_CONTROL_DELIVERY_H_
#define ERPSYNC_SERVER_SYNC_CONTROL_DELIVERY_H_

#include <cstdint>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "common/mutex.h"
#include "common/thread_annotations.h"
#include "erpsync/v1/agents.pb.h"
#include "server/approval/approval_queues.h"
#include "server/store/agent_control_store.h"
#include "server/store/store_types.h"

namespace erpsync::server {

class ControlDelivery {
 public:
  // `exports` may be null (no approval queues: nothing to export).
  ControlDelivery(AgentControlStore* store, ApprovalQueues* exports, Principal agent)
      : store_(store), exports_(exports), agent_(std::move(agent)) {}

  // The commands this channel has not handed out yet, each already recorded
  // as handed out: the connection's open sync requests, then its pending
  // exports (at most kExportsPerTake; on the channel's first look also
  // those delivered earlier and never answered: the agent may have died
  // holding them). Store errors are logged and leave the rest for the next
  // take.
  std::vector<v1::ServerCommand> TakeNew() ERPSYNC_EXCLUDES(mutex_);

  // Applies an event of the agent. Refusals (an export result that does not
  // match its delivery) and store errors are logged; the channel goes on.
  // True when more work may now be waiting (an export was answered).
  bool Handle(const v1::AgentEvent& event);

  // Most exports handed out per take (the rest follow as the agent reports).
  static constexpr int kExportsPerTake = 100;

 private:
  // Records that `command` is handed to the agent (a redelivered export is
  // already delivered: fine).
  void MarkHandedOut(const v1::ServerCommand& command);

  AgentControlStore* const store_;
  ApprovalQueues* const exports_;
  const Principal agent_;
  Mutex mutex_;
  std::set<std::string> requests_ ERPSYNC_GUARDED_BY(mutex_);
  // (item id, version)
  std::set<std::pair<int64_t, int64_t>> exports_handed_ ERPSYNC_GUARDED_BY(mutex_);
  bool looked_for_exports_ ERPSYNC_GUARDED_BY(mutex_) = false;
};

}  // namespace erpsync::server

#endif  // ERPSYNC_SERVER_SYNC_CONTROL_DELIVERY_H_
