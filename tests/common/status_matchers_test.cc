#include "tests/support/status_matchers.h"

#include <gmock/gmock.h>
#include <gtest/gtest-spi.h>
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "common/status.h"

namespace erpsync {
namespace {

using ::testing::AllOf;
using ::testing::DescribeMatcher;
using ::testing::Eq;
using ::testing::ExplainMatchResult;
using ::testing::HasSubstr;
using ::testing::Matches;
using ::testing::Not;
using ::testing::PrintToString;
using ::testing::StartsWith;
using ::testing::StringMatchResultListener;

// A value type gtest has no printer for.
struct Opaque {
  int secret = 7;
};

// The explanation a matcher gives for `value`.
template <typename M, typename T>
std::string Explain(const M& matcher, const T& value) {
  StringMatchResultListener listener;
  ExplainMatchResult(matcher, value, &listener);
  return listener.str();
}

Result<int> Fortytwo() { return 42; }
Result<int> Missing() { return NotFoundError("no row 7"); }

TEST(StatusMatchersTest, IsOkMatchesOkStatusesAndResultsWithAValue) {
  EXPECT_TRUE(Matches(IsOk())(Status()));
  EXPECT_TRUE(Matches(IsOk())(Fortytwo()));
  EXPECT_TRUE(Matches(IsOk())(Result<std::unique_ptr<int>>(std::make_unique<int>(1))));
  EXPECT_FALSE(Matches(IsOk())(InternalError("disk on fire")));
  EXPECT_FALSE(Matches(IsOk())(Missing()));
  EXPECT_THAT(Status(), IsOk());
  EXPECT_THAT(Missing(), Not(IsOk()));
}

TEST(StatusMatchersTest, IsOkExplainsWithTheStatus) {
  EXPECT_EQ(Explain(IsOk(), InternalError("disk on fire")),
            "whose status is INTERNAL: disk on fire");
  EXPECT_EQ(Explain(IsOk(), Missing()), "whose status is NOT_FOUND: no row 7");
  EXPECT_EQ(Explain(IsOk(), Fortytwo()), "whose status is OK");
  EXPECT_EQ(DescribeMatcher<Status>(IsOk()), "is OK");
  EXPECT_EQ(DescribeMatcher<Status>(IsOk(), /*negation=*/true), "isn't OK");
}

TEST(StatusMatchersTest, StatusIsWithACodeChecksTheCodeOnly) {
  EXPECT_TRUE(Matches(StatusIs(StatusCode::kNotFound))(Missing()));
  EXPECT_TRUE(Matches(StatusIs(StatusCode::kNotFound))(NotFoundError("anything")));
  EXPECT_FALSE(Matches(StatusIs(StatusCode::kNotFound))(InvalidArgumentError("no row 7")));
  EXPECT_FALSE(Matches(StatusIs(StatusCode::kNotFound))(Fortytwo()));
  EXPECT_TRUE(Matches(StatusIs(StatusCode::kOk))(Fortytwo()));
  EXPECT_TRUE(Matches(StatusIs(StatusCode::kOk))(Status()));
  EXPECT_THAT(Missing(), StatusIs(StatusCode::kNotFound));
}

TEST(StatusMatchersTest, StatusIsWithAMessageMatcherChecksBoth) {
  const auto substring = StatusIs(StatusCode::kNotFound, HasSubstr("row 7"));
  EXPECT_TRUE(Matches(substring)(Missing()));
  EXPECT_FALSE(Matches(substring)(NotFoundError("no row 8")));
  EXPECT_FALSE(Matches(substring)(InvalidArgumentError("no row 7")));
  EXPECT_FALSE(Matches(substring)(Fortytwo()));

  const auto whole = StatusIs(StatusCode::kNotFound, Eq("no row 7"));
  EXPECT_TRUE(Matches(whole)(Missing()));
  EXPECT_FALSE(Matches(whole)(NotFoundError("no row 7 here")));

  EXPECT_THAT(NotFoundError("loading job.textproto:3: no table JOB"),
              StatusIs(StatusCode::kNotFound,
                       AllOf(StartsWith("loading job.textproto:3"), HasSubstr("no table JOB"))));
}

TEST(StatusMatchersTest, StatusIsDescribesAndExplains) {
  const auto matcher = StatusIs(StatusCode::kNotFound, HasSubstr("row 7"));
  EXPECT_EQ(DescribeMatcher<Status>(matcher),
            "has status code NOT_FOUND and a message that has substring \"row 7\"");
  EXPECT_EQ(DescribeMatcher<Status>(matcher, /*negation=*/true),
            "doesn't have status code NOT_FOUND, or has a message that has no substring "
            "\"row 7\"");
  EXPECT_EQ(DescribeMatcher<Result<int>>(StatusIs(StatusCode::kInternal)),
            "has status code INTERNAL");
  EXPECT_EQ(Explain(matcher, InvalidArgumentError("no row 7")),
            "whose status is INVALID_ARGUMENT: no row 7");
  EXPECT_EQ(Explain(matcher, NotFoundError("no row 8")), "whose status is NOT_FOUND: no row 8");
  EXPECT_EQ(Explain(matcher, Fortytwo()), "whose status is OK");
}

TEST(StatusMatchersTest, PrintToPrintsCodeAndMessage) {
  EXPECT_EQ(PrintToString(NotFoundError("no row 7")), "NOT_FOUND: no row 7");
  EXPECT_EQ(PrintToString(Status()), "OK");
  EXPECT_EQ(PrintToString(Missing()), "NOT_FOUND: no row 7");
}

TEST(StatusMatchersTest, PrintToPrintsAResultsValueWhenGtestCanPrintIt) {
  EXPECT_EQ(PrintToString(Fortytwo()), "OK: 42");
  EXPECT_EQ(PrintToString(Result<std::string>("abc")), "OK: \"abc\"");
  EXPECT_EQ(PrintToString(Result<std::vector<int>>(std::vector<int>{1, 2})), "OK: { 1, 2 }");
  EXPECT_EQ(PrintToString(Result<Opaque>(Opaque())), "OK (holding a value gtest cannot print)");
  EXPECT_EQ(PrintToString(Result<Opaque>(InternalError("boom"))), "INTERNAL: boom");
}

TEST(StatusMatchersTest, AssertOkAndAssignMovesTheValueOut) {
  ASSERT_OK_AND_ASSIGN(const int value, Fortytwo());
  EXPECT_EQ(value, 42);
  std::unique_ptr<int> pointer;
  ASSERT_OK_AND_ASSIGN(pointer, Result<std::unique_ptr<int>>(std::make_unique<int>(5)));
  EXPECT_EQ(*pointer, 5);
  ASSERT_OK(Fortytwo());
  EXPECT_OK(Status()) << "with context";
}

// The failure messages, as a test reader sees them.
TEST(StatusMatchersTest, FailuresPrintTheStatus) {
  EXPECT_NONFATAL_FAILURE(EXPECT_OK(Missing()),
                          "Value of: Missing()\nExpected: is OK\n"
                          "  Actual: NOT_FOUND: no row 7, whose status is NOT_FOUND: no row 7");
  EXPECT_FATAL_FAILURE(ASSERT_OK(InternalError("disk on fire")) << "while writing",
                       "whose status is INTERNAL: disk on fire\nwhile writing");
  // gtest names the value's type after it when the name is short.
  EXPECT_NONFATAL_FAILURE(
      EXPECT_THAT(Missing(), StatusIs(StatusCode::kNotFound, HasSubstr("8"))),
      "Expected: has status code NOT_FOUND and a message that has substring \"8\"\n"
      "  Actual: NOT_FOUND: no row 7 (of type erpsync::Result<int>), whose status is NOT_FOUND: "
      "no row 7");
  EXPECT_NONFATAL_FAILURE(EXPECT_THAT(Fortytwo(), StatusIs(StatusCode::kInvalidArgument)),
                          "Actual: OK: 42 (of type erpsync::Result<int>), whose status is OK");
}

void AssignMissing() {
  ASSERT_OK_AND_ASSIGN(const int value, Missing());
  ADD_FAILURE() << "not reached: " << value;
}

TEST(StatusMatchersTest, AssertOkAndAssignFailsWithTheExpressionAndStatus) {
  EXPECT_FATAL_FAILURE(AssignMissing(),
                       "Value of: Missing()\nExpected: is OK\n  Actual: NOT_FOUND: no row 7");
}

}  // namespace
}  // namespace erpsync
