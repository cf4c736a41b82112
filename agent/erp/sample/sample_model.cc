#include "agent/erp/sample/sample_model.h"

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <utility>

#include "common/civil_time.h"

namespace erpsync::agent {

SampleCalendar::SampleCalendar(int64_t first_day, int64_t last_day)
    : first_day_(first_day), last_day_(last_day) {
  const int64_t begin = first_day_ - kMargin;
  const int64_t count = last_day_ + kMargin - begin + 1;
  text_.resize(static_cast<size_t>(count));
  month_end_offset_.resize(static_cast<size_t>(count));
  for (int64_t i = 0; i < count; ++i) {
    const CivilDate date = CivilFromDays(begin + i);
    char buffer[32];
    std::snprintf(buffer, sizeof(buffer), "%04d-%02d-%02d", date.year, date.month, date.day);
    std::memcpy(text_[static_cast<size_t>(i)].data(), buffer, 10);
    const CivilDate next_month =
        date.month == 12 ? CivilDate{date.year + 1, 1, 1} : CivilDate{date.year, date.month + 1, 1};
    month_end_offset_[static_cast<size_t>(i)] =
        static_cast<int32_t>(DaysFromCivil(next_month) - 1 - (begin + i));
  }
}

std::string_view SampleCalendar::Date(int64_t day) const {
  const int64_t index =
      std::clamp<int64_t>(day - (first_day_ - kMargin), 0, static_cast<int64_t>(text_.size()) - 1);
  return {text_[static_cast<size_t>(index)].data(), 10};
}

int64_t SampleCalendar::MonthEnd(int64_t day) const {
  const int64_t index =
      std::clamp<int64_t>(day - (first_day_ - kMargin), 0, static_cast<int64_t>(text_.size()) - 1);
  return first_day_ - kMargin + index + month_end_offset_[static_cast<size_t>(index)];
}

Result<SampleTableWriter> SampleTableWriter::Open(sqlite3* db, std::string_view table) {
  ERPSYNC_ASSIGN_OR_RETURN(SqliteStmt stmt, PrepareInsertRow(db, table));
  return SampleTableWriter(std::move(stmt), "writing " + std::string(table));
}

SampleStamp RandomStamp(SampleRandom& rng, const SampleCalendar& calendar, int64_t from_day,
                        int64_t to_day) {
  const int64_t low = std::clamp(from_day, calendar.first_day(), calendar.last_day());
  const int64_t high = std::clamp(to_day, low, calendar.last_day());
  SampleStamp stamp;
  stamp.date = calendar.Date(rng.Between(low, high));
  FormatClock(RandomWorkSeconds(rng), stamp.time.data());
  return stamp;
}

void FormatClock(int seconds, char* out) {
  const int hours = seconds / 3600;
  const int minutes = seconds / 60 % 60;
  const int secs = seconds % 60;
  out[0] = static_cast<char>('0' + hours / 10);
  out[1] = static_cast<char>('0' + hours % 10);
  out[2] = ':';
  out[3] = static_cast<char>('0' + minutes / 10);
  out[4] = static_cast<char>('0' + minutes % 10);
  out[5] = ':';
  out[6] = static_cast<char>('0' + secs / 10);
  out[7] = static_cast<char>('0' + secs % 10);
}

int RandomWorkSeconds(SampleRandom& rng) {
  return static_cast<int>(rng.Between(7 * 3600, 19 * 3600 - 1));
}

int64_t ExtendCents(int64_t units4, int64_t unit_cost4) {
  const int64_t product = units4 * unit_cost4;  // 8 decimals
  return product >= 0 ? (product + 500000) / 1000000 : -((-product + 500000) / 1000000);
}

int64_t PercentOf(int64_t cents, int64_t percent2) {
  const int64_t product = cents * percent2;  // 4 extra decimals
  return product >= 0 ? (product + 5000) / 10000 : -((-product + 5000) / 10000);
}

std::string Truncate(std::string text, size_t limit) {
  if (text.size() > limit) text.resize(limit);
  while (!text.empty() && text.back() == ' ') text.pop_back();
  return text;
}

std::string Code(std::string_view prefix, int width, int64_t number) {
  char digits[32];
  const int n =
      std::snprintf(digits, sizeof(digits), "%0*lld", width, static_cast<long long>(number));
  std::string out(prefix);
  out.append(digits, static_cast<size_t>(n));
  return out;
}

uint32_t SampleJob::PickCoding(SampleRandom& rng, SampleRollup rollup) const {
  const auto& candidates = codings_by_rollup[static_cast<size_t>(rollup)];
  if (!candidates.empty()) return candidates[rng.Index(candidates.size())];
  return static_cast<uint32_t>(rng.Index(codings.size()));
}

}  // namespace erpsync::agent
