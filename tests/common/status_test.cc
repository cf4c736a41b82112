#include "common/status.h"

#include <gtest/gtest.h>

#include "common/exit_code.h"
#include "tests/support/status_matchers.h"

namespace erpsync {
namespace {

using ::testing::Eq;

Result<int> Half(int n) {
  if (n % 2 != 0) return InvalidArgumentError(std::to_string(n) + " is odd");
  return n / 2;
}

Result<int> Quarter(int n) {
  ERPSYNC_ASSIGN_OR_RETURN(const int half, Half(n));
  ERPSYNC_ASSIGN_OR_RETURN(const int quarter, Half(half));
  return quarter;
}

TEST(StatusTest, OkByDefault) {
  EXPECT_OK(Status());
  EXPECT_EQ(Status().ToString(), "OK");
}

TEST(StatusTest, WithContextPrependsOutermostFirst) {
  const Status status = NotFoundError("no table JOB").WithContext("loading job.textproto:3");
  EXPECT_THAT(status, StatusIs(StatusCode::kNotFound, Eq("loading job.textproto:3: no table JOB")));
  EXPECT_EQ(status.ToString(), "NOT_FOUND: loading job.textproto:3: no table JOB");
  EXPECT_OK(Status::Ok().WithContext("ignored"));
}

TEST(StatusTest, AssignOrReturnPropagatesTheFirstError) {
  EXPECT_EQ(*Quarter(8), 2);
  const Result<int> odd = Quarter(6);
  ASSERT_THAT(odd, StatusIs(StatusCode::kInvalidArgument, Eq("3 is odd")));
}

TEST(StatusTest, RetryableCodesAreTheTransientOnes) {
  EXPECT_TRUE(IsRetryable(StatusCode::kUnavailable));
  EXPECT_TRUE(IsRetryable(StatusCode::kDeadlineExceeded));
  EXPECT_TRUE(IsRetryable(StatusCode::kAborted));
  EXPECT_TRUE(IsRetryable(StatusCode::kResourceExhausted));
  EXPECT_FALSE(IsRetryable(StatusCode::kInvalidArgument));
  EXPECT_FALSE(IsRetryable(StatusCode::kUnauthenticated));
  EXPECT_FALSE(IsRetryable(StatusCode::kInternal));
}

TEST(StatusTest, CodeNamesMatchGrpc) {
  EXPECT_EQ(StatusCodeName(StatusCode::kFailedPrecondition), "FAILED_PRECONDITION");
  EXPECT_EQ(StatusCodeName(StatusCode::kUnauthenticated), "UNAUTHENTICATED");
}

TEST(ExitCodeTest, MapsStatusToSysexits) {
  EXPECT_EQ(ExitCodeFor(Status::Ok()), 0);
  EXPECT_EQ(ExitCodeFor(UnavailableError("down")), kExitUnavailable);
  EXPECT_EQ(ExitCodeFor(UnauthenticatedError("bad token")), kExitNoPermission);
  EXPECT_EQ(ExitCodeFor(InternalError("bug")), kExitSoftware);
  EXPECT_EQ(ExitCodeFor(FailedPreconditionError("state")), kExitFailure);
}

TEST(ExitCodeTest, ATlsSetUpErrorIsAConfigurationError) {
  EXPECT_EQ(ExitCodeFor(FailedPreconditionError("TLS: wrong CA").WithOrigin(ErrorOrigin::kTls)),
            kExitUsage);
  EXPECT_EQ(ExitCodeFor(UnavailableError("TLS: closed").WithOrigin(ErrorOrigin::kTls)), kExitUsage);
}

}  // namespace
}  // namespace erpsync
