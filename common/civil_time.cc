#include "common/civil_time.h"

#include <cstdio>

namespace erpsync {
namespace {

bool IsLeap(int year) { return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0; }

int DaysInMonth(int year, int month) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return month == 2 && IsLeap(year) ? 29 : kDays[month - 1];
}

// The number the two digits at text[i] write, or 100 when they are not two
// digits.
unsigned TwoDigitsAt(std::string_view text, size_t i) {
  const unsigned tens = static_cast<unsigned char>(text[i]) - unsigned{'0'};
  const unsigned ones = static_cast<unsigned char>(text[i + 1]) - unsigned{'0'};
  return tens <= 9 && ones <= 9 ? tens * 10 + ones : 100;
}

// Reads a valid YYYY-MM-DD from the first ten characters of `text`. Two
// digits at a time, without a loop per number: every date of every row of
// a deep sync comes here.
bool ParseDatePrefix(std::string_view text, CivilDate* date) {
  if (text.size() < 10 || text[4] != '-' || text[7] != '-') return false;
  const unsigned centuries = TwoDigitsAt(text, 0);
  const unsigned years = TwoDigitsAt(text, 2);
  const unsigned month = TwoDigitsAt(text, 5);
  const unsigned day = TwoDigitsAt(text, 8);
  if (centuries > 99 || years > 99 || month < 1 || month > 12 || day < 1) return false;
  date->year = static_cast<int>(centuries * 100 + years);
  date->month = static_cast<int>(month);
  date->day = static_cast<int>(day);
  return date->day <= DaysInMonth(date->year, date->month);
}

// Parses HH:MM:SS with an optional fraction that is dropped.
bool ParseClock(std::string_view text, int64_t* seconds) {
  if (text.size() < 8 || text[2] != ':' || text[5] != ':') return false;
  const unsigned h = TwoDigitsAt(text, 0);
  const unsigned m = TwoDigitsAt(text, 3);
  const unsigned s = TwoDigitsAt(text, 6);
  if (h > 23 || m > 59 || s > 59) return false;
  std::string_view rest = text.substr(8);
  if (!rest.empty()) {
    if (rest.front() != '.') return false;
    rest.remove_prefix(1);
    if (rest.empty()) return false;
    for (char c : rest) {
      if (c < '0' || c > '9') return false;
    }
  }
  *seconds = static_cast<int64_t>(h * 3600 + m * 60 + s);
  return true;
}

std::string_view TrimBlanks(std::string_view text) {
  while (!text.empty() && text.front() == ' ') text.remove_prefix(1);
  while (!text.empty() && text.back() == ' ') text.remove_suffix(1);
  return text;
}

// ParseDate for any text: blanks around the date, a midnight time after it,
// and the errors. Out of line, so that the fast path stays small.
[[gnu::noinline]] Result<int64_t> ParseDateGenerally(std::string_view text) {
  const std::string_view trimmed = TrimBlanks(text);
  CivilDate date;
  if (!ParseDatePrefix(trimmed, &date)) {
    return InvalidArgumentError("'" + std::string(trimmed) + "' is not a date (YYYY-MM-DD)");
  }
  if (trimmed.size() > 10) {
    int64_t seconds = -1;
    const char sep = trimmed[10];
    if ((sep != ' ' && sep != 'T') || !ParseClock(trimmed.substr(11), &seconds) || seconds != 0) {
      return InvalidArgumentError("'" + std::string(trimmed) +
                                  "' is not a date (YYYY-MM-DD); it has a time of day");
    }
  }
  return DaysFromCivil(date);
}

}  // namespace

int64_t DaysFromCivil(CivilDate date) {
  // Howard Hinnant's days_from_civil.
  const int y = date.year - (date.month <= 2 ? 1 : 0);
  const int era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned mp = static_cast<unsigned>(date.month + (date.month > 2 ? -3 : 9));
  const unsigned doy = (153 * mp + 2) / 5 + static_cast<unsigned>(date.day) - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return static_cast<int64_t>(era) * 146097 + static_cast<int64_t>(doe) - 719468;
}

CivilDate CivilFromDays(int64_t days) {
  days += 719468;
  const int64_t era = (days >= 0 ? days : days - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(days - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int64_t y = static_cast<int64_t>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned d = doy - (153 * mp + 2) / 5 + 1;
  const unsigned m = mp < 10 ? mp + 3 : mp - 9;
  return CivilDate{static_cast<int>(y + (m <= 2 ? 1 : 0)), static_cast<int>(m),
                   static_cast<int>(d)};
}

Result<int64_t> ParseDate(std::string_view text) {
  // Fast path: the usual shape, YYYY-MM-DD alone, has no blanks to trim and
  // no time of day to check. Anything else, including an invalid date of
  // that shape, takes the general path, which explains the error.
  if (CivilDate date; text.size() == 10 && ParseDatePrefix(text, &date)) {
    return DaysFromCivil(date);
  }
  return ParseDateGenerally(text);
}

void AppendDate(int64_t days, std::string* out) {
  const CivilDate date = CivilFromDays(days);
  char buffer[24];
  const int n =
      std::snprintf(buffer, sizeof(buffer), "%04d-%02d-%02d", date.year, date.month, date.day);
  out->append(buffer, static_cast<size_t>(n));
}

std::string FormatDate(int64_t days) {
  std::string out;
  AppendDate(days, &out);
  return out;
}

Result<int64_t> ParseTimestamp(std::string_view text) {
  const std::string_view trimmed = TrimBlanks(text);
  CivilDate date;
  int64_t seconds = 0;
  const bool ok = ParseDatePrefix(trimmed, &date) &&
                  (trimmed.size() == 10 || ((trimmed[10] == ' ' || trimmed[10] == 'T') &&
                                            ParseClock(trimmed.substr(11), &seconds)));
  if (!ok) {
    return InvalidArgumentError("'" + std::string(trimmed) +
                                "' is not a timestamp (YYYY-MM-DD HH:MM:SS)");
  }
  return DaysFromCivil(date) * kSecondsPerDay + seconds;
}

Result<int64_t> ParseTimeOfDay(std::string_view text) {
  const std::string_view trimmed = TrimBlanks(text);
  int64_t seconds = 0;
  if (!ParseClock(trimmed, &seconds)) {
    return InvalidArgumentError("'" + std::string(trimmed) + "' is not a time of day (HH:MM:SS)");
  }
  return seconds;
}

void AppendTimestamp(int64_t seconds, std::string* out) {
  int64_t days = seconds / kSecondsPerDay;
  int64_t rest = seconds % kSecondsPerDay;
  if (rest < 0) {
    rest += kSecondsPerDay;
    --days;
  }
  AppendDate(days, out);
  char buffer[16];
  const int n =
      std::snprintf(buffer, sizeof(buffer), " %02d:%02d:%02d", static_cast<int>(rest / 3600),
                    static_cast<int>(rest / 60 % 60), static_cast<int>(rest % 60));
  out->append(buffer, static_cast<size_t>(n));
}

std::string FormatTimestamp(int64_t seconds) {
  std::string out;
  AppendTimestamp(seconds, &out);
  return out;
}

}  // namespace erpsync
