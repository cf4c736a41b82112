#include "common/grpc/grpc_util.h"

#include <grpc/support/log.h>
#include <gtest/gtest.h>

#include "common/log.h"
#include "tests/support/status_matchers.h"
#include "tests/support/temp_dir.h"

namespace erpsync {
namespace {

using ::testing::HasSubstr;

TEST(GrpcUtilTest, StatusConvertsBothWaysByCode) {
  const Status original = FailedPreconditionError("pass 3 is closed");
  const grpc::Status wire = ToGrpcStatus(original);
  EXPECT_EQ(wire.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(wire.error_message(), "pass 3 is closed");
  EXPECT_EQ(FromGrpcStatus(wire), original);
  EXPECT_TRUE(ToGrpcStatus(Status::Ok()).ok());
  EXPECT_THAT(FromGrpcStatus(grpc::Status(grpc::StatusCode::UNAUTHENTICATED, "x")),
              StatusIs(StatusCode::kUnauthenticated));
}

TEST(GrpcUtilTest, ServerCredentialsNeedBothFiles) {
  EXPECT_OK(MakeServerCredentials("", ""));
  EXPECT_THAT(MakeServerCredentials("cert.pem", ""), StatusIs(StatusCode::kInvalidArgument));
  const auto missing = MakeServerCredentials("/nonexistent/cert.pem", "/nonexistent/key.pem");
  EXPECT_THAT(missing, StatusIs(StatusCode::kNotFound, HasSubstr("TLS certificate")));
}

TEST(GrpcUtilTest, ChannelWithUnreadableCaIsRefused) {
  ChannelOptions options;
  options.tls_ca_file = "/nonexistent/ca.pem";
  const auto channel = MakeChannel("127.0.0.1:1", options);
  EXPECT_THAT(channel, StatusIs(StatusCode::kNotFound, HasSubstr("/nonexistent/ca.pem")));
}

TEST(GrpcUtilTest, GrpcsOwnLogLinesGoThroughOurLogger) {
  const LogFormat saved = GetLogFormat();
  SetLogFormat(LogFormat::kJournal);
  RouteGrpcLogging();
  ::testing::internal::CaptureStderr();
  gpr_log(GPR_ERROR, "bind failed: %s", "address in use");
  const std::string logged = ::testing::internal::GetCapturedStderr();
  SetLogFormat(saved);
  EXPECT_THAT(logged, ::testing::StartsWith("<3>grpc: bind failed: address in use ("));
}

}  // namespace
}  // namespace erpsync
