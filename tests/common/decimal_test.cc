#include "common/decimal.h"

#include <gtest/gtest.h>

#include <limits>
#include <string>

#include "tests/support/status_matchers.h"

namespace erpsync {
namespace {

using ::testing::Eq;

TEST(DecimalTest, ParsesToScaledIntegers) {
  EXPECT_EQ(*ParseDecimal("1234.56", 2), 123456);
  EXPECT_EQ(*ParseDecimal("-0.5", 2), -50);
  EXPECT_EQ(*ParseDecimal("+7", 2), 700);
  EXPECT_EQ(*ParseDecimal(".25", 2), 25);
  EXPECT_EQ(*ParseDecimal("  12.3  ", 4), 123000);
  EXPECT_EQ(*ParseDecimal("42", 0), 42);
  EXPECT_EQ(*ParseDecimal("1.2300", 2), 123);  // Trailing zeros beyond scale are fine.
}

TEST(DecimalTest, RejectsSignificantDigitsBeyondScale) {
  const auto result = ParseDecimal("1.234", 2);
  ASSERT_THAT(result, StatusIs(StatusCode::kInvalidArgument,
                               Eq("'1.234' has more than 2 digits after the point")));
}

TEST(DecimalTest, RejectsNonNumbers) {
  for (const char* text : {"", "-", ".", "1.2.3", "12a", "1e5", "--1", "1,000.00"}) {
    const auto result = ParseDecimal(text, 2);
    ASSERT_THAT(result, StatusIs(StatusCode::kInvalidArgument)) << text;
  }
}

TEST(DecimalTest, DetectsOverflow) {
  EXPECT_EQ(*ParseDecimal("-9223372036854775808", 0), std::numeric_limits<int64_t>::min());
  EXPECT_THAT(ParseDecimal("9223372036854775808", 0), StatusIs(StatusCode::kOutOfRange));
  EXPECT_THAT(ParseDecimal("92233720368547758.08", 3), StatusIs(StatusCode::kOutOfRange));
}

TEST(DecimalTest, AgreesAcrossTheEighteenDigitFastPath) {
  // Up to 18 digits once padded to the scale take the short path; longer
  // ones the general loop; both give the same values and errors.
  EXPECT_EQ(*ParseDecimal("999999999999999999", 0), 999999999999999999);
  EXPECT_EQ(*ParseDecimal("-99999999999999999.9", 1), -999999999999999999);
  EXPECT_EQ(*ParseDecimal("999999999.5", 9), 999999999500000000);
  EXPECT_EQ(*ParseDecimal("1234567890.5", 9), 1234567890500000000);
  EXPECT_EQ(*ParseDecimal("9223372036854775807", 0), std::numeric_limits<int64_t>::max());
  EXPECT_EQ(*ParseDecimal("5.", 2), 500);
  EXPECT_THAT(ParseDecimal("10000000000.5", 9), StatusIs(StatusCode::kOutOfRange));
  EXPECT_EQ(ParseDecimal("1.2.3", 4).status().message(), "'1.2.3' is not a decimal number");
  EXPECT_EQ(ParseDecimal("1.23456", 4).status().message(),
            "'1.23456' has more than 4 digits after the point");
}

// The short path takes an optional '-' and digits with at most one point,
// as they are; blanks, '+' and anything it refuses go to the general loop.
// Both paths give the same values, and the errors are the general loop's.
TEST(DecimalTest, ShortAndGeneralPathsAgree) {
  for (const char* text : {"0", "-0", "1180.14", "-1180.14", "267", "267.", ".5", "-.5", "4.42",
                           "0.00", "-999999999999999.99", "1.2300"}) {
    const auto short_path = ParseDecimal(text, 2);
    ASSERT_OK(short_path) << text;
    EXPECT_EQ(*ParseDecimal(std::string(" ") + text + "\t", 2), *short_path) << text;
    if (text[0] != '-') {
      EXPECT_EQ(*ParseDecimal(std::string("+") + text, 2), *short_path) << text;
    }
  }
  EXPECT_EQ(*ParseDecimal("-1180.14", 2), -118014);
  EXPECT_EQ(*ParseDecimal("267.0000", 4), 2670000);
  EXPECT_EQ(*ParseDecimal("-.5", 2), -50);
  for (const char* text : {"", "-", ".", "-.", "1.2.3", "1..2", "-1-", "1-", "12a", "--1"}) {
    EXPECT_EQ(ParseDecimal(text, 2).status(),
              InvalidArgumentError("'" + std::string(text) + "' is not a decimal number"))
        << text;
  }
  EXPECT_EQ(ParseDecimal(" - 1 ", 2).status().message(), "'- 1' is not a decimal number");
  EXPECT_EQ(ParseDecimal("-1.234", 2).status().message(),
            "'-1.234' has more than 2 digits after the point");
  EXPECT_EQ(ParseDecimal("1", 10).status(), InvalidArgumentError("decimal scale 10 exceeds 9"));
}

TEST(DecimalTest, FormatsWithExactlyScaleDigits) {
  EXPECT_EQ(FormatDecimal(123456, 2), "1234.56");
  EXPECT_EQ(FormatDecimal(-50, 2), "-0.50");
  EXPECT_EQ(FormatDecimal(5, 3), "0.005");
  EXPECT_EQ(FormatDecimal(0, 2), "0.00");
  EXPECT_EQ(FormatDecimal(-7, 0), "-7");
  EXPECT_EQ(FormatDecimal(std::numeric_limits<int64_t>::min(), 2), "-92233720368547758.08");
}

TEST(DecimalTest, RoundTripsExactly) {
  // 0.1 + 0.2 is exactly 0.3 here, unlike binary floating point.
  const int64_t sum = *ParseDecimal("0.1", 2) + *ParseDecimal("0.2", 2);
  EXPECT_EQ(FormatDecimal(sum, 2), "0.30");
  for (const char* text : {"0.01", "-99999999.99", "123.45"}) {
    EXPECT_EQ(FormatDecimal(*ParseDecimal(text, 2), 2), text);
  }
}

}  // namespace
}  // namespace erpsync
