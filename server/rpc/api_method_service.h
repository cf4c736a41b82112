// The gRPC side of an ApiMethod table (server/api/api_method.h): what every
// user-facing gRPC service does for each call.
#ifndef ERPSYNC_SERVER_RPC_API_METHOD_SERVICE_H_
#define ERPSYNC_SERVER_RPC_API_METHOD_SERVICE_H_

#include <grpcpp/grpcpp.h>

#include <string_view>
#include <vector>

#include "server/api/api_method.h"
#include "server/auth/authenticator.h"

namespace erpsync::server {

// Authenticates the call's bearer token as a user of at least the least
// level of `name`'s entry in `methods`, then calls it. No exception escapes
// (INTERNAL naming the method).
grpc::Status ServeApiMethod(Authenticator* auth, const std::vector<ApiMethod>& methods,
                            std::string_view name, const grpc::ServerContext& context,
                            const google::protobuf::Message& request,
                            google::protobuf::Message* response);

}  // namespace erpsync::server

#endif  // ERPSYNC_SERVER_RPC_API_METHOD_SERVICE_H_
