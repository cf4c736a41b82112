// The agent's channel to erpsync-server: one HTTP/2 connection that carries
// the control stream and the sync streams, and what a call on it that
// failed because of TLS means, in agent.conf's terms. Thread-safe (a
// function; the explainer is const).
#ifndef ERPSYNC_AGENT_TRANSPORT_SERVER_CHANNEL_H_
#define ERPSYNC_AGENT_TRANSPORT_SERVER_CHANNEL_H_

#include <grpcpp/channel.h>

#include <functional>
#include <memory>
#include <string>

#include "common/status.h"

namespace erpsync::agent {

// The status of a failed call on the channel, explained: a TLS set-up that
// does not work becomes FAILED_PRECONDITION with origin ErrorOrigin::kTls
// naming the cause and the agent.conf key to fix (common/grpc/
// tls_failure.h); anything else is returned as it is. Empty: no
// explanation (the status as it is).
using CallFailureExplainer = std::function<Status(const Status&)>;

// agent.conf's server.tls_ca_file, tls_cert_file and tls_key_file.
struct ServerTlsFiles {
  std::string ca_file;    // empty: plaintext
  std::string cert_file;  // the client certificate (mutual TLS), with key_file
  std::string key_file;
};

struct ServerChannel {
  std::shared_ptr<grpc::Channel> channel;
  CallFailureExplainer explain;
};

// The channel to the server at `address` ("host:port", or a list): TLS
// checked against the CA in `tls.ca_file`, presenting the client
// certificate of `tls.cert_file` when given, or plaintext when ca_file is
// empty. gRPC's own compression is off: record batches are zstd-compressed
// on their own (sync.compression_level). Errors as MakeChannel: NOT_FOUND
// for a TLS file that cannot be read; INVALID_ARGUMENT or
// FAILED_PRECONDITION with origin kTls for a CA file without a
// certificate, a client certificate and key that do not match, or an
// expired client certificate.
Result<ServerChannel> OpenServerChannel(const std::string& address, const ServerTlsFiles& tls);

}  // namespace erpsync::agent

#endif  // ERPSYNC_AGENT_TRANSPORT_SERVER_CHANNEL_H_
