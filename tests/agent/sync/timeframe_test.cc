#include "agent/sync/timeframe.h"

#include <gtest/gtest.h>

#include "tests/support/status_matchers.h"

namespace erpsync::agent {
namespace {

using ::testing::Eq;

TEST(TimeframeTest, ResolvesNamesAgainstToday) {
  EXPECT_TRUE(ParseTimeframe("beginning", "2026-03-31")->from_beginning());
  EXPECT_EQ(ParseTimeframe("today", "2026-03-31")->start_date, "2026-03-31");
  EXPECT_EQ(ParseTimeframe("week", "2026-03-03")->start_date, "2026-02-24");
  EXPECT_EQ(ParseTimeframe("month", "2026-03-31")->start_date, "2026-02-28");
  EXPECT_EQ(ParseTimeframe("month", "2026-01-15")->start_date, "2025-12-15");
  EXPECT_EQ(ParseTimeframe("year", "2024-02-29")->start_date, "2023-02-28");
  EXPECT_EQ(ParseTimeframe("2025-06-01", "2026-03-31")->start_date, "2025-06-01");
}

TEST(TimeframeTest, RejectsUnknownAndFutureValues) {
  const auto unknown = ParseTimeframe("fortnight", "2026-03-31");
  EXPECT_THAT(
      unknown,
      StatusIs(
          StatusCode::kInvalidArgument,
          Eq("unknown timeframe 'fortnight': use beginning, today, week, month, year or a date "
             "YYYY-MM-DD")));
  EXPECT_EQ(ParseTimeframe("2026-04-01", "2026-03-31").status().message(),
            "timeframe date 2026-04-01 is in the future");
}

}  // namespace
}  // namespace erpsync::agent
