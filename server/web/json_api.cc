#include "server/web/json_api.h"

#include <google/protobuf/util/json_util.h>

#include <exception>
#include <memory>

#include "common/log.h"
#include "server/auth/authenticator.h"
#include "server/web/http_errors.h"

namespace erpsync::server {

Status ParseJsonMessage(std::string_view json, google::protobuf::Message* out) {
  google::protobuf::util::JsonParseOptions options;
  options.ignore_unknown_fields = false;
  const std::string text = json.empty() ? std::string("{}") : std::string(json);
  const auto parsed = google::protobuf::util::JsonStringToMessage(text, out, options);
  if (!parsed.ok()) {
    return InvalidArgumentError("request body: not a " + out->GetDescriptor()->name() +
                                " in JSON: " + std::string(parsed.message()));
  }
  return Status::Ok();
}

std::string PrintJsonMessage(const google::protobuf::Message& message) {
  google::protobuf::util::JsonPrintOptions options;
  options.always_print_primitive_fields = true;
  std::string json;
  // Printing a valid message cannot fail; an empty object is the fallback.
  if (!google::protobuf::util::MessageToJsonString(message, &json, options).ok()) return "{}";
  return json;
}

JsonReply JsonApi::Call(const Principal& user, std::string_view service, std::string_view method,
                        std::string_view body) {
  std::string response_json;
  Status status;
  try {
    status = Invoke(user, service, method, body, &response_json);
  } catch (const std::exception& e) {
    status = InternalError(std::string(service) + "/" + std::string(method) + ": " + e.what());
  }
  if (!status.ok()) {
    if (status.code() == StatusCode::kInternal) {
      ERPSYNC_LOG(kError) << "web API " << service << "/" << method << ": " << status.message();
    }
    return JsonReply{HttpStatusOf(status.code()), ErrorBody(status)};
  }
  return JsonReply{200, std::move(response_json)};
}

Status JsonApi::Invoke(const Principal& user, std::string_view service, std::string_view method,
                       std::string_view body, std::string* response_json) {
  const auto methods = services_.find(service);
  const ApiMethod* entry =
      methods == services_.end() ? nullptr : FindApiMethod(*methods->second, method);
  if (entry == nullptr) {
    return NotFoundError("the API has no method " + std::string(service) + "/" +
                         std::string(method));
  }
  ERPSYNC_RETURN_IF_ERROR(CheckToolLevel(user, entry->minimum_level));
  const std::unique_ptr<google::protobuf::Message> request(entry->request_prototype->New());
  ERPSYNC_RETURN_IF_ERROR(ParseJsonMessage(body, request.get()));
  const std::unique_ptr<google::protobuf::Message> response(entry->response_prototype->New());
  ERPSYNC_RETURN_IF_ERROR(entry->call(user, *request, response.get()));
  *response_json = PrintJsonMessage(*response);
  return Status::Ok();
}

}  // namespace erpsync::server
