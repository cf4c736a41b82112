// ApiMethod: one method of a user-facing service (ErpIntegrations,
// AgentsService) as the transports see it: its name in the proto's
// service, the least tool level a caller must have before the call (the
// domain checks the rest: privileges, Admin-only settings, whose
// preferences), and the call itself over type-erased messages of the
// method's own request and response types (the prototypes make them). The
// gRPC services and the web tool's JSON API both dispatch through these,
// so neither can check less than the other.
#ifndef ERPSYNC_SERVER_API_API_METHOD_H_
#define ERPSYNC_SERVER_API_API_METHOD_H_

#include <google/protobuf/message.h>

#include <functional>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "server/store/store_types.h"

namespace erpsync::server {

struct ApiMethod {
  std::string_view name;
  ToolLevel minimum_level = ToolLevel::kReadOnly;
  const google::protobuf::Message* request_prototype = nullptr;
  const google::protobuf::Message* response_prototype = nullptr;
  std::function<Status(const Principal& user, const google::protobuf::Message& request,
                       google::protobuf::Message* response)>
      call;
};

// The entry of `member` of `calls` (which must outlive it) as method
// `name`.
template <typename Calls, typename Request, typename Response>
ApiMethod BindApiMethod(std::string_view name, ToolLevel minimum_level, Calls* calls,
                        Status (Calls::*member)(const Principal&, const Request&, Response*)) {
  ApiMethod method;
  method.name = name;
  method.minimum_level = minimum_level;
  method.request_prototype = &Request::default_instance();
  method.response_prototype = &Response::default_instance();
  method.call = [calls, member](const Principal& user, const google::protobuf::Message& request,
                                google::protobuf::Message* response) {
    return (calls->*member)(user, static_cast<const Request&>(request),
                            static_cast<Response*>(response));
  };
  return method;
}

// The method named `name` of `methods`; nullptr when there is none.
const ApiMethod* FindApiMethod(const std::vector<ApiMethod>& methods, std::string_view name);

}  // namespace erpsync::server

#endif  // ERPSYNC_SERVER_API_API_METHOD_H_
