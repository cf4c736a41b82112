#include "common/civil_time.h"

#include <gtest/gtest.h>

namespace erpsync {
namespace {

TEST(CivilTimeTest, DaysRoundTripAcrossLeapYears) {
  EXPECT_EQ(*ParseDate("1970-01-01"), 0);
  EXPECT_EQ(*ParseDate("2000-03-01"), 11017);
  // Years 0000..9999.
  for (int64_t day = -719528; day < 2932896; day += 997) {
    EXPECT_EQ(*ParseDate(FormatDate(day)), day);
  }
}

TEST(CivilTimeTest, AcceptsMidnightTimestampsAsDates) {
  EXPECT_EQ(*ParseDate("2024-02-29 00:00:00"), *ParseDate("2024-02-29"));
  EXPECT_EQ(*ParseDate("2024-02-29T00:00:00.000"), *ParseDate("2024-02-29"));
}

TEST(CivilTimeTest, RejectsInvalidDates) {
  for (const char* text : {"2023-02-29", "2024-13-01", "2024-1-01", "20240101", "2024-01-01 10:00:00",
                           ""}) {
    const auto result = ParseDate(text);
    ASSERT_FALSE(result.ok()) << text;
    EXPECT_EQ(result.status().code(), StatusCode::kInvalidArgument) << text;
  }
}

TEST(CivilTimeTest, ParsesAndFormatsTimestamps) {
  const int64_t seconds = *ParseTimestamp("2024-05-01 13:45:12");
  EXPECT_EQ(FormatTimestamp(seconds), "2024-05-01 13:45:12");
  EXPECT_EQ(*ParseTimestamp("2024-05-01T13:45:12.250"), seconds);
  EXPECT_EQ(*ParseTimestamp("2024-05-01"), *ParseDate("2024-05-01") * kSecondsPerDay);
  EXPECT_EQ(FormatTimestamp(-1), "1969-12-31 23:59:59");
  EXPECT_FALSE(ParseTimestamp("2024-05-01 25:00:00").ok());
}

TEST(CivilTimeTest, ParsesTimeOfDay) {
  EXPECT_EQ(*ParseTimeOfDay("13:45:12"), 13 * 3600 + 45 * 60 + 12);
  EXPECT_EQ(*ParseTimeOfDay("00:00:00.5"), 0);
  EXPECT_EQ(ParseTimeOfDay("1:00:00").status().code(), StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace erpsync
