#include "server/store/migrations.h"

namespace erpsync::server {
namespace {

// Version 1: the directory (companies, connections, agents, users) and the
// mirrored records.
//
// Conventions: ids are INTEGER PRIMARY KEY; times are seconds since the Unix
// epoch; booleans are 0/1; unsigned 64-bit values (hashes, checksums,
// generations) are stored bit-cast into the signed INTEGER. Token hashes are
// the lower-case hex SHA-256 of the bearer token.
//
// records is WITHOUT ROWID, clustered on (entity_row_id, key): one B-tree
// per write, and key-ordered paging is a range scan. It has no foreign keys
// on purpose (checking them costs a lookup per record written): RecordStore is
// its only writer and never creates a record for a missing entity or schema.
// payload is the last column so that reading hash/generation/deleted does
// not decode it.
constexpr std::string_view kV1DirectoryAndRecords = R"sql(
CREATE TABLE companies (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  created_unix INTEGER NOT NULL
);

CREATE TABLE connections (
  id INTEGER PRIMARY KEY,
  company_id INTEGER NOT NULL REFERENCES companies (id),
  name TEXT NOT NULL,
  created_unix INTEGER NOT NULL,
  UNIQUE (company_id, name)
);

CREATE TABLE agents (
  id INTEGER PRIMARY KEY,
  company_id INTEGER NOT NULL REFERENCES companies (id),
  connection_id INTEGER NOT NULL REFERENCES connections (id),
  token_hash TEXT NOT NULL UNIQUE,
  description TEXT NOT NULL DEFAULT '',
  created_unix INTEGER NOT NULL,
  last_seen_unix INTEGER NOT NULL DEFAULT 0,
  hostname TEXT NOT NULL DEFAULT '',
  version TEXT NOT NULL DEFAULT '',
  revoked INTEGER NOT NULL DEFAULT 0 CHECK (revoked IN (0, 1))
);
CREATE INDEX agents_by_connection ON agents (connection_id);

CREATE TABLE users (
  id INTEGER PRIMARY KEY,
  company_id INTEGER NOT NULL REFERENCES companies (id),
  name TEXT NOT NULL,
  email TEXT NOT NULL DEFAULT '',
  level INTEGER NOT NULL CHECK (level BETWEEN 0 AND 3),
  can_push INTEGER NOT NULL DEFAULT 0 CHECK (can_push IN (0, 1)),
  token_hash TEXT NOT NULL UNIQUE,
  created_unix INTEGER NOT NULL,
  revoked INTEGER NOT NULL DEFAULT 0 CHECK (revoked IN (0, 1)),
  UNIQUE (company_id, name)
);

-- One entity (mapping id) of one connection. schema_id is the schema new
-- records are written with (NULL only inside the transaction creating the
-- row). live_count, deleted_count and checksum always equal what the
-- records rows give; generation is the last generation allocated to a full
-- pass, open_pass the one in progress (0: none).
CREATE TABLE entities (
  id INTEGER PRIMARY KEY,
  connection_id INTEGER NOT NULL REFERENCES connections (id),
  entity_id TEXT NOT NULL,
  schema_id INTEGER REFERENCES schemas (id),
  generation INTEGER NOT NULL DEFAULT 0,
  open_pass INTEGER NOT NULL DEFAULT 0,
  live_count INTEGER NOT NULL DEFAULT 0,
  deleted_count INTEGER NOT NULL DEFAULT 0,
  checksum INTEGER NOT NULL DEFAULT 0,
  last_synced_unix INTEGER NOT NULL DEFAULT 0,
  UNIQUE (connection_id, entity_id)
);

-- Every distinct schema an entity's records were written with: a serialized
-- erpsync.v1.EntitySchema, deduplicated by (fingerprint, definition).
CREATE TABLE schemas (
  id INTEGER PRIMARY KEY,
  entity_row_id INTEGER NOT NULL REFERENCES entities (id),
  fingerprint INTEGER NOT NULL,
  definition BLOB NOT NULL,
  created_unix INTEGER NOT NULL
);
CREATE INDEX schemas_by_fingerprint ON schemas (entity_row_id, fingerprint);

CREATE TABLE records (
  entity_row_id INTEGER NOT NULL,
  key TEXT NOT NULL,
  schema_id INTEGER NOT NULL,
  hash INTEGER NOT NULL,
  generation INTEGER NOT NULL,
  deleted INTEGER NOT NULL,
  updated_unix INTEGER NOT NULL,
  payload BLOB NOT NULL,
  PRIMARY KEY (entity_row_id, key)
) WITHOUT ROWID;
)sql";

// Version 2: the agents' control channel: "sync now" requests kept until the
// agent takes them (so an offline agent gets them when it reconnects), and
// the status each agent last reported (a serialized erpsync.v1.AgentStatus).
constexpr std::string_view kV2AgentControl = R"sql(
CREATE TABLE sync_requests (
  id TEXT PRIMARY KEY,
  connection_id INTEGER NOT NULL REFERENCES connections (id),
  entity_ids TEXT NOT NULL,
  deep INTEGER NOT NULL CHECK (deep IN (0, 1)),
  since TEXT NOT NULL,
  requested_by TEXT NOT NULL,
  state TEXT NOT NULL CHECK (state IN ('queued', 'sent', 'done', 'failed')),
  message TEXT NOT NULL DEFAULT '',
  created_unix INTEGER NOT NULL,
  updated_unix INTEGER NOT NULL
);
CREATE INDEX sync_requests_by_connection ON sync_requests (connection_id, state, created_unix);

CREATE TABLE agent_status (
  agent_id INTEGER PRIMARY KEY REFERENCES agents (id),
  status BLOB NOT NULL,
  reported_unix INTEGER NOT NULL
);
)sql";

// Append new migrations here, one entry each.
constexpr std::string_view kMigrations[] = {
    kV1DirectoryAndRecords,
    kV2AgentControl,
};

}  // namespace

std::span<const std::string_view> ServerMigrations() { return kMigrations; }

}  // namespace erpsync::server
