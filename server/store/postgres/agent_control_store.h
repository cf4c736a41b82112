// PgAgentControlStore: the AgentControlStore of the PostgreSQL backend
// (server/store/agent_control_store.h says what each call does), over the
// PgDatabase it is given, which must outlive it. Stateless and thread-safe;
// servers sharing the database see each other's requests and statuses (an
// agent's channel may be on any of them). Each call is one statement's
// worth of change, so it needs no lock: the last update of a request, or
// the last status of an agent, wins. Calls for an unknown connection or
// agent id: OpenSyncRequests lists none and UpdateSyncRequest is NOT_FOUND
// as on SQLite; AddSyncRequest and PutAgentStatus are NOT_FOUND
// ("connection <id> does not exist", "agent <id> does not exist") where
// SQLite fails on its foreign key (INTERNAL).
#ifndef ERPSYNC_SERVER_STORE_POSTGRES_AGENT_CONTROL_STORE_H_
#define ERPSYNC_SERVER_STORE_POSTGRES_AGENT_CONTROL_STORE_H_

#include "server/store/agent_control_store.h"
#include "server/store/postgres/pg_database.h"

namespace erpsync::server {

class PgAgentControlStore final : public AgentControlStore {
 public:
  explicit PgAgentControlStore(PgDatabase* database) : database_(database) {}

  Result<SyncRequestRow> AddSyncRequest(int64_t connection_id,
                                        const std::vector<std::string>& entity_ids, bool deep,
                                        const std::string& since,
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
  PgDatabase* database_;
};

}  // namespace erpsync::server

#endif  // ERPSYNC_SERVER_STORE_POSTGRES_AGENT_CONTROL_STORE_H_
