// JsonApi: the web tool's JSON API (doc/web.md): POST
// /api/v1/<Service>/<Method> with the request message in protobuf's JSON
// mapping, answered with the response message in it (field names in
// lowerCamelCase, enums by name, 64-bit integers as strings, default values
// printed) or an error body (http_errors.h). The calls are the gRPC
// services' own (ErpIntegrationsCalls), for a user the web server has
// already resumed from a session; the method's least level is checked
// here, the rest by the domain. No exception escapes. Thread-safe.
#ifndef ERPSYNC_SERVER_WEB_JSON_API_H_
#define ERPSYNC_SERVER_WEB_JSON_API_H_

#include <google/protobuf/message.h>

#include <string>
#include <string_view>

#include "common/status.h"
#include "server/api/erp_integrations_calls.h"
#include "server/store/store_types.h"

namespace erpsync::server {

struct JsonReply {
  int http_status = 200;
  std::string body;
};

class JsonApi {
 public:
  explicit JsonApi(ApprovalQueues* queues) : erp_integrations_(queues) {}

  // Calls `method` of `service` ("ErpIntegrations") for `user` with the
  // JSON request `body` (empty: the empty message). 404 NOT_FOUND for a
  // method the API does not have; 400 INVALID_ARGUMENT for a body that is
  // not the method's request message (protobuf's parser's words).
  JsonReply Call(const Principal& user, std::string_view service, std::string_view method,
                 std::string_view body);

 private:
  Status Invoke(const Principal& user, std::string_view service, std::string_view method,
                std::string_view body, std::string* response_json);

  ErpIntegrationsCalls erp_integrations_;
};

// `json` (protobuf's JSON mapping) into `out`; INVALID_ARGUMENT with the
// parser's message (unknown fields are refused).
Status ParseJsonMessage(std::string_view json, google::protobuf::Message* out);
// `message` in protobuf's JSON mapping, default values printed.
std::string PrintJsonMessage(const google::protobuf::Message& message);

}  // namespace erpsync::server

#endif  // ERPSYNC_SERVER_WEB_JSON_API_H_
