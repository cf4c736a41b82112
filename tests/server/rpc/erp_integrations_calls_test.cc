// The table of ErpIntegrations methods that the gRPC service and the web
// tool's JSON API share: every rpc of the proto is in it, in order, with
// its own request and response types, so neither transport can miss one.
#include "server/api/erp_integrations_calls.h"

#include <gtest/gtest.h>

#include "erpsync/v1/erp_integrations.grpc.pb.h"

namespace erpsync::server {
namespace {

TEST(ErpIntegrationsCallsTest, TheTableHasEveryMethodOfTheServiceWithItsTypes) {
  const google::protobuf::ServiceDescriptor* service =
      google::protobuf::DescriptorPool::generated_pool()->FindServiceByName(
          "erpsync.v1.ErpIntegrations");
  ASSERT_NE(service, nullptr);
  const ErpIntegrationsCalls calls(nullptr);
  const std::vector<ApiMethod>& methods = calls.methods();
  ASSERT_EQ(methods.size(), static_cast<size_t>(service->method_count()));
  for (int i = 0; i < service->method_count(); ++i) {
    const google::protobuf::MethodDescriptor* method = service->method(i);
    SCOPED_TRACE(method->name());
    EXPECT_EQ(methods[i].name, method->name());
    EXPECT_EQ(methods[i].request_prototype->GetDescriptor(), method->input_type());
    EXPECT_EQ(methods[i].response_prototype->GetDescriptor(), method->output_type());
    EXPECT_TRUE(methods[i].call);
    EXPECT_EQ(FindApiMethod(methods, method->name()), &methods[i]);
  }
  EXPECT_EQ(FindApiMethod(methods, "DropTables"), nullptr);
}

TEST(ErpIntegrationsCallsTest, OnlyOnesOwnNotificationPreferencesNeedNoLevel) {
  const ErpIntegrationsCalls calls(nullptr);
  for (const ApiMethod& method : calls.methods()) {
    const bool preferences =
        method.name == "GetNotificationPreferences" || method.name == "SetNotificationPreferences";
    EXPECT_EQ(method.minimum_level, preferences ? ToolLevel::kNone : ToolLevel::kReadOnly)
        << method.name;
  }
}

}  // namespace
}  // namespace erpsync::server
