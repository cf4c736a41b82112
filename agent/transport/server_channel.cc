#include "agent/transport/server_channel.h"

#include "common/grpc/grpc_util.h"

namespace erpsync::agent {

Result<std::shared_ptr<grpc::Channel>> OpenServerChannel(const std::string& address,
                                                         const std::string& tls_ca_file) {
  ChannelOptions options;
  options.tls_ca_file = tls_ca_file;
  options.compress = false;
  RouteGrpcLogging();
  return MakeChannel(address, options);
}

}  // namespace erpsync::agent
