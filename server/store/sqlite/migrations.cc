#include "server/store/sqlite/migrations.h"

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

// Version 3: the ERP Integrations approval queues (server/store/
// approval_store.h) and the mail outbox (outbox_store.h).
//
// approval_items holds one cloud-side item each: its type and state (the
// numbers of erpsync.v1.ItemType / ItemState), its content (a serialized
// erpsync.v1.ItemContent), an optimistic-concurrency version bumped by every
// change, and its ERP link. erp_ref is the ERP key the item's content names
// for itself (a created job's number, a vendor key, a commitment id), kept
// beside the content so that rules can look it up; erp_key is the ERP record
// the item is linked to (imported, or synced), unique per (connection, type);
// erp_keys every key the export produced (record keys, or entry batches),
// joined with common/record_codec.h AppendKeyPart. approval_history is the
// audit trail: one row per change, never updated. A change, its history row
// and the emails it causes are written in one transaction.
//
// outbox holds every email until it is delivered (delivered_unix > 0) and
// keeps it afterwards; next_attempt_unix is when a deliverer may (re)try it,
// pushed forward while one holds it (a lease) and by backoff after a failure.
constexpr std::string_view kV3ApprovalQueues = R"sql(
CREATE TABLE approval_items (
  id INTEGER PRIMARY KEY,
  company_id INTEGER NOT NULL REFERENCES companies (id),
  connection_id INTEGER NOT NULL REFERENCES connections (id),
  type INTEGER NOT NULL CHECK (type BETWEEN 1 AND 10),
  project_id INTEGER REFERENCES approval_items (id),
  state INTEGER NOT NULL CHECK (state BETWEEN 1 AND 9),
  origin INTEGER NOT NULL CHECK (origin IN (1, 2)),
  archived INTEGER NOT NULL DEFAULT 0 CHECK (archived IN (0, 1)),
  budget_locked INTEGER NOT NULL DEFAULT 0 CHECK (budget_locked IN (0, 1)),
  resent INTEGER NOT NULL DEFAULT 0 CHECK (resent IN (0, 1)),
  version INTEGER NOT NULL,
  title TEXT NOT NULL,
  content BLOB NOT NULL,
  erp_ref TEXT NOT NULL DEFAULT '',
  erp_key TEXT NOT NULL DEFAULT '',
  erp_keys TEXT NOT NULL DEFAULT '',
  erp_message TEXT NOT NULL DEFAULT '',
  decision_comment TEXT NOT NULL DEFAULT '',
  accepted_by TEXT NOT NULL DEFAULT '',
  created_by INTEGER NOT NULL REFERENCES users (id),
  created_unix INTEGER NOT NULL,
  updated_unix INTEGER NOT NULL,
  queued_unix INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX approval_items_by_company ON approval_items (company_id, archived, state);
CREATE INDEX approval_items_by_project ON approval_items (project_id, type);
CREATE INDEX approval_items_by_ref ON approval_items (connection_id, type, erp_ref);
CREATE INDEX approval_items_exports ON approval_items (connection_id, state, queued_unix);
CREATE UNIQUE INDEX approval_items_links ON approval_items (connection_id, type, erp_key)
  WHERE erp_key <> '';

CREATE TABLE approval_history (
  id INTEGER PRIMARY KEY,
  item_id INTEGER NOT NULL REFERENCES approval_items (id),
  version INTEGER NOT NULL,
  action TEXT NOT NULL,
  from_state INTEGER NOT NULL,
  to_state INTEGER NOT NULL,
  actor_user_id INTEGER REFERENCES users (id),
  actor TEXT NOT NULL,
  comment TEXT NOT NULL DEFAULT '',
  created_unix INTEGER NOT NULL
);
CREATE INDEX approval_history_by_item ON approval_history (item_id, id);

CREATE TABLE approval_settings (
  company_id INTEGER NOT NULL REFERENCES companies (id),
  type INTEGER NOT NULL,
  direct_export INTEGER NOT NULL CHECK (direct_export IN (0, 1)),
  PRIMARY KEY (company_id, type)
);

CREATE TABLE notification_preferences (
  user_id INTEGER PRIMARY KEY REFERENCES users (id),
  on_send INTEGER NOT NULL CHECK (on_send IN (0, 1)),
  on_reject INTEGER NOT NULL CHECK (on_reject IN (0, 1)),
  daily_digest INTEGER NOT NULL CHECK (daily_digest IN (0, 1))
);

CREATE TABLE outbox (
  id INTEGER PRIMARY KEY,
  company_id INTEGER REFERENCES companies (id),
  item_id INTEGER REFERENCES approval_items (id),
  kind TEXT NOT NULL,
  recipient TEXT NOT NULL,
  subject TEXT NOT NULL,
  body TEXT NOT NULL,
  created_unix INTEGER NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 0,
  next_attempt_unix INTEGER NOT NULL,
  delivered_unix INTEGER NOT NULL DEFAULT 0,
  last_error TEXT NOT NULL DEFAULT ''
);
CREATE INDEX outbox_due ON outbox (delivered_unix, next_attempt_unix);

-- Small named values of the mail worker ("last_digest_date").
CREATE TABLE mail_state (
  name TEXT PRIMARY KEY,
  value TEXT NOT NULL
);
)sql";

