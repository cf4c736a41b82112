// Timeframe: how far back a deep sync reads, as the Sync tab offers it:
// "The beginning of time", Today, Past Week, Past Month, Past Year, or a
// date. Pure value type.
#ifndef ERPSYNC_AGENT_SYNC_TIMEFRAME_H_
#define ERPSYNC_AGENT_SYNC_TIMEFRAME_H_

#include <string>
#include <string_view>

#include "common/status.h"

namespace erpsync::agent {

struct Timeframe {
  // As given: "beginning", "today", "week", "month", "year" or YYYY-MM-DD.
  std::string name = "beginning";
  // First date included (YYYY-MM-DD); empty for the beginning of time.
  std::string start_date;

  bool from_beginning() const { return start_date.empty(); }
};

// Resolves `name` against `today` (YYYY-MM-DD, local): today -> today;
// week -> 7 days before; month -> the same day of the previous month (or its
// last day); year -> the same day a year before; a date -> itself (not in
// the future). INVALID_ARGUMENT listing the accepted values otherwise.
Result<Timeframe> ParseTimeframe(std::string_view name, std::string_view today);

}  // namespace erpsync::agent

#endif  // ERPSYNC_AGENT_SYNC_TIMEFRAME_H_
