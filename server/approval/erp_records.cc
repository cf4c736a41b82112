#include "server/approval/erp_records.h"

#include <utility>
#include <vector>

#include "common/record_codec.h"
#include "erpsync/v1/agents.pb.h"

namespace erpsync::server {
namespace {

struct EntityNames {
  std::string_view entity_id;
  // What the ERP's data is called in messages, and the Advanced Mappings
  // name that syncs it.
  std::string_view list;
  std::string_view mapping;
};

constexpr EntityNames kEntityNames[] = {
    {kErpJobs, "job list", "Job (CV)"},
    {kErpVendors, "vendor list", "Vendor"},
    {kErpStandardCostCodes, "standard cost code list", "Standard Cost Code"},
    {kErpStandardCategories, "standard category list", "Standard Category"},
    {kErpExtras, "extra (sub job) list", "Extra (JC)"},
    {kErpJobCostCodes, "job cost code list", "Cost Code (JC)"},
    {kErpCommitments, "commitment list", "Commitment (JC)"},
    {kErpCommitmentChangeOrders, "commitment change order list", "Commitment Change Order (JC)"},
    {kErpApInvoices, "AP invoice list", "Invoice (AP)"},
    {kErpJcTransactions, "JC transaction list", "Transaction (JC)"},
    {kErpContracts, "prime contract list", "Contract (CN)"},
};

constexpr int kScanPageSize = 2000;

}  // namespace

std::string ErpRow::Text(std::string_view field) const {
  auto it = fields.find(field);
  return it == fields.end() ? std::string() : it->second;
}

Status ErpRecords::NotSyncedError(std::string_view entity_id, bool enabled_on_agent) {
  std::string list = std::string(entity_id) + " records";
  std::string mapping = std::string(entity_id);
  for (const EntityNames& names : kEntityNames) {
    if (names.entity_id == entity_id) {
      list = names.list;
      mapping = names.mapping;
    }
  }
  const std::string not_synced = "the ERP's " + list + " has not been synced yet";
  if (enabled_on_agent) {
    return FailedPreconditionError(
        not_synced + ": " + mapping + " is enabled on the agent; run a deep sync of " + mapping +
        " (erpsync-ctl sync request --deep --entities " + std::string(entity_id) + ")");
  }
  return FailedPreconditionError(not_synced + "; enable " + mapping +
                                 " on the agent and run a deep sync");
}

Result<bool> ErpRecords::EnabledOnAgent(int64_t connection_id, std::string_view entity_id) {
  if (directory_ == nullptr || agents_ == nullptr) return false;
  ERPSYNC_ASSIGN_OR_RETURN(const Connection connection, directory_->GetConnection(connection_id));
  ERPSYNC_ASSIGN_OR_RETURN(const std::vector<AgentRow> agents,
                           agents_->ListAgents(connection.company_id));
  for (const AgentRow& agent : agents) {
    v1::AgentStatus status;
    // A status that cannot be read says nothing (agents status reports it).
    if (agent.connection_id != connection_id || !status.ParseFromString(agent.status)) continue;
    for (const v1::EntityStatus& entity : status.entities()) {
      if (entity.entity_id() == entity_id) return true;
    }
  }
  return false;
}

Result<EntityState> ErpRecords::Entity(int64_t connection_id, std::string_view entity_id) {
  Result<EntityState> entity = records_->GetEntity(connection_id, std::string(entity_id));
  if (!entity.ok() && entity.status().code() == StatusCode::kNotFound) {
    ERPSYNC_ASSIGN_OR_RETURN(const bool enabled, EnabledOnAgent(connection_id, entity_id));
    return NotSyncedError(entity_id, enabled);
  }
  return entity;
}

Result<ErpRow> ErpRecords::Decode(const StoredRecord& record, StoredRecordReader* reader) {
  std::vector<FieldValue> values;
  ERPSYNC_RETURN_IF_ERROR(reader->Read(record, &values));
  ErpRow row;
  row.key = record.key;
  for (size_t i = 0; i < values.size(); ++i) {
    const FieldDef& field = reader->schema().fields()[i];
    row.fields[field.name] = FormatFieldValue(field, values[i]);
  }
  return row;
}

Result<std::optional<ErpRow>> ErpRecords::FindLive(int64_t connection_id,
                                                   std::string_view entity_id,
                                                   const std::string& key) {
  ERPSYNC_ASSIGN_OR_RETURN(const EntityState entity, Entity(connection_id, entity_id));
  Result<StoredRecord> record = records_->GetRecord(entity.id, key);
  if (!record.ok()) {
    if (record.status().code() == StatusCode::kNotFound) return std::optional<ErpRow>();
    return record.status();
  }
  if (record->deleted) return std::optional<ErpRow>();
  StoredRecordReader reader(records_, entity);
  ERPSYNC_ASSIGN_OR_RETURN(ErpRow row, Decode(*record, &reader));
  return std::optional<ErpRow>(std::move(row));
}

Result<bool> ErpRecords::ExistsLive(int64_t connection_id, std::string_view entity_id,
                                    const std::string& key) {
  ERPSYNC_ASSIGN_OR_RETURN(const MirroredState state, StateOf(connection_id, entity_id, key));
  return state == MirroredState::kLive;
}

Result<MirroredState> ErpRecords::StateOf(int64_t connection_id, std::string_view entity_id,
                                          const std::string& key) {
  ERPSYNC_ASSIGN_OR_RETURN(const EntityState entity, Entity(connection_id, entity_id));
  Result<StoredRecord> record = records_->GetRecord(entity.id, key);
  if (!record.ok()) {
    if (record.status().code() == StatusCode::kNotFound) return MirroredState::kNeverSeen;
    return record.status();
  }
  return record->deleted ? MirroredState::kDeleted : MirroredState::kLive;
}

Status ErpRecords::ForEachLive(int64_t connection_id, std::string_view entity_id,
                               const std::string& after_key,
                               const std::function<bool(const ErpRow&)>& visit) {
  ERPSYNC_ASSIGN_OR_RETURN(const EntityState entity, Entity(connection_id, entity_id));
  StoredRecordReader reader(records_, entity);
  std::string after = after_key;
  while (true) {
    ERPSYNC_ASSIGN_OR_RETURN(const RecordPage page,
                             records_->ListRecords(entity.id, after, kScanPageSize, false));
    for (const StoredRecord& record : page.records) {
      ERPSYNC_ASSIGN_OR_RETURN(const ErpRow row, Decode(record, &reader));
      if (!visit(row)) return Status::Ok();
    }
    if (page.next_after_key.empty()) return Status::Ok();
    after = page.next_after_key;
  }
}

}  // namespace erpsync::server
