#include "server/store/copy/copied_tables.h"

namespace erpsync::server::store_copy {
namespace {

constexpr CopiedTable kTables[] = {
    {.table = "companies",
     .source_tables = "companies",
     .columns = "id, name, created_unix",
     .select = "SELECT id, name, created_unix FROM companies ORDER BY id",
     .count = "SELECT count(*) FROM companies",
     .identity = true},
    {.table = "connections",
     .source_tables = "connections",
     .columns = "company_id, id, name, created_unix",
     .select = "SELECT company_id, id, name, created_unix FROM connections ORDER BY id",
     .count = "SELECT count(*) FROM connections",
     .identity = true},
    {.table = "agents",
     .source_tables = "agents",
     .columns = "company_id, id, connection_id, description, created_unix, last_seen_unix, "
                "hostname, version, revoked",
     .select = "SELECT company_id, id, connection_id, description, created_unix, last_seen_unix, "
               "hostname, version, revoked FROM agents ORDER BY id",
     .count = "SELECT count(*) FROM agents",
     .identity = true},
    {.table = "users",
     .source_tables = "users",
     .columns = "company_id, id, name, email, level, can_push, created_unix, revoked",
     .select = "SELECT company_id, id, name, email, level, can_push, created_unix, revoked "
               "FROM users ORDER BY id",
     .count = "SELECT count(*) FROM users",
     .identity = true},
    {.table = "erpsync_tokens",
     .source_tables = "agents, users",
     .columns = "token_hash, company_id, kind, principal_id",
     .select = "SELECT token_hash, company_id, 'agent', id FROM agents "
               "UNION ALL SELECT token_hash, company_id, 'user', id FROM users",
     .count = "SELECT (SELECT count(*) FROM agents) + (SELECT count(*) FROM users)"},
    {.table = "entities",
     .source_tables = "entities",
     .columns = "company_id, id, connection_id, entity_id, schema_id, generation, open_pass, "
                "pass_base_live, live_count, deleted_count, checksum, last_synced_unix",
     .select = "SELECT c.company_id, e.id, e.connection_id, e.entity_id, e.schema_id, "
               "e.generation, e.open_pass, e.pass_base_live, e.live_count, e.deleted_count, "
               "e.checksum, e.last_synced_unix "
               "FROM entities e JOIN connections c ON c.id = e.connection_id ORDER BY e.id",
     .count = "SELECT count(*) FROM entities",
     .identity = true},
    {.table = "schemas",
     .source_tables = "schemas",
     .columns = "company_id, id, entity_row_id, fingerprint, definition, created_unix",
     .select = "SELECT c.company_id, s.id, s.entity_row_id, s.fingerprint, "
               "CAST(s.definition AS BLOB), s.created_unix FROM schemas s "
               "JOIN entities e ON e.id = s.entity_row_id "
               "JOIN connections c ON c.id = e.connection_id ORDER BY s.id",
     .count = "SELECT count(*) FROM schemas",
     .identity = true},
    // Key order: both schemas order keys alike (record_key.h), so the rows
    // reach PostgreSQL's primary key in its order.
    {.table = "records",
     .source_tables = "records",
     .columns = "company_id, entity_row_id, key, schema_id, hash, generation, deleted, "
                "updated_unix, payload",
     .select = "SELECT entity_row_id, key, schema_id, hash, generation, deleted, updated_unix, "
               "payload FROM records ORDER BY entity_row_id, key",
     .count = "SELECT count(*) FROM records",
     .records = true},
    // In the order they were queued (rowid): PostgreSQL numbers them (seq)
    // as they come.
    {.table = "sync_requests",
     .source_tables = "sync_requests",
     .columns = "company_id, id, connection_id, entity_ids, deep, since, requested_by, state, "
                "message, created_unix, updated_unix",
     .select = "SELECT c.company_id, r.id, r.connection_id, r.entity_ids, r.deep, r.since, "
               "r.requested_by, r.state, r.message, r.created_unix, r.updated_unix "
               "FROM sync_requests r JOIN connections c ON c.id = r.connection_id "
               "ORDER BY r.rowid",
     .count = "SELECT count(*) FROM sync_requests"},
    {.table = "agent_status",
     .source_tables = "agent_status",
     .columns = "company_id, agent_id, status, reported_unix",
     .select = "SELECT a.company_id, s.agent_id, CAST(s.status AS BLOB), s.reported_unix "
               "FROM agent_status s JOIN agents a ON a.id = s.agent_id ORDER BY s.agent_id",
     .count = "SELECT count(*) FROM agent_status"},
    // By id: an item's project item is older than the item.
    {.table = "approval_items",
     .source_tables = "approval_items",
     .columns = "company_id, id, connection_id, type, project_id, state, origin, archived, "
                "budget_locked, resent, version, delivered_version, title, content, erp_ref, "
                "erp_key, erp_keys, erp_message, decision_comment, accepted_by, created_by, "
                "created_unix, updated_unix, queued_unix",
     .select = "SELECT company_id, id, connection_id, type, project_id, state, origin, archived, "
               "budget_locked, resent, version, delivered_version, title, CAST(content AS BLOB), "
               "erp_ref, erp_key, erp_keys, erp_message, decision_comment, accepted_by, "
               "created_by, created_unix, updated_unix, queued_unix "
               "FROM approval_items ORDER BY id",
     .count = "SELECT count(*) FROM approval_items",
     .identity = true},
    {.table = "approval_history",
     .source_tables = "approval_history",
     .columns = "company_id, item_id, id, version, action, from_state, to_state, actor_user_id, "
                "actor, comment, created_unix",
     .select = "SELECT i.company_id, h.item_id, h.id, h.version, h.action, h.from_state, "
               "h.to_state, h.actor_user_id, h.actor, h.comment, h.created_unix "
               "FROM approval_history h JOIN approval_items i ON i.id = h.item_id ORDER BY h.id",
     .count = "SELECT count(*) FROM approval_history",
     .identity = true},
    {.table = "approval_settings",
     .source_tables = "approval_settings",
     .columns = "company_id, type, direct_export",
     .select = "SELECT company_id, type, direct_export FROM approval_settings "
               "ORDER BY company_id, type",
     .count = "SELECT count(*) FROM approval_settings"},
    {.table = "notification_preferences",
     .source_tables = "notification_preferences",
     .columns = "company_id, user_id, on_send, on_reject, daily_digest",
     .select = "SELECT u.company_id, p.user_id, p.on_send, p.on_reject, p.daily_digest "
               "FROM notification_preferences p JOIN users u ON u.id = p.user_id "
               "ORDER BY p.user_id",
     .count = "SELECT count(*) FROM notification_preferences"},
    {.table = "outbox",
     .source_tables = "outbox",
     .columns = "company_id, id, item_id, kind, recipient, subject, body, created_unix, attempts, "
                "next_attempt_unix, delivered_unix, last_error",
     .select = "SELECT COALESCE(company_id, 0), id, COALESCE(item_id, 0), kind, recipient, "
               "subject, body, created_unix, attempts, next_attempt_unix, delivered_unix, "
               "last_error FROM outbox ORDER BY id",
     .count = "SELECT count(*) FROM outbox",
     .identity = true},
    {.table = "mail_state",
     .source_tables = "mail_state",
     .columns = "name, value",
     .select = "SELECT name, value FROM mail_state ORDER BY name",
     .count = "SELECT count(*) FROM mail_state"},
    {.table = "admin_audit",
     .source_tables = "admin_audit",
     .columns = "company_id, id, at_unix, actor, action, target_kind, target_id, old_value, "
                "new_value",
     .select = "SELECT company_id, id, at_unix, actor, action, target_kind, target_id, "
               "old_value, new_value FROM admin_audit ORDER BY id",
     .count = "SELECT count(*) FROM admin_audit",
     .identity = true},
};

constexpr std::string_view kUncopiedTables[] = {"web_sessions"};

}  // namespace

std::span<const CopiedTable> CopiedTables() { return kTables; }

std::span<const std::string_view> UncopiedTables() { return kUncopiedTables; }

}  // namespace erpsync::server::store_copy
