#include "server/store/sqlite/agent_control_store.h"

#include "server/store/agent_control_rules.h"
#include "server/store/sqlite/sqlite_util.h"

namespace erpsync::server {
namespace {

using store_internal::CachedStatement;
using store_internal::JoinIds;
using store_internal::NewSyncRequest;
using store_internal::SplitIds;
using store_internal::SyncRequestStateFromName;

constexpr char kRequestColumns[] =
    "id, connection_id, entity_ids, deep, since, requested_by, state, message, created_unix, "
    "updated_unix";

SyncRequestRow ReadRequest(SQLite::Statement& row) {
  SyncRequestRow request;
  request.id = row.getColumn(0).getString();
  request.connection_id = row.getColumn(1).getInt64();
  request.entity_ids = SplitIds(row.getColumn(2).getString());
  request.deep = row.getColumn(3).getInt() != 0;
  request.since = row.getColumn(4).getString();
  request.requested_by = row.getColumn(5).getString();
  request.state = SyncRequestStateFromName(row.getColumn(6).getString());
  request.message = row.getColumn(7).getString();
  request.created_unix = row.getColumn(8).getInt64();
  request.updated_unix = row.getColumn(9).getInt64();
  return request;
}

}  // namespace

Result<SyncRequestRow> SqliteAgentControlStore::AddSyncRequest(int64_t connection_id,
                                                         const std::vector<std::string>& entity_ids,
                                                         bool deep, const std::string& since,
                                                         const std::string& requested_by) {
  ERPSYNC_ASSIGN_OR_RETURN(
      const SyncRequestRow request,
      NewSyncRequest(connection_id, entity_ids, deep, since, requested_by, database_->NowUnix()));
  ERPSYNC_RETURN_IF_ERROR(database_->WithWriter("queuing a sync request", [&](SQLite::Database& db) {
    SQLite::Statement& insert = CachedStatement(
        db,
        "INSERT INTO sync_requests (id, connection_id, entity_ids, deep, since, requested_by, "
        "state, message, created_unix, updated_unix) VALUES (?1, ?2, ?3, ?4, ?5, ?6, 'queued', '', "
        "?7, ?7)");
    insert.bind(1, request.id);
    insert.bind(2, connection_id);
    insert.bind(3, JoinIds(entity_ids));
    insert.bind(4, deep ? 1 : 0);
    insert.bind(5, since);
    insert.bind(6, requested_by);
    insert.bind(7, request.created_unix);
    insert.exec();
    return Status::Ok();
  }));
  return request;
}

Result<std::vector<SyncRequestRow>> SqliteAgentControlStore::OpenSyncRequests(int64_t connection_id) {
  return database_->Read(
      "listing sync requests", [&](SQLite::Database& db) -> Result<std::vector<SyncRequestRow>> {
        std::vector<SyncRequestRow> requests;
        SQLite::Statement& select = CachedStatement(
            db, std::string("SELECT ") + kRequestColumns +
                    " FROM sync_requests WHERE connection_id = ?1 AND state IN ('queued', 'sent') "
                    "ORDER BY created_unix, rowid");
        select.bind(1, connection_id);
        while (select.executeStep()) requests.push_back(ReadRequest(select));
        return requests;
      });
}

Result<SyncRequestRow> SqliteAgentControlStore::GetSyncRequest(int64_t company_id, const std::string& id) {
  return database_->Read(
      "reading a sync request", [&](SQLite::Database& db) -> Result<SyncRequestRow> {
        SQLite::Statement& select = CachedStatement(
            db, std::string("SELECT r.") +
                    "id, r.connection_id, r.entity_ids, r.deep, r.since, "
                    "r.requested_by, r.state, r.message, r.created_unix, r.updated_unix "
                    "FROM sync_requests r JOIN connections n ON n.id = r.connection_id "
                    "WHERE r.id = ?1 AND n.company_id = ?2");
        select.bind(1, id);
        select.bind(2, company_id);
        if (!select.executeStep()) return NotFoundError("no sync request " + id);
        return ReadRequest(select);
      });
}

Status SqliteAgentControlStore::UpdateSyncRequest(int64_t connection_id, const std::string& id,
                                            SyncRequestState state, const std::string& message) {
  return database_->WithWriter("updating a sync request", [&](SQLite::Database& db) -> Status {
    SQLite::Statement& update = CachedStatement(
        db,
        "UPDATE sync_requests SET state = ?1, message = ?2, updated_unix = ?3 "
        "WHERE id = ?4 AND connection_id = ?5");
    update.bind(1, std::string(SyncRequestStateName(state)));
    update.bind(2, message);
    update.bind(3, database_->NowUnix());
    update.bind(4, id);
    update.bind(5, connection_id);
    if (update.exec() == 0) return NotFoundError("no sync request " + id + " for this connection");
    return Status::Ok();
  });
}

Status SqliteAgentControlStore::PutAgentStatus(int64_t agent_id, const std::string& serialized_status) {
  return database_->WithWriteTransaction("storing an agent's status", [&](SQLite::Database& db) {
    const int64_t now = database_->NowUnix();
    SQLite::Statement& upsert = CachedStatement(
        db,
        "INSERT INTO agent_status (agent_id, status, reported_unix) VALUES (?1, ?2, ?3) "
        "ON CONFLICT (agent_id) DO UPDATE SET status = excluded.status, "
        "reported_unix = excluded.reported_unix");
    upsert.bind(1, agent_id);
    upsert.bind(2, serialized_status.data(), static_cast<int>(serialized_status.size()));
    upsert.bind(3, now);
    upsert.exec();
    SQLite::Statement& seen =
        CachedStatement(db, "UPDATE agents SET last_seen_unix = ?1 WHERE id = ?2");
    seen.bind(1, now);
    seen.bind(2, agent_id);
    seen.exec();
    return Status::Ok();
  });
}

Result<std::vector<AgentRow>> SqliteAgentControlStore::ListAgents(int64_t company_id) {
  return database_->Read(
      "listing agents", [&](SQLite::Database& db) -> Result<std::vector<AgentRow>> {
        std::vector<AgentRow> agents;
        SQLite::Statement& select = CachedStatement(
            db,
            "SELECT a.id, a.connection_id, n.name, a.description, a.hostname, a.version, "
            "a.last_seen_unix, s.status, s.reported_unix, a.control_until_unix > ?2 "
            "FROM agents a JOIN connections n ON n.id = a.connection_id "
            "LEFT JOIN agent_status s ON s.agent_id = a.id "
            "WHERE a.company_id = ?1 AND a.revoked = 0 ORDER BY n.name, a.id");
        select.bind(1, company_id);
        select.bind(2, database_->NowUnix());
        while (select.executeStep()) {
          AgentRow agent;
          agent.agent_id = select.getColumn(0).getInt64();
          agent.connection_id = select.getColumn(1).getInt64();
          agent.connection = select.getColumn(2).getString();
          agent.description = select.getColumn(3).getString();
          agent.hostname = select.getColumn(4).getString();
          agent.version = select.getColumn(5).getString();
          agent.last_seen_unix = select.getColumn(6).getInt64();
          if (!select.getColumn(7).isNull()) {
            agent.status.assign(static_cast<const char*>(select.getColumn(7).getBlob()),
                                static_cast<size_t>(select.getColumn(7).getBytes()));
            agent.status_unix = select.getColumn(8).getInt64();
          }
          agent.channel_held = select.getColumn(9).getInt() != 0;
          agents.push_back(std::move(agent));
        }
        return agents;
      });
}

Status SqliteAgentControlStore::HoldControlChannel(const ControlHold& hold, int64_t until_unix) {
  return database_->WithWriteTransaction(
      "recording an agent's control channel", [&](SQLite::Database& db) -> Status {
        SQLite::Statement& update = CachedStatement(
            db, "UPDATE agents SET control_holder = ?2, control_until_unix = ?3 WHERE id = ?1");
        update.bind(1, hold.agent_id);
        update.bind(2, hold.holder);
        update.bind(3, until_unix);
        if (update.exec() == 0) {
          return NotFoundError("agent " + std::to_string(hold.agent_id) + " does not exist");
        }
        return Status::Ok();
      });
}

Status SqliteAgentControlStore::RenewControlChannels(const std::vector<ControlHold>& holds,
                                                    int64_t until_unix) {
  if (holds.empty()) return Status::Ok();
  return database_->WithWriteTransaction(
      "renewing agents' control channels", [&](SQLite::Database& db) -> Status {
        SQLite::Statement& update = CachedStatement(
            db,
            "UPDATE agents SET control_until_unix = ?3 WHERE id = ?1 AND control_holder = ?2");
        for (const ControlHold& hold : holds) {
          update.reset();
          update.bind(1, hold.agent_id);
          update.bind(2, hold.holder);
          update.bind(3, until_unix);
          update.exec();
        }
        return Status::Ok();
      });
}

Status SqliteAgentControlStore::ReleaseControlChannel(const ControlHold& hold) {
  return database_->WithWriteTransaction(
      "releasing an agent's control channel", [&](SQLite::Database& db) -> Status {
        SQLite::Statement& update = CachedStatement(
            db,
            "UPDATE agents SET control_holder = '', control_until_unix = 0 "
            "WHERE id = ?1 AND control_holder = ?2");
        update.bind(1, hold.agent_id);
        update.bind(2, hold.holder);
        update.exec();
        return Status::Ok();
      });
}

}  // namespace erpsync::server
