// JsonApi: the web tool's JSON API (doc/web.md): POST
// /api/v1/<Service>/<Method> with the request message in protobuf's JSON
// mapping, answered with the response message in it (field names in
// lowerCamelCase, enums by name, 64-bit integers as strings, default values
// printed) or an error body (http_errors.h). The methods are the gRPC
// services' own (ApiMethod tables, e.g. ErpIntegrationsCalls::methods()),
// called for a user the web server has resumed from a session; the
// method's least level is checked here, the rest by the domain. No
// exception escapes. Thread-safe.
#ifndef ERPSYNC_SERVER_WEB_JSON_API_H_
#define ERPSYNC_SERVER_WEB_JSON_API_H_

#include <google/protobuf/message.h>

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "server/api/api_method.h"
#include "server/store/store_types.h"

namespace erpsync::server {

struct JsonReply {
  int http_status = 200;
  std::string body;
};

class JsonApi {
 public:
  // The services served, by name ("ErpIntegrations"); the tables must
  // outlive the API.
  explicit JsonApi(std::map<std::string, const std::vector<ApiMethod>*, std::less<>> services)
      : services_(std::move(services)) {}

  // Calls `method` of `service` for `user` with the
  // JSON request `body` (empty: the empty message). 404 NOT_FOUND for a
  // method the API does not have; 400 INVALID_ARGUMENT for a body that is
  // not the method's request message (protobuf's parser's words).
  JsonReply Call(const Principal& user, std::string_view service, std::string_view method,
                 std::string_view body);

 private:
  Status Invoke(const Principal& user, std::string_view service, std::string_view method,
                std::string_view body, std::string* response_json);

  const std::map<std::string, const std::vector<ApiMethod>*, std::less<>> services_;
};

// `json` (protobuf's JSON mapping) into `out`; INVALID_ARGUMENT with the
// parser's message (unknown fields are refused).
Status ParseJsonMessage(std::string_view json, google::protobuf::Message* out);
// `message` in protobuf's JSON mapping, default values printed.
std::string PrintJsonMessage(const google::protobuf::Message& message);

}  // namespace erpsync::server

#endif  // ERPSYNC_SERVER_WEB_JSON_API_H_
