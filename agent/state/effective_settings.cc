#include "agent/state/effective_settings.h"

namespace erpsync::agent {

Result<MappingSettings> EffectiveSettings(StateStore& state, const MappingDefinition& mapping) {
  ERPSYNC_ASSIGN_OR_RETURN(std::optional<MappingSettings> stored, state.GetSettings(mapping.id()));
  if (stored) return *std::move(stored);
  MappingSettings defaults;
  defaults.entity_id = mapping.id();
  defaults.enabled = mapping.spec.enabled_by_default();
  defaults.needs_deep_sync = defaults.enabled;
  return defaults;
}

}  // namespace erpsync::agent
