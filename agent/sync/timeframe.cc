#include "agent/sync/timeframe.h"

#include <algorithm>

#include "common/civil_time.h"

namespace erpsync::agent {
namespace {

int DaysInMonth(int year, int month) {
  const CivilDate first{year, month, 1};
  const CivilDate next = month == 12 ? CivilDate{year + 1, 1, 1} : CivilDate{year, month + 1, 1};
  return static_cast<int>(DaysFromCivil(next) - DaysFromCivil(first));
}

}  // namespace

Result<Timeframe> ParseTimeframe(std::string_view name, std::string_view today) {
  ERPSYNC_ASSIGN_OR_RETURN(const int64_t today_days, ParseDate(today));
  Timeframe timeframe;
  timeframe.name = std::string(name);
  const CivilDate now = CivilFromDays(today_days);
  if (name == "beginning") return timeframe;
  if (name == "today") {
    timeframe.start_date = FormatDate(today_days);
  } else if (name == "week") {
    timeframe.start_date = FormatDate(today_days - 7);
  } else if (name == "month") {
    const int year = now.month == 1 ? now.year - 1 : now.year;
    const int month = now.month == 1 ? 12 : now.month - 1;
    timeframe.start_date =
        FormatDate(DaysFromCivil({year, month, std::min(now.day, DaysInMonth(year, month))}));
  } else if (name == "year") {
    timeframe.start_date = FormatDate(
        DaysFromCivil({now.year - 1, now.month, std::min(now.day, DaysInMonth(now.year - 1, now.month))}));
  } else {
    const Result<int64_t> date = ParseDate(name);
    if (!date.ok() || name.size() != 10) {
      return InvalidArgumentError("unknown timeframe '" + std::string(name) +
                                  "': use beginning, today, week, month, year or a date YYYY-MM-DD");
    }
    if (*date > today_days) {
      return InvalidArgumentError("timeframe date " + std::string(name) + " is in the future");
    }
    timeframe.start_date = std::string(name);
  }
  return timeframe;
}

}  // namespace erpsync::agent
