// Plain data rows the server's store takes and returns. No behaviour.
#ifndef ERPSYNC_SERVER_STORE_STORE_TYPES_H_
#define ERPSYNC_SERVER_STORE_STORE_TYPES_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/record_schema.h"

namespace erpsync::server {

struct Company {
  int64_t id = 0;
  std::string name;
  int64_t created_unix = 0;
};

// An ERP connection of a company ("sage300"): one agent syncs it.
struct Connection {
  int64_t id = 0;
  int64_t company_id = 0;
  std::string name;
};

// ERP Integrations tool level of a user (DOMAIN.md, Permissions).
enum class ToolLevel { kNone = 0, kReadOnly = 1, kStandard = 2, kAdmin = 3 };

enum class PrincipalKind { kAgent = 1, kUser = 2 };

// Whoever a bearer token belongs to.
struct Principal {
  PrincipalKind kind = PrincipalKind::kAgent;
  int64_t id = 0;  // agent id or user id
  int64_t company_id = 0;
  std::string company_name;
  // Agents: the connection they sync. Users: 0.
  int64_t connection_id = 0;
  std::string connection_name;
  // Users only.
  std::string user_name;
  std::string email;
  ToolLevel level = ToolLevel::kNone;
  bool can_push_to_accounting = false;
};

// One entity of one connection, as the store tracks it.
struct EntityState {
  int64_t id = 0;  // row id, scope of its records
  int64_t connection_id = 0;
  std::string entity_id;
  // Id of the stored schema that new records are written with.
  int64_t schema_id = 0;
  RecordSchema schema;
  // Last generation allocated to a full pass (0: never).
  uint64_t generation = 0;
  // Generation of the full pass in progress, 0 when none is open.
  uint64_t open_pass = 0;
  uint64_t live_count = 0;
  uint64_t deleted_count = 0;
  // EntityChecksum of the live records, maintained on every write.
  uint64_t checksum = 0;
  int64_t last_synced_unix = 0;
};

// The figures of an entity that a verification compares: live count, deleted
// count and the EntityChecksum of the live records.
struct EntityFigures {
  uint64_t live_count = 0;
  uint64_t deleted_count = 0;
  uint64_t checksum = 0;
  bool operator==(const EntityFigures&) const = default;
};

// An entity's figures as stored (the running totals maintained on every
// write) and as recomputed from its record rows, read in one snapshot.
struct EntityCheck {
  EntityState entity;  // as stored
  EntityFigures stored;
  EntityFigures recomputed;
};

// One record as the agent sent it, as views of bytes it does not own (a
// decompressed batch, a request message, the caller's strings): they must
// stay valid and unchanged until the RecordStore call that is given the
// record returns. The store keeps no reference to them after that, so the
// caller may then reuse or free the bytes.
struct IncomingRecord {
  std::string_view key;
  std::string_view values;  // encoded per the entity's schema (validated by caller)
  uint64_t content_hash = 0;
  bool deleted = false;
};

struct ApplyCounts {
  uint32_t inserted = 0;
  uint32_t updated = 0;
  uint32_t unchanged = 0;
  uint32_t deleted = 0;
  uint32_t kept = 0;  // kept keys of live records (not among the counts above)

  bool operator==(const ApplyCounts&) const = default;
};

struct StoredRecord {
  std::string key;
  int64_t schema_id = 0;
  std::string values;
  uint64_t content_hash = 0;
  uint64_t generation = 0;
  bool deleted = false;
  int64_t updated_unix = 0;
};

struct RecordPage {
  std::vector<StoredRecord> records;
  // Key to pass as `after_key` for the next page; empty on the last page.
  std::string next_after_key;
};

}  // namespace erpsync::server

#endif  // ERPSYNC_SERVER_STORE_STORE_TYPES_H_
