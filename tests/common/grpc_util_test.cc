#include "common/grpc/grpc_util.h"

#include <grpc/support/log.h>
#include <grpcpp/generic/async_generic_service.h>
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <string>
#include <thread>

#include "common/log.h"
#include "tests/support/status_matchers.h"
#include "tests/support/temp_dir.h"
#include "tests/support/test_certificates.h"

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

TEST(GrpcUtilTest, TlsFilesThatDoNotHoldWhatTheyShouldAreConfigurationErrors) {
  testing::TempDir dir;
  testing::TestCertificates certificates(dir.path());
  certificates.MakeCa("ca", "Operator CA");
  certificates.MakeIssued("server", "ca", "erpsync.test", "IP:127.0.0.1");
  certificates.MakeIssued("agent", "ca", "agent-1", "");
  testing::WriteTextFile(dir.File("junk.pem"), "not a certificate\n");
  const auto is_tls = [](const Status& status) { return status.origin() == ErrorOrigin::kTls; };

  ChannelOptions client;
  client.tls_ca_file = dir.File("junk.pem");
  const auto junk_ca = MakeChannel("127.0.0.1:1", client);
  EXPECT_THAT(junk_ca, StatusIs(StatusCode::kInvalidArgument,
                                HasSubstr("TLS CA file " + dir.File("junk.pem") +
                                          " holds no PEM certificate")));
  EXPECT_TRUE(is_tls(junk_ca.status()));
  client.tls_ca_file = certificates.Pem("ca");
  client.tls_cert_file = certificates.Pem("agent");
  EXPECT_THAT(MakeChannel("127.0.0.1:1", client),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("needs both its certificate and")));
  client.tls_key_file = certificates.Key("server");
  const auto mismatched = MakeChannel("127.0.0.1:1", client);
  EXPECT_THAT(mismatched, StatusIs(StatusCode::kInvalidArgument,
                                   HasSubstr(certificates.Key("server") +
                                             " is not the key of certificate " +
                                             certificates.Pem("agent"))));
  EXPECT_TRUE(is_tls(mismatched.status()));
  client.tls_key_file = dir.File("missing.key");
  EXPECT_THAT(MakeChannel("127.0.0.1:1", client),
              StatusIs(StatusCode::kNotFound, HasSubstr("TLS client private key")));
  client.tls_key_file = certificates.Key("agent");
  EXPECT_OK(MakeChannel("127.0.0.1:1", client));
  client.tls_ca_file.clear();
  EXPECT_THAT(MakeChannel("127.0.0.1:1", client),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("a TLS client certificate needs TLS")));

  const std::string cert = certificates.Pem("server");
  const std::string key = certificates.Key("server");
  EXPECT_OK(MakeServerCredentials(cert, key, certificates.Pem("ca")));
  const auto junk_client_ca = MakeServerCredentials(cert, key, dir.File("junk.pem"));
  EXPECT_THAT(junk_client_ca, StatusIs(StatusCode::kInvalidArgument,
                                       HasSubstr("TLS client CA file " + dir.File("junk.pem") +
                                                 " holds no PEM certificate")));
  EXPECT_TRUE(is_tls(junk_client_ca.status()));
  EXPECT_THAT(MakeServerCredentials(cert, key, dir.File("missing.pem")),
              StatusIs(StatusCode::kNotFound, HasSubstr("TLS client CA file")));
  EXPECT_THAT(MakeServerCredentials("", "", certificates.Pem("ca")),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("needs TLS")));
}

// A gRPC server with a generic service that answers nothing, on a free
// loopback port (enough for a channel to connect).
std::unique_ptr<grpc::Server> StartBareServer(int* port) {
  // One per server, kept for the test process (a server refers to it).
  auto* service = new grpc::CallbackGenericService();
  grpc::ServerBuilder builder;
  builder.RegisterCallbackGenericService(service);
  builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(), port);
  return builder.BuildAndStart();
}

// Whether the channel stops being connected within 10 s.
bool LeavesReady(grpc::Channel& channel) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (channel.GetState(false) == GRPC_CHANNEL_READY) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return true;
}

bool Connects(grpc::Channel& channel) {
  return channel.WaitForConnected(std::chrono::system_clock::now() + std::chrono::seconds(10));
}

TEST(GrpcUtilTest, AChannelToAListConnectsToTheFirstServerThatListensAndFailsOver) {
  int first_port = 0;
  int second_port = 0;
  std::unique_ptr<grpc::Server> first = StartBareServer(&first_port);
  std::unique_ptr<grpc::Server> second = StartBareServer(&second_port);
  ASSERT_NE(first_port, 0);
  ASSERT_NE(second_port, 0);
  // Nothing listens on the first address of the list.
  int dead_port = 0;
  StartBareServer(&dead_port)->Shutdown();
  ChannelOptions options;
  ASSERT_OK_AND_ASSIGN(
      const std::shared_ptr<grpc::Channel> channel,
      MakeChannel("127.0.0.1:" + std::to_string(dead_port) + ", 127.0.0.1:" +
                      std::to_string(first_port) + ",localhost:" + std::to_string(second_port),
                  options));
  // pick_first: the dead address refuses, the first live one is taken.
  EXPECT_TRUE(Connects(*channel));
  // The server it is connected to goes away: the channel notices, and the
  // next connect finds the other one.
  first->Shutdown(std::chrono::system_clock::now());
  first->Wait();
  EXPECT_TRUE(LeavesReady(*channel));
  EXPECT_TRUE(Connects(*channel));
  // And with none left, it connects nowhere.
  second->Shutdown(std::chrono::system_clock::now());
  second->Wait();
  EXPECT_TRUE(LeavesReady(*channel));
  EXPECT_FALSE(channel->WaitForConnected(std::chrono::system_clock::now() +
                                         std::chrono::seconds(2)));
  EXPECT_THAT(MakeChannel("127.0.0.1:1,nohost", options),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("'nohost' is not host:port")));
  EXPECT_THAT(MakeChannel("no-such-host.invalid:1,no-such-host.invalid:2", options),
              StatusIs(StatusCode::kUnavailable, HasSubstr("no address resolves")));
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
