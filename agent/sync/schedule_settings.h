// When `erpsync-agent run` syncs, from the [schedule] section of
// agent.conf, and the local-time arithmetic of that schedule. Plain data and
// pure functions; thread-safe.
#ifndef ERPSYNC_AGENT_SYNC_SCHEDULE_SETTINGS_H_
#define ERPSYNC_AGENT_SYNC_SCHEDULE_SETTINGS_H_

#include <chrono>
#include <cstdint>
#include <string>

#include "common/status.h"

namespace erpsync::agent {

struct ScheduleSettings {
  // Incremental syncs: the first at start, then this long after each.
  std::chrono::seconds incremental_every{300};
  // Deep syncs: daily at this local time "HH:MM"; empty for never (the
  // config file says "never").
  std::string deep_at = "02:00";
  // Timeframe of the scheduled deep syncs.
  std::string deep_since = "beginning";
};

// "HH:MM" -> minutes after midnight. INVALID_ARGUMENT otherwise.
Result<int> ParseTimeOfDayMinutes(const std::string& text);
// The first moment after `now` (Unix seconds) whose local time is
// `minutes` after midnight.
int64_t NextLocalTime(int64_t now, int minutes);

}  // namespace erpsync::agent

#endif  // ERPSYNC_AGENT_SYNC_SCHEDULE_SETTINGS_H_