// Version 4: record keys that are canonical decimal integers are stored as
// INTEGER (see server/store/record_key.h): the key column loses its TEXT
// affinity (no declared type), and stored keys are converted. A key is
// canonical when it survives CAST to INTEGER and back unchanged and has at
// most 18 digits (no '+', no leading zero, no "-0").
// entities.pass_base_live: live records when the open pass began (-1:
// unknown); 0 lets closing the pass skip looking for unseen records.
constexpr std::string_view kV4IntegerRecordKeys = R"sql(
ALTER TABLE entities ADD COLUMN pass_base_live INTEGER NOT NULL DEFAULT -1;
CREATE TABLE records_v4 (
  entity_row_id INTEGER NOT NULL,
  key NOT NULL,
  schema_id INTEGER NOT NULL,
  hash INTEGER NOT NULL,
  generation INTEGER NOT NULL,
  deleted INTEGER NOT NULL,
  updated_unix INTEGER NOT NULL,
  payload BLOB NOT NULL,
  PRIMARY KEY (entity_row_id, key)
) WITHOUT ROWID;
INSERT INTO records_v4
  SELECT entity_row_id,
         CASE WHEN length(ltrim(key, '-')) <= 18 AND CAST(CAST(key AS INTEGER) AS TEXT) = key
              THEN CAST(key AS INTEGER) ELSE key END,
         schema_id, hash, generation, deleted, updated_unix, payload
  FROM records;
DROP TABLE records;
ALTER TABLE records_v4 RENAME TO records;
)sql";

// Version 5: approval_items.delivered_version: the version an item had when
// its export was last handed to an agent (the version the ExportItem
// carried, which the agent's result must name back; see
// server/approval/export_results.h); 0 when never delivered. Kept after the
// result, so that a repeated result is recognized. Items delivered and not
// yet answered get it from their version (delivery bumped it by one and
// nothing else changes a delivered item); for answered items of an older
// store it stays 0: a repeat of their result is refused, which changes
// nothing either. State 6 is EXPORT_DELIVERED.
constexpr std::string_view kV5DeliveredVersion = R"sql(
ALTER TABLE approval_items ADD COLUMN delivered_version INTEGER NOT NULL DEFAULT 0;
UPDATE approval_items SET delivered_version = version - 1 WHERE state = 6;
)sql";

// Version 6: admin_audit: one row per change an administrator made to an
// agent or a user with the erpsync-server admin commands (agent revoke and
// rotate, user set and revoke). actor is who ran the command (the operating
// system user); action is the command ("agent rotate"); old_value and
// new_value describe the change in the commands' spellings ("level
// read-only, can-push off"). Never a token or a token hash.
constexpr std::string_view kV6AdminAudit = R"sql(
CREATE TABLE admin_audit (
  id INTEGER PRIMARY KEY,
  at_unix INTEGER NOT NULL,
  actor TEXT NOT NULL,
  action TEXT NOT NULL,
  target_kind TEXT NOT NULL CHECK (target_kind IN ('agent', 'user')),
  target_id INTEGER NOT NULL,
  company_id INTEGER NOT NULL REFERENCES companies (id),
  old_value TEXT NOT NULL DEFAULT '',
  new_value TEXT NOT NULL DEFAULT ''
);
CREATE INDEX admin_audit_by_company ON admin_audit (company_id, id);
)sql";

// Version 7: entities.pass_epoch: the owner epoch of the open pass
// (RecordStore::TakePass), bumped each time a sync stream opens or resumes
// the pass; a write naming an older epoch is refused, so a stream that was
// superseded (its agent reconnected to another server) cannot write into
// the pass the newer stream continues.
constexpr std::string_view kV7PassEpoch = R"sql(
ALTER TABLE entities ADD COLUMN pass_epoch INTEGER NOT NULL DEFAULT 0;
)sql";

// Version 8: agents.control_holder and control_until_unix: which server
// holds the agent's control channel, and until when (AgentControlStore::
// HoldControlChannel), so that every server of a store agrees on who is
// connected.
constexpr std::string_view kV8ControlHolds = R"sql(
ALTER TABLE agents ADD COLUMN control_holder TEXT NOT NULL DEFAULT '';
ALTER TABLE agents ADD COLUMN control_until_unix INTEGER NOT NULL DEFAULT 0;
)sql";

