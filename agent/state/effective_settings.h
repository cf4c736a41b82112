// The settings that apply to a mapping: what the administrator stored, or
// the mapping file's defaults for a mapping never touched (ticked when
// enabled_by_default, and then needing its first deep sync). Stateless.
#ifndef ERPSYNC_AGENT_STATE_EFFECTIVE_SETTINGS_H_
#define ERPSYNC_AGENT_STATE_EFFECTIVE_SETTINGS_H_

#include "agent/mapping/mapping_definition.h"
#include "agent/state/state_store.h"
#include "common/status.h"

namespace erpsync::agent {

Result<MappingSettings> EffectiveSettings(StateStore& state, const MappingDefinition& mapping);

}  // namespace erpsync::agent

#endif  // ERPSYNC_AGENT_STATE_EFFECTIVE_SETTINGS_H_
