#include "agent/sync/schedule_settings.h"

#include <ctime>

namespace erpsync::agent {

Result<int> ParseTimeOfDayMinutes(const std::string& text) {
  const auto bad = [&] { return InvalidArgumentError("'" + text + "' is not a time of day HH:MM"); };
  if (text.size() != 5 || text[2] != ':') return bad();
  for (size_t i : {0, 1, 3, 4}) {
    if (text[i] < '0' || text[i] > '9') return bad();
  }
  const int hours = (text[0] - '0') * 10 + (text[1] - '0');
  const int minutes = (text[3] - '0') * 10 + (text[4] - '0');
  if (hours > 23 || minutes > 59) return bad();
  return hours * 60 + minutes;
}

int64_t NextLocalTime(int64_t now, int minutes) {
  // Try today's and the next two days' local midnights (DST-proof enough:
  // each candidate is recomputed through localtime/mktime).
  const std::time_t seconds = static_cast<std::time_t>(now);
  std::tm local{};
  localtime_r(&seconds, &local);
  for (int day = 0; day < 3; ++day) {
    std::tm candidate = local;
    candidate.tm_mday += day;
    candidate.tm_hour = minutes / 60;
    candidate.tm_min = minutes % 60;
    candidate.tm_sec = 0;
    candidate.tm_isdst = -1;
    const int64_t at = static_cast<int64_t>(std::mktime(&candidate));
    if (at > now) return at;
  }
  return now + 86400;
}

}  // namespace erpsync::agent
