#include "agent/sync/agent_status_report.h"

#include "agent/state/effective_settings.h"
#include "agent/sync/sync_report.h"

namespace erpsync::agent {

Status FillEntityStatus(const Catalog& catalog, StateStore& state, v1::AgentStatus* status) {
  status->clear_entities();
  for (const MappingDefinition& mapping : catalog.mappings()) {
    ERPSYNC_ASSIGN_OR_RETURN(const MappingSettings settings, EffectiveSettings(state, mapping));
    if (!settings.enabled) continue;
    ERPSYNC_ASSIGN_OR_RETURN(const EntityProgress progress, state.GetProgress(mapping.id()));
    v1::EntityStatus* entity = status->add_entities();
    entity->set_entity_id(mapping.id());
    entity->set_display_name(mapping.spec.display_name());
    entity->set_last_sync_unix(progress.last_sync_unix);
    entity->set_last_deep_sync_unix(progress.last_deep_sync_unix);
    entity->set_records(progress.server_count);
    entity->set_needs_deep_sync(settings.needs_deep_sync);
    entity->set_last_error(progress.last_error);
    ERPSYNC_ASSIGN_OR_RETURN(const uint64_t quarantined, state.CountQuarantined(mapping.id()));
    entity->set_quarantined_rows(quarantined);
    if (quarantined == 0) continue;
    ERPSYNC_ASSIGN_OR_RETURN(const std::vector<QuarantineEntry> rows,
                             state.ListQuarantined(mapping.id(), kMaxListedQuarantinedRows));
    for (const QuarantineEntry& row : rows) {
      v1::QuarantinedRow* listed = entity->add_quarantined();
      listed->set_key(row.key);
      listed->set_where(row.where);
      listed->set_column(row.column);
      listed->set_value(row.value);
      listed->set_reason(row.reason);
      listed->set_first_unix(row.first_unix);
      listed->set_last_unix(row.last_unix);
    }
  }
  return Status::Ok();
}

}  // namespace erpsync::agent
