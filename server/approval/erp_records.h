// ErpRecords: what the approval rules need to know of the mirrored ERP data
// (RecordStore): whether a referenced ERP record exists, its decoded
// fields, and Ready to Import listings. A missing entity is not "absent":
// it means the agent never synced that record type, and the refusal says so
// and what to do: enable it on the agent, or, when the connection's agent
// reports it enabled (its last AgentStatus), run a deep sync of it.
// Thread-safe (stateless over thread-safe stores).
#ifndef ERPSYNC_SERVER_APPROVAL_ERP_RECORDS_H_
#define ERPSYNC_SERVER_APPROVAL_ERP_RECORDS_H_

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "common/status.h"
#include "server/store/agent_control_store.h"
#include "server/store/directory_store.h"
#include "server/store/record_store.h"
#include "server/store/stored_record_reader.h"

namespace erpsync::server {

// Mapping ids (entities) the approval rules look at, and their keys.
inline constexpr std::string_view kErpJobs = "cv_job";                           // Job
inline constexpr std::string_view kErpVendors = "vendor";                        // Vendor
inline constexpr std::string_view kErpStandardCostCodes = "standard_cost_code";  // Cost_Code
inline constexpr std::string_view kErpStandardCategories = "standard_category";  // Category
inline constexpr std::string_view kErpExtras = "jc_extra";                       // Job|Extra
inline constexpr std::string_view kErpJobCostCodes = "jc_cost_code";  // Job|Extra|Cost_Code
inline constexpr std::string_view kErpCommitments = "jc_commitment";  // Commitment
inline constexpr std::string_view kErpCommitmentChangeOrders =
    "jc_commitment_change_order";                                 // Commitment|Change_Order|Item
inline constexpr std::string_view kErpApInvoices = "ap_invoice";  // Vendor|Invoice
inline constexpr std::string_view kErpJcTransactions = "jc_transaction";  // Row_ID
inline constexpr std::string_view kErpContracts = "cn_contract";          // Contract

// One live mirrored record, decoded in the entity's current schema (see
// StoredRecordReader): each field's canonical text (FormatFieldValue; null
// is empty).
struct ErpRow {
  std::string key;
  std::map<std::string, std::string, std::less<>> fields;

  // The field's text, empty when the field is absent or null.
  std::string Text(std::string_view field) const;
};

// What the mirrored data says of one ERP record.
enum class MirroredState {
  // Never synced by the agent: not in the ERP, or not come back yet (an
  // export the next sync has not brought back).
  kNeverSeen,
  kLive,
  // Synced, and since deleted in the ERP.
  kDeleted,
};

class ErpRecords {
 public:
  // Without `directory` and `agents` the refusals of an entity never
  // synced always say to enable it.
  explicit ErpRecords(RecordStore* records, DirectoryStore* directory = nullptr,
                      AgentControlStore* agents = nullptr)
      : records_(records), directory_(directory), agents_(agents) {}

  // The live record `key` of `entity_id` on the connection; nullopt when the
  // ERP has no such record (or it was deleted there). FAILED_PRECONDITION
  // when the entity was never synced: "the ERP's standard cost code list has
  // not been synced yet; enable Standard Cost Code on the agent and run a
  // deep sync", or, when the connection's agent reports it enabled, "...
  // has not been synced yet: Standard Cost Code is enabled on the agent;
  // run a deep sync of Standard Cost Code (erpsync-ctl sync request --deep
  // --entities standard_cost_code)".
  Result<std::optional<ErpRow>> FindLive(int64_t connection_id, std::string_view entity_id,
                                         const std::string& key);
  // As FindLive, only whether it exists.
  Result<bool> ExistsLive(int64_t connection_id, std::string_view entity_id,
                          const std::string& key);
  // What the mirrored data says of the record `key` of `entity_id`: live,
  // deleted in the ERP, or never seen. Errors as FindLive.
  Result<MirroredState> StateOf(int64_t connection_id, std::string_view entity_id,
                                const std::string& key);
  // Calls `visit` with the live records of `entity_id` in key order after
  // `after_key` until it returns false or the records end. Errors as
  // FindLive.
  Status ForEachLive(int64_t connection_id, std::string_view entity_id,
                     const std::string& after_key, const std::function<bool(const ErpRow&)>& visit);

  // The refusal for an entity that was never synced (see FindLive), when
  // the agent has it enabled or not.
  static Status NotSyncedError(std::string_view entity_id, bool enabled_on_agent);

 private:
  Result<EntityState> Entity(int64_t connection_id, std::string_view entity_id);
  // Whether an agent of the connection reported `entity_id` enabled in its
  // last status. False without the stores to ask.
  Result<bool> EnabledOnAgent(int64_t connection_id, std::string_view entity_id);
  // Decodes `record` into the entity's current schema (fields by name).
  static Result<ErpRow> Decode(const StoredRecord& record, StoredRecordReader* reader);

  RecordStore* records_;
  DirectoryStore* directory_;
  AgentControlStore* agents_;
};

}  // namespace erpsync::server

#endif  // ERPSYNC_SERVER_APPROVAL_ERP_RECORDS_H_
