// SqliteAgentControlStore: the AgentControlStore of the SQLite backend (server/store/agent_control_store.h
// says what each call does), over the Database it is given, which must
// outlive it. Stateless and thread-safe.
#ifndef ERPSYNC_SERVER_STORE_SQLITE_AGENT_CONTROL_STORE_H_
#define ERPSYNC_SERVER_STORE_SQLITE_AGENT_CONTROL_STORE_H_

#include "server/store/agent_control_store.h"
#include "server/store/sqlite/database.h"

namespace erpsync::server {

class SqliteAgentControlStore final : public AgentControlStore {
 public:
  explicit SqliteAgentControlStore(Database* database) : database_(database) {}

  Result<SyncRequestRow> AddSyncRequest(int64_t connection_id, const std::vector<std::string>& entity_ids,
                                        bool deep, const std::string& since,
                                        const std::string& requested_by) override;
  Result<std::vector<SyncRequestRow>> OpenSyncRequests(int64_t connection_id) override;
  Result<SyncRequestRow> GetSyncRequest(int64_t company_id, const std::string& id) override;
  Status UpdateSyncRequest(int64_t connection_id, const std::string& id, SyncRequestState state,
                           const std::string& message) override;
  Status PutAgentStatus(int64_t agent_id, const std::string& serialized_status) override;
  Result<std::vector<AgentRow>> ListAgents(int64_t company_id) override;
  Status HoldControlChannel(const ControlHold& hold, int64_t until_unix) override;
  Status RenewControlChannels(const std::vector<ControlHold>& holds, int64_t until_unix) override;
  Status ReleaseControlChannel(const ControlHold& hold) override;

 private:
  Database* database_;
};

}  // namespace erpsync::server

#endif  // ERPSYNC_SERVER_STORE_SQLITE_AGENT_CONTROL_STORE_H_
