// The agent's channel to erpsync-server: one HTTP/2 connection that carries
// the control stream and the sync streams. Thread-safe (a function).
#ifndef ERPSYNC_AGENT_TRANSPORT_SERVER_CHANNEL_H_
#define ERPSYNC_AGENT_TRANSPORT_SERVER_CHANNEL_H_

#include <grpcpp/channel.h>

#include <memory>
#include <string>

#include "common/status.h"

namespace erpsync::agent {

// The channel to the server at `address` ("host:port"): TLS checked against
// the CA in `tls_ca_file`, or plaintext when it is empty. gRPC's own
// compression is off: record batches are zstd-compressed on their own
// (sync.compression_level). INVALID_ARGUMENT when the CA file cannot be
// read.
Result<std::shared_ptr<grpc::Channel>> OpenServerChannel(const std::string& address,
                                                         const std::string& tls_ca_file);

}  // namespace erpsync::agent

#endif  // ERPSYNC_AGENT_TRANSPORT_SERVER_CHANNEL_H_
