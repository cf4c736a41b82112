// The conventions integrators expect of a gRPC server, with the real
// binary: the standard health service (SERVING per service, NOT_SERVING
// once shutting down) and server reflection, which lets grpcurl and
// grpc_cli call the server without its .proto files. The clients here are
// generated from Debian's grpc-proto, as any integrator's would be.
#include <gmock/gmock.h>
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>
#include <signal.h>

#include <google/protobuf/descriptor.pb.h>

#include <chrono>
#include <memory>
#include <set>
#include <string>

#include "grpc/health/v1/health.grpc.pb.h"
#include "grpc/reflection/v1alpha/reflection.grpc.pb.h"
#include "tests/integration/binaries_fixture.h"

namespace erpsync::testing {
namespace {

using ::testing::IsSupersetOf;
namespace health = grpc::health::v1;
namespace reflection = grpc::reflection::v1alpha;

class ServerConventionsFixture : public BinariesFixture {
 protected:
  void SetUp() override {
    SetUpCompany(10);
    channel_ = grpc::CreateChannel("127.0.0.1:" + std::to_string(port_),
                                   grpc::InsecureChannelCredentials());
  }

  // Health.Check of `service` ("" for the server as a whole).
  grpc::Status Check(const std::string& service, health::HealthCheckResponse* response) {
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
    health::HealthCheckRequest request;
    request.set_service(service);
    return health::Health::NewStub(channel_)->Check(&context, request, response);
  }

  std::shared_ptr<grpc::Channel> channel_;
};

using ServerHealthTest = ServerConventionsFixture;
using ServerReflectionTest = ServerConventionsFixture;

TEST_P(ServerHealthTest, EveryServiceIsServingAndAnUnknownOneIsNotFound) {
  for (const std::string service :
       {"", "erpsync.v1.AgentSync", "erpsync.v1.RecordsService", "erpsync.v1.AgentControl",
        "erpsync.v1.AgentsService", "erpsync.v1.ErpIntegrations"}) {
    health::HealthCheckResponse response;
    const grpc::Status status = Check(service, &response);
    ASSERT_TRUE(status.ok()) << service << ": " << status.error_message();
    EXPECT_EQ(response.status(), health::HealthCheckResponse::SERVING) << service;
  }
  health::HealthCheckResponse response;
  EXPECT_EQ(Check("erpsync.v1.Nope", &response).error_code(), grpc::StatusCode::NOT_FOUND);
}

TEST_P(ServerHealthTest, AWatcherSeesNotServingAsSoonAsTheServerShutsDown) {
  grpc::ClientContext context;
  health::HealthCheckRequest request;
  auto watch = health::Health::NewStub(channel_)->Watch(&context, request);
  health::HealthCheckResponse response;
  ASSERT_TRUE(watch->Read(&response));
  EXPECT_EQ(response.status(), health::HealthCheckResponse::SERVING);
  server_->Signal(SIGTERM);
  ASSERT_TRUE(watch->Read(&response));
  EXPECT_EQ(response.status(), health::HealthCheckResponse::NOT_SERVING);
  context.TryCancel();
  EXPECT_EQ(server_->Wait(std::chrono::seconds(30)), 0);
}

TEST_P(ServerReflectionTest, ListsTheServicesAndDescribesThemWithoutTheProtos) {
  grpc::ClientContext context;
  auto stream = reflection::ServerReflection::NewStub(channel_)->ServerReflectionInfo(&context);
  reflection::ServerReflectionRequest list;
  list.set_list_services("");
  ASSERT_TRUE(stream->Write(list));
  reflection::ServerReflectionResponse listed;
  ASSERT_TRUE(stream->Read(&listed));
  std::set<std::string> services;
  for (const auto& service : listed.list_services_response().service()) {
    services.insert(service.name());
  }
  EXPECT_THAT(services, IsSupersetOf({"erpsync.v1.AgentSync", "erpsync.v1.RecordsService",
                                      "erpsync.v1.AgentControl", "erpsync.v1.AgentsService",
                                      "erpsync.v1.ErpIntegrations", "grpc.health.v1.Health"}));

  // The file that defines a service, as a descriptor a client can build
  // requests from.
  reflection::ServerReflectionRequest symbol;
  symbol.set_file_containing_symbol("erpsync.v1.AgentSync");
  ASSERT_TRUE(stream->Write(symbol));
  reflection::ServerReflectionResponse described;
  ASSERT_TRUE(stream->Read(&described));
  ASSERT_GT(described.file_descriptor_response().file_descriptor_proto_size(), 0)
      << described.DebugString();
  google::protobuf::FileDescriptorProto file;
  ASSERT_TRUE(file.ParseFromString(described.file_descriptor_response().file_descriptor_proto(0)));
  EXPECT_EQ(file.name(), "erpsync/v1/sync.proto");
  ASSERT_GT(file.service_size(), 0);
  EXPECT_EQ(file.service(0).name(), "AgentSync");
  stream->WritesDone();
  EXPECT_TRUE(stream->Finish().ok());
}

INSTANTIATE_BACKEND_TEST_SUITE_P(ServerHealthTest);
INSTANTIATE_BACKEND_TEST_SUITE_P(ServerReflectionTest);

}  // namespace
}  // namespace erpsync::testing
