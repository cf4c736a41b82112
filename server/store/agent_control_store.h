// AgentControlStore: what the agents' control channel keeps: "sync now"
// requests (queued until the agent takes them, so an offline agent gets them
// when it reconnects) and the status each agent last reported, plus the
// company's agents as users see them. Thread-safe.
#ifndef ERPSYNC_SERVER_STORE_AGENT_CONTROL_STORE_H_
#define ERPSYNC_SERVER_STORE_AGENT_CONTROL_STORE_H_

#include <cstdint>
#include <string>
#include <vector>

#include "common/status.h"

namespace erpsync::server {

enum class SyncRequestState { kQueued, kSent, kDone, kFailed };

// "queued", "sent", "done", "failed".
std::string_view SyncRequestStateName(SyncRequestState state);

struct SyncRequestRow {
  std::string id;
  int64_t connection_id = 0;
  std::vector<std::string> entity_ids;
  bool deep = false;
  std::string since;
  std::string requested_by;
  SyncRequestState state = SyncRequestState::kQueued;
  std::string message;
  int64_t created_unix = 0;
  int64_t updated_unix = 0;
};

struct AgentRow {
  int64_t agent_id = 0;
  int64_t connection_id = 0;
  std::string connection;
  std::string description;
  std::string hostname;
  std::string version;
  int64_t last_seen_unix = 0;
  // A serialized erpsync.v1.AgentStatus; empty before the first report.
  std::string status;
  int64_t status_unix = 0;
  // A server of the store holds the agent's control channel (its hold has
  // not run out): connected, whichever server it is on.
  bool channel_held = false;
};

// One server's hold on one agent's control channel (ControlPresence).
struct ControlHold {
  int64_t agent_id = 0;
  // Names the channel: the server process and the channel within it.
  std::string holder;
};

class AgentControlStore {
 public:
  virtual ~AgentControlStore() = default;

  // Queues a request with a new random id. Returns it.
  virtual Result<SyncRequestRow> AddSyncRequest(int64_t connection_id, const std::vector<std::string>& entity_ids,
                                        bool deep, const std::string& since,
                                        const std::string& requested_by) = 0;
  // Requests of the connection not finished yet (queued or sent), oldest
  // first: what to hand an agent when it (re)connects.
  virtual Result<std::vector<SyncRequestRow>> OpenSyncRequests(int64_t connection_id) = 0;
  // The request `id` if it belongs to one of the company's connections;
  // NOT_FOUND otherwise.
  virtual Result<SyncRequestRow> GetSyncRequest(int64_t company_id, const std::string& id) = 0;
  // Moves a request of the connection to `state` with a message. NOT_FOUND
  // when the connection has no such request.
  virtual Status UpdateSyncRequest(int64_t connection_id, const std::string& id, SyncRequestState state,
                           const std::string& message) = 0;

  // Stores an agent's latest status (and counts as being seen).
  virtual Status PutAgentStatus(int64_t agent_id, const std::string& serialized_status) = 0;
  // The company's agents (not revoked), by connection then id.
  virtual Result<std::vector<AgentRow>> ListAgents(int64_t company_id) = 0;

  // Which server holds each agent's control channel, so that every server
  // of a shared store says the same about who is connected. A hold runs
  // until a time (store clock) and is renewed while the channel is open:
  // a server that dies without releasing its holds stops renewing them.
  //
  // Records that `hold.holder` holds the agent's channel until
  // `until_unix`, replacing any other holder (the agent reconnected).
  // NOT_FOUND for an unknown agent.
  virtual Status HoldControlChannel(const ControlHold& hold, int64_t until_unix) = 0;
  // Extends to `until_unix` those of `holds` still held by their holders
  // (one taken over meanwhile is left to its new holder).
  virtual Status RenewControlChannels(const std::vector<ControlHold>& holds,
                                      int64_t until_unix) = 0;
  // Ends the hold if `hold.holder` still has it.
  virtual Status ReleaseControlChannel(const ControlHold& hold) = 0;
};

}  // namespace erpsync::server

#endif  // ERPSYNC_SERVER_STORE_AGENT_CONTROL_STORE_H_
