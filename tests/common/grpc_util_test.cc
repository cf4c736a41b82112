#include "common/grpc/grpc_util.h"

#include <gtest/gtest.h>

#include "tests/support/temp_dir.h"

namespace erpsync {
namespace {

TEST(GrpcUtilTest, StatusConvertsBothWaysByCode) {
  const Status original = FailedPreconditionError("pass 3 is closed");
  const grpc::Status wire = ToGrpcStatus(original);
  EXPECT_EQ(wire.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(wire.error_message(), "pass 3 is closed");
  EXPECT_EQ(FromGrpcStatus(wire), original);
  EXPECT_TRUE(ToGrpcStatus(Status::Ok()).ok());
  EXPECT_EQ(FromGrpcStatus(grpc::Status(grpc::StatusCode::UNAUTHENTICATED, "x")).code(),
            StatusCode::kUnauthenticated);
}

TEST(GrpcUtilTest, ServerCredentialsNeedBothFiles) {
  EXPECT_TRUE(MakeServerCredentials("", "").ok());
  EXPECT_EQ(MakeServerCredentials("cert.pem", "").status().code(), StatusCode::kInvalidArgument);
  const auto missing = MakeServerCredentials("/nonexistent/cert.pem", "/nonexistent/key.pem");
  EXPECT_EQ(missing.status().code(), StatusCode::kInvalidArgument);
}

TEST(GrpcUtilTest, ChannelWithUnreadableCaIsRefused) {
  ChannelOptions options;
  options.tls_ca_file = "/nonexistent/ca.pem";
  const auto channel = MakeChannel("127.0.0.1:1", options);
  EXPECT_EQ(channel.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(channel.status().message().find("/nonexistent/ca.pem"), std::string::npos);
}

}  // namespace
}  // namespace erpsync
