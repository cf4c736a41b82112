#include "common/civil_time.h"

#include <gtest/gtest.h>

#include <string>

#include "tests/support/status_matchers.h"

namespace erpsync {
namespace {

using ::testing::Eq;
using ::testing::Not;

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
  for (const char* text :
       {"2023-02-29", "2024-13-01", "2024-1-01", "20240101", "2024-01-01 10:00:00", ""}) {
    const auto result = ParseDate(text);
    ASSERT_THAT(result, StatusIs(StatusCode::kInvalidArgument)) << text;
  }
}

// YYYY-MM-DD alone takes ParseDate's fast path; with blanks or a midnight
// time it takes the general path. Both give the same days, and a text of
// the fast path's shape that is not a valid date gets the general path's
// error.
TEST(CivilTimeTest, FastAndGeneralDatePathsAgree) {
  for (int64_t day = -719528; day < 2932896; day += 367) {
    const std::string date = FormatDate(day);
    ASSERT_EQ(*ParseDate(date), day) << date;
    EXPECT_EQ(*ParseDate(" " + date + " "), day) << date;
    EXPECT_EQ(*ParseDate(date + " 00:00:00"), day) << date;
    EXPECT_EQ(*ParseTimestamp(date), day * kSecondsPerDay) << date;
  }
  for (const char* text : {"2023-02-29", "2100-02-29", "2024-04-31", "2024-00-10", "2024-13-01",
                           "2024-01-00", "2024-01-32", "2024/01/01", "/024-01-01", ":024-01-01",
                           "2:24-01-01", "202/-01-01", "2024-0a-01", "2024-1/-01", "2024-01-/1",
                           "2024-01-3:", "2024-01-1x", "+024-01-01", "-024-01-01"}) {
    const auto result = ParseDate(text);
    ASSERT_THAT(result, StatusIs(StatusCode::kInvalidArgument,
                                 Eq("'" + std::string(text) + "' is not a date (YYYY-MM-DD)")))
        << text;
    const auto padded = ParseDate(std::string("  ") + text);
    ASSERT_THAT(padded, Not(IsOk())) << text;
    EXPECT_EQ(padded.status().message(), result.status().message()) << text;
  }
  EXPECT_EQ(*ParseDate("2024-02-29"), *ParseDate("2024-03-01") - 1);
  EXPECT_EQ(*ParseDate("2000-02-29"), *ParseDate("2000-03-01") - 1);
  EXPECT_EQ(ParseDate("2024-05-01 10:00:00").status().message(),
            "'2024-05-01 10:00:00' is not a date (YYYY-MM-DD); it has a time of day");
}

TEST(CivilTimeTest, ParsesAndFormatsTimestamps) {
  const int64_t seconds = *ParseTimestamp("2024-05-01 13:45:12");
  EXPECT_EQ(FormatTimestamp(seconds), "2024-05-01 13:45:12");
  EXPECT_EQ(*ParseTimestamp("2024-05-01T13:45:12.250"), seconds);
  EXPECT_EQ(*ParseTimestamp("2024-05-01"), *ParseDate("2024-05-01") * kSecondsPerDay);
  EXPECT_EQ(FormatTimestamp(-1), "1969-12-31 23:59:59");
  EXPECT_THAT(ParseTimestamp("2024-05-01 25:00:00"), Not(IsOk()));
}

TEST(CivilTimeTest, ParsesTimeOfDay) {
  EXPECT_EQ(*ParseTimeOfDay("13:45:12"), 13 * 3600 + 45 * 60 + 12);
  EXPECT_EQ(*ParseTimeOfDay("00:00:00.5"), 0);
  EXPECT_THAT(ParseTimeOfDay("1:00:00"), StatusIs(StatusCode::kInvalidArgument));
}

}  // namespace
}  // namespace erpsync
