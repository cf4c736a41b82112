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
};

}  // namespace erpsync::server

#endif  // ERPSYNC_SERVER_STORE_AGENT_CONTROL_STORE_H_
