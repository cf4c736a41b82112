#include "server/store/postgres/agent_control_store.h"

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "server/store/agent_control_rules.h"

namespace erpsync::server {
namespace {

namespace rules = store_internal;

// The columns RequestAt reads, in its order.
constexpr std::string_view kRequestQuery =
    "SELECT id, connection_id, entity_ids, deep, since, requested_by, state, message, "
    "created_unix, updated_unix FROM sync_requests ";

std::string TextAt(const PgResult& rows, int row, int column) {
  return std::string(rows.Text(row, column));
}

// A row of kRequestQuery.
SyncRequestRow RequestAt(const PgResult& rows, int row) {
  return SyncRequestRow{TextAt(rows, row, 0),
                        rows.Int(row, 1),
                        rules::SplitIds(TextAt(rows, row, 2)),
                        rows.Bool(row, 3),
                        TextAt(rows, row, 4),
                        TextAt(rows, row, 5),
                        rules::SyncRequestStateFromName(TextAt(rows, row, 6)),
                        TextAt(rows, row, 7),
                        rows.Int(row, 8),
                        rows.Int(row, 9)};
}

// The company of connection `connection_id`; nullopt when there is no
// such connection.
Result<std::optional<int64_t>> CompanyOfConnection(PgDatabase& database, PgConnection& connection,
                                                   int64_t connection_id) {
  Result<int64_t> company_id =
      database.CompanyOf(connection, PgCompanyTable::kConnections, connection_id);
  if (company_id.ok()) return std::optional<int64_t>(*company_id);
  if (company_id.status().code() == StatusCode::kNotFound) return std::optional<int64_t>();
  return company_id.status();
}

}  // namespace

Result<SyncRequestRow> PgAgentControlStore::AddSyncRequest(
    int64_t connection_id, const std::vector<std::string>& entity_ids, bool deep,
    const std::string& since, const std::string& requested_by) {
  ERPSYNC_ASSIGN_OR_RETURN(SyncRequestRow request,
                           rules::NewSyncRequest(connection_id, entity_ids, deep, since,
                                                 requested_by, database_->NowUnix()));
  const std::string what = "queuing a sync request";
  return database_->Write(what, [&](PgConnection& connection) -> Result<SyncRequestRow> {
    // NOT_FOUND "connection <id> does not exist" for an unknown connection.
    ERPSYNC_ASSIGN_OR_RETURN(
        const int64_t company_id,
        database_->CompanyOf(connection, PgCompanyTable::kConnections, connection_id));
    ERPSYNC_RETURN_IF_ERROR(
        connection
            .Exec(what,
                  "INSERT INTO sync_requests (company_id, id, connection_id, entity_ids, deep, "
                  "since, requested_by, state, message, created_unix, updated_unix) "
                  "VALUES ($1, $2, $3, $4, $5, $6, $7, 'queued', '', $8, $8)",
                  {company_id, request.id, connection_id, rules::JoinIds(entity_ids), deep, since,
                   requested_by, request.created_unix})
            .status());
    return request;
  });
}

Result<std::vector<SyncRequestRow>> PgAgentControlStore::OpenSyncRequests(int64_t connection_id) {
  const std::string what = "listing sync requests";
  return database_->Read(
      what, [&](PgConnection& connection) -> Result<std::vector<SyncRequestRow>> {
        std::vector<SyncRequestRow> requests;
        ERPSYNC_ASSIGN_OR_RETURN(const std::optional<int64_t> company_id,
                                 CompanyOfConnection(*database_, connection, connection_id));
        // An unknown connection has no requests, as on SQLite.
        if (!company_id) return requests;
        // seq: the order of requests queued in the same second.
        ERPSYNC_ASSIGN_OR_RETURN(
            const PgResult rows,
            connection.Exec(what,
                            std::string(kRequestQuery) +
                                "WHERE company_id = $1 AND connection_id = $2 "
                                "AND state IN ('queued', 'sent') ORDER BY created_unix, seq",
                            {*company_id, connection_id}));
        requests.reserve(static_cast<size_t>(rows.rows()));
        for (int row = 0; row < rows.rows(); ++row) requests.push_back(RequestAt(rows, row));
        return requests;
      });
}

Result<SyncRequestRow> PgAgentControlStore::GetSyncRequest(int64_t company_id,
                                                           const std::string& id) {
  const std::string what = "reading a sync request";
  return database_->Read(what, [&](PgConnection& connection) -> Result<SyncRequestRow> {
    ERPSYNC_ASSIGN_OR_RETURN(
        const PgResult row,
        connection.Exec(what, std::string(kRequestQuery) + "WHERE company_id = $1 AND id = $2",
                        {company_id, id}));
    if (row.rows() == 0) return NotFoundError("no sync request " + id);
    return RequestAt(row, 0);
  });
}

Status PgAgentControlStore::UpdateSyncRequest(int64_t connection_id, const std::string& id,
                                              SyncRequestState state, const std::string& message) {
  const std::string what = "updating a sync request";
  const Status unknown = NotFoundError("no sync request " + id + " for this connection");
  return database_
      ->Write(what,
              [&](PgConnection& connection) -> Result<bool> {
                ERPSYNC_ASSIGN_OR_RETURN(
                    const std::optional<int64_t> company_id,
                    CompanyOfConnection(*database_, connection, connection_id));
                if (!company_id) return unknown;
                ERPSYNC_ASSIGN_OR_RETURN(
                    const PgResult updated,
                    connection.Exec(what,
                                    "UPDATE sync_requests SET state = $4, message = $5, "
                                    "updated_unix = $6 "
                                    "WHERE company_id = $1 AND id = $2 AND connection_id = $3",
                                    {*company_id, id, connection_id, SyncRequestStateName(state),
                                     message, database_->NowUnix()}));
                if (updated.affected() == 0) return unknown;
                return true;
              })
      .status();
}

Status PgAgentControlStore::PutAgentStatus(int64_t agent_id, const std::string& serialized_status) {
  const std::string what = "storing an agent's status";
  return database_
      ->Write(what,
              [&](PgConnection& connection) -> Result<bool> {
                // NOT_FOUND "agent <id> does not exist" for an unknown agent.
                ERPSYNC_ASSIGN_OR_RETURN(
                    const int64_t company_id,
                    database_->CompanyOf(connection, PgCompanyTable::kAgents, agent_id));
                const int64_t now = database_->NowUnix();
                // The last report wins, from whichever server the agent is on.
                ERPSYNC_RETURN_IF_ERROR(
                    connection
                        .Exec(what,
                              "INSERT INTO agent_status (company_id, agent_id, status, "
                              "reported_unix) VALUES ($1, $2, $3, $4) "
                              "ON CONFLICT (company_id, agent_id) DO UPDATE SET "
                              "status = excluded.status, reported_unix = excluded.reported_unix",
                              {company_id, agent_id, PgParam::Bytes(serialized_status), now})
                        .status());
                ERPSYNC_RETURN_IF_ERROR(connection
                                            .Exec(what,
                                                  "UPDATE agents SET last_seen_unix = $3 "
                                                  "WHERE company_id = $1 AND id = $2",
                                                  {company_id, agent_id, now})
                                            .status());
                return true;
              })
      .status();
}

Result<std::vector<AgentRow>> PgAgentControlStore::ListAgents(int64_t company_id) {
  const std::string what = "listing agents";
  return database_->Read(what, [&](PgConnection& connection) -> Result<std::vector<AgentRow>> {
    ERPSYNC_ASSIGN_OR_RETURN(
        const PgResult rows,
        connection.Exec(what,
                        "SELECT a.id, a.connection_id, n.name, a.description, a.hostname, "
                        "a.version, a.last_seen_unix, s.status, s.reported_unix, "
                        "a.control_until_unix > $2 FROM agents a "
                        "JOIN connections n ON n.company_id = a.company_id "
                        "AND n.id = a.connection_id "
                        "LEFT JOIN agent_status s ON s.company_id = a.company_id "
                        "AND s.agent_id = a.id "
                        "WHERE a.company_id = $1 AND NOT a.revoked ORDER BY n.name, a.id",
                        {company_id, database_->NowUnix()}));
    std::vector<AgentRow> agents;
    agents.reserve(static_cast<size_t>(rows.rows()));
    for (int row = 0; row < rows.rows(); ++row) {
      AgentRow agent;
      agent.agent_id = rows.Int(row, 0);
      agent.connection_id = rows.Int(row, 1);
      agent.connection = TextAt(rows, row, 2);
      agent.description = TextAt(rows, row, 3);
      agent.hostname = TextAt(rows, row, 4);
      agent.version = TextAt(rows, row, 5);
      agent.last_seen_unix = rows.Int(row, 6);
      if (!rows.IsNull(row, 7)) {
        agent.status = rows.Bytes(row, 7);
        agent.status_unix = rows.Int(row, 8);
      }
      agent.channel_held = rows.Bool(row, 9);
      agents.push_back(std::move(agent));
    }
    return agents;
  });
}

Status PgAgentControlStore::HoldControlChannel(const ControlHold& hold, int64_t until_unix) {
  const std::string what = "recording an agent's control channel";
  return database_
      ->Write(what,
              [&](PgConnection& connection) -> Result<bool> {
                // NOT_FOUND "agent <id> does not exist" for an unknown agent.
                ERPSYNC_ASSIGN_OR_RETURN(
                    const int64_t company_id,
                    database_->CompanyOf(connection, PgCompanyTable::kAgents, hold.agent_id));
                ERPSYNC_RETURN_IF_ERROR(
                    connection
                        .Exec(what,
                              "UPDATE agents SET control_holder = $3, control_until_unix = $4 "
                              "WHERE company_id = $1 AND id = $2",
                              {company_id, hold.agent_id, hold.holder, until_unix})
                        .status());
                return true;
              })
      .status();
}

Status PgAgentControlStore::RenewControlChannels(const std::vector<ControlHold>& holds,
                                                int64_t until_unix) {
  if (holds.empty()) return Status::Ok();
  const std::string what = "renewing agents' control channels";
  return database_
      ->Write(what,
              [&](PgConnection& connection) -> Result<bool> {
                for (const ControlHold& hold : holds) {
                  Result<int64_t> company_id =
                      database_->CompanyOf(connection, PgCompanyTable::kAgents, hold.agent_id);
                  // An agent deleted meanwhile has nothing to renew.
                  if (company_id.status().code() == StatusCode::kNotFound) continue;
                  ERPSYNC_RETURN_IF_ERROR(company_id.status());
                  ERPSYNC_RETURN_IF_ERROR(
                      connection
                          .Exec(what,
                                "UPDATE agents SET control_until_unix = $4 "
                                "WHERE company_id = $1 AND id = $2 AND control_holder = $3",
                                {*company_id, hold.agent_id, hold.holder, until_unix})
                          .status());
                }
                return true;
              })
      .status();
}

Status PgAgentControlStore::ReleaseControlChannel(const ControlHold& hold) {
  const std::string what = "releasing an agent's control channel";
  return database_
      ->Write(what,
              [&](PgConnection& connection) -> Result<bool> {
                Result<int64_t> company_id =
                    database_->CompanyOf(connection, PgCompanyTable::kAgents, hold.agent_id);
                if (company_id.status().code() == StatusCode::kNotFound) return true;
                ERPSYNC_RETURN_IF_ERROR(company_id.status());
                ERPSYNC_RETURN_IF_ERROR(
                    connection
                        .Exec(what,
                              "UPDATE agents SET control_holder = '', control_until_unix = 0 "
                              "WHERE company_id = $1 AND id = $2 AND control_holder = $3",
                              {*company_id, hold.agent_id, hold.holder})
                        .status());
                return true;
              })
      .status();
}

}  // namespace erpsync::server