// Version 9: web_sessions: the web tool's sign-in sessions (server/store/
// session_store.h), each known by the lower-case hex SHA-256 of its cookie
// (the cookie itself is never stored), created and last used at
// created_unix and last_seen_unix; last_seen_unix is written at most once
// a minute (SessionStore::kTouchIntervalSeconds). A session is live while
// its user is not revoked, which every use checks on users: revoking a user
// does not touch this table. EndIdleSessions deletes by last_seen_unix
// (web_sessions_idle), then the sessions of revoked users, checking each
// remaining session's user by its primary key (live sessions are few).
constexpr std::string_view kV9WebSessions = R"sql(
CREATE TABLE web_sessions (
  id_hash TEXT PRIMARY KEY,
  user_id INTEGER NOT NULL REFERENCES users (id),
  created_unix INTEGER NOT NULL,
  last_seen_unix INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX web_sessions_idle ON web_sessions (last_seen_unix);
)sql";

// Version 10: indexes for the approval queues' pages (ListItems, newest
// first) and counts (CountQueues), so that on a company of 100,000 items
// every queue, with or without a type, reads its first page in id order
// instead of reading and sorting the company's items (then 50-75 ms, now
// well under 1 ms):
// - every item, or the archived ones: approval_items_newest (with a type:
//   approval_items_newest_by_type);
// - Failed to Export and Synced (one state each): approval_items_by_company
//   (company_id, archived, state, and the rowid after them); with a type,
//   approval_items_newest_by_type, whose state is read from the index;
// - Ready to Export and Ready to Update (states 2, 5, 6: SENT,
//   QUEUED_FOR_EXPORT, EXPORT_DELIVERED; few items wait, and none of them is
//   archived): the partial indexes approval_items_ready and
//   approval_items_ready_by_type, which hold only the waiting items. Their
//   archived column is constant; it is there because SQLite's planner
//   (no ANALYZE statistics) weighs indexes by the equality terms they
//   match, and without it would walk approval_items_newest instead.
// approval_items_newest_by_type also covers CountQueues (company_id, type,
// archived, state: no table row is read).
constexpr std::string_view kV10ListIndexes = R"sql(
CREATE INDEX approval_items_newest ON approval_items (company_id, archived, id);
CREATE INDEX approval_items_newest_by_type
  ON approval_items (company_id, type, archived, id, state);
CREATE INDEX approval_items_ready ON approval_items (company_id, archived, id)
  WHERE archived = 0 AND state IN (2, 5, 6);
CREATE INDEX approval_items_ready_by_type ON approval_items (company_id, archived, type, id)
  WHERE archived = 0 AND state IN (2, 5, 6);
)sql";

// Version 11: notification_preferences.daily_digest may be NULL: the user
// never chose, and gets the default (on for approvers:
// store_internal::DailyDigestOf); only an explicit choice is stored, so an
// opt-out stays. SQLite cannot drop a NOT NULL, so the table is rebuilt.
// A stored 0 becomes NULL: under the old default (off) it was either that
// default, written along with another preference, or a choice that changed
// nothing, and the two cannot be told apart; a stored 1 is an opt-in and
// stays.
constexpr std::string_view kV11DailyDigestDefault = R"sql(
CREATE TABLE notification_preferences_v11 (
  user_id INTEGER PRIMARY KEY REFERENCES users (id),
  on_send INTEGER NOT NULL CHECK (on_send IN (0, 1)),
  on_reject INTEGER NOT NULL CHECK (on_reject IN (0, 1)),
  daily_digest INTEGER CHECK (daily_digest IN (0, 1))
);
INSERT INTO notification_preferences_v11 (user_id, on_send, on_reject, daily_digest)
  SELECT user_id, on_send, on_reject, NULLIF(daily_digest, 0) FROM notification_preferences;
DROP TABLE notification_preferences;
ALTER TABLE notification_preferences_v11 RENAME TO notification_preferences;
)sql";

// Append new migrations here, one entry each.
constexpr std::string_view kMigrations[] = {
    kV1DirectoryAndRecords,
    kV2AgentControl,
    kV3ApprovalQueues,
    kV4IntegerRecordKeys,
    kV5DeliveredVersion,
    kV6AdminAudit,
    kV7PassEpoch,
    kV8ControlHolds,
    kV9WebSessions,
    kV10ListIndexes,
    kV11DailyDigestDefault,
};

}  // namespace

std::span<const std::string_view> ServerMigrations() { return kMigrations; }

}  // namespace erpsync::server
