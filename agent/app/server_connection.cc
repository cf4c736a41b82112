#include "agent/app/server_connection.h"

namespace erpsync::agent {

Result<ServerChannel> OpenConfiguredServerChannel(const AgentConfig& config) {
  return OpenServerChannel(
      config.server_address,
      ServerTlsFiles{config.tls_ca_file, config.tls_cert_file, config.tls_key_file});
}

}  // namespace erpsync::agent
