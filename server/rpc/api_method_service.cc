#include "server/rpc/api_method_service.h"

#include <string>

#include "common/grpc/grpc_util.h"

namespace erpsync::server {

grpc::Status ServeApiMethod(Authenticator* auth, const std::vector<ApiMethod>& methods,
                            std::string_view name, const grpc::ServerContext& context,
                            const google::protobuf::Message& request,
                            google::protobuf::Message* response) {
  const std::string method(name);
  return GuardedHandler(method.c_str(), [&]() -> Status {
    const ApiMethod* entry = FindApiMethod(methods, name);
    if (entry == nullptr) return InternalError("no API method " + method);
    ERPSYNC_ASSIGN_OR_RETURN(const Principal user,
                             auth->AuthenticateUser(BearerTokenOf(context), entry->minimum_level));
    return entry->call(user, request, response);
  });
}

}  // namespace erpsync::server
