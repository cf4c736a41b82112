// The tables of methods that the gRPC services and the web tool's JSON API
// share (ErpIntegrationsCalls, AgentsCalls): every rpc of each proto
// service is in its table, in order, with its own request and response
// types, so neither transport can miss one or check less than the other.
#include <gtest/gtest.h>

#include "erpsync/v1/agents.grpc.pb.h"
#include "erpsync/v1/erp_integrations.grpc.pb.h"
#include "server/api/agents_calls.h"
#include "server/api/erp_integrations_calls.h"

namespace erpsync::server {
namespace {

void ExpectTableOfService(const std::vector<ApiMethod>& methods, const std::string& service_name) {
  const google::protobuf::ServiceDescriptor* service =
      google::protobuf::DescriptorPool::generated_pool()->FindServiceByName(service_name);
  ASSERT_NE(service, nullptr) << service_name;
  ASSERT_EQ(methods.size(), static_cast<size_t>(service->method_count())) << service_name;
  for (int i = 0; i < service->method_count(); ++i) {
    const google::protobuf::MethodDescriptor* method = service->method(i);
    SCOPED_TRACE(method->full_name());
    EXPECT_EQ(methods[i].name, method->name());
    EXPECT_EQ(methods[i].request_prototype->GetDescriptor(), method->input_type());
    EXPECT_EQ(methods[i].response_prototype->GetDescriptor(), method->output_type());
    EXPECT_TRUE(methods[i].call);
    EXPECT_EQ(FindApiMethod(methods, method->name()), &methods[i]);
  }
  EXPECT_EQ(FindApiMethod(methods, "DropTables"), nullptr);
}

TEST(ApiMethodsTest, ErpIntegrationsHasEveryMethodOfTheServiceWithItsTypes) {
  const ErpIntegrationsCalls calls(nullptr);
  ExpectTableOfService(calls.methods(), "erpsync.v1.ErpIntegrations");
}

TEST(ApiMethodsTest, AgentsServiceHasEveryMethodOfTheServiceWithItsTypes) {
  const AgentsCalls calls(nullptr, nullptr, nullptr);
  ExpectTableOfService(calls.methods(), "erpsync.v1.AgentsService");
}

TEST(ApiMethodsTest, OnlyOnesOwnPreferencesAndSyncRequestsNeedNoLevelBeforeTheCall) {
  const ErpIntegrationsCalls erp(nullptr);
  for (const ApiMethod& method : erp.methods()) {
    const bool preferences =
        method.name == "GetNotificationPreferences" || method.name == "SetNotificationPreferences";
    EXPECT_EQ(method.minimum_level, preferences ? ToolLevel::kNone : ToolLevel::kReadOnly)
        << method.name;
  }
  // RequestSync checks the approver privilege itself.
  const AgentsCalls agents(nullptr, nullptr, nullptr);
  for (const ApiMethod& method : agents.methods()) {
    EXPECT_EQ(method.minimum_level,
              method.name == "RequestSync" ? ToolLevel::kNone : ToolLevel::kReadOnly)
        << method.name;
  }
}

}  // namespace
}  // namespace erpsync::server
