#include "agent/transport/server_channel.h"

#include "common/grpc/grpc_util.h"
#include "common/grpc/tls_failure.h"

namespace erpsync::agent {

Result<ServerChannel> OpenServerChannel(const std::string& address, const ServerTlsFiles& tls) {
  ChannelOptions options;
  options.tls_ca_file = tls.ca_file;
  options.tls_cert_file = tls.cert_file;
  options.tls_key_file = tls.key_file;
  options.compress = false;
  RouteGrpcLogging();
  ERPSYNC_ASSIGN_OR_RETURN(std::shared_ptr<grpc::Channel> channel, MakeChannel(address, options));
  auto explainer = std::make_shared<const TlsFailureExplainer>(address, options, TlsSettingNames{});
  return ServerChannel{std::move(channel),
                       [explainer](const Status& status) { return explainer->Explain(status); }};
}

}  // namespace erpsync::agent
