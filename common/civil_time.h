// Calendar dates and wall-clock timestamps without time zone, as the ERP
// stores them: a date is days since 1970-01-01, a timestamp seconds since
// 1970-01-01 00:00:00. Proleptic Gregorian calendar. Pure functions.
#ifndef ERPSYNC_COMMON_CIVIL_TIME_H_
#define ERPSYNC_COMMON_CIVIL_TIME_H_

#include <cstdint>
#include <string>
#include <string_view>

#include "common/status.h"

namespace erpsync {

struct CivilDate {
  int year = 1970;
  int month = 1;  // 1..12
  int day = 1;    // 1..31
};

// Days since 1970-01-01 of a valid date (no validation).
int64_t DaysFromCivil(CivilDate date);
CivilDate CivilFromDays(int64_t days);

// Parses YYYY-MM-DD. A trailing time of exactly midnight (" 00:00:00",
// "T00:00:00", optionally with ".000" fractions) is accepted, since ODBC
// returns dates as timestamps. INVALID_ARGUMENT otherwise.
Result<int64_t> ParseDate(std::string_view text);
// YYYY-MM-DD.
std::string FormatDate(int64_t days);
void AppendDate(int64_t days, std::string* out);

// Parses "YYYY-MM-DD HH:MM:SS" (or with 'T'; fractions of a second dropped;
// a bare date means midnight). INVALID_ARGUMENT otherwise.
Result<int64_t> ParseTimestamp(std::string_view text);
// Parses "HH:MM:SS" (fractions dropped) into seconds since midnight.
Result<int64_t> ParseTimeOfDay(std::string_view text);
// "YYYY-MM-DD HH:MM:SS".
std::string FormatTimestamp(int64_t seconds);
void AppendTimestamp(int64_t seconds, std::string* out);

inline constexpr int64_t kSecondsPerDay = 86400;

}  // namespace erpsync

#endif  // ERPSYNC_COMMON_CIVIL_TIME_H_
