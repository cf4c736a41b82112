// TlsFailureExplainer: turns a call that failed because the TLS set-up
// between a client (the agent, erpsync-ctl) and the server does not work
// into an error that names the cause and the fix, instead of the
// UNAVAILABLE that gRPC reports for it (and that clients retry as an
// outage). What gRPC 1.51 (with OpenSSL 3) says, and what it means:
//
//   "... Ssl handshake failed: SSL_ERROR_SSL: error:0A000086:SSL
//   routines::certificate verify failed"   the server's certificate is not
//                                          signed by the client's CA (or
//                                          expired)
//   "... Peer name HOST is not in peer certificate"
//                                          the certificate is for another
//                                          host name
//   "... Ssl handshake failed: SSL_ERROR_SSL: error:0A00010B:SSL
//   routines::wrong version number"        TLS client, plaintext server
//   "failed to connect to all addresses; last error: UNAVAILABLE:
//   ipv4:IP:PORT: Socket closed"           plaintext client, TLS server;
//                                          or a server that requires a
//                                          client certificate refusing
//                                          this one (or its absence); or
//                                          an outage behind a proxy
//
// The certificate cases are certain from the message; "Socket closed" is
// not, so a probe (ProbeTls) asks the server what it speaks and whether it
// accepts this client before anything is called a TLS problem: a server
// that is down stays UNAVAILABLE (retryable). Thread-safe (const).
#ifndef ERPSYNC_COMMON_GRPC_TLS_FAILURE_H_
#define ERPSYNC_COMMON_GRPC_TLS_FAILURE_H_

#include <string>

#include "common/grpc/grpc_util.h"
#include "common/status.h"

namespace erpsync {

// What the messages call the client's settings: agent.conf's keys, or
// erpsync-ctl's flags.
struct TlsSettingNames {
  std::string address = "server.address";
  std::string ca_file = "server.tls_ca_file";
  std::string cert_file = "server.tls_cert_file";
};

class TlsFailureExplainer {
 public:
  // For calls on the channel MakeChannel(address, options) made.
  TlsFailureExplainer(std::string address, ChannelOptions options, TlsSettingNames names);

  // `status` itself, unless it is a failed connection (UNAVAILABLE) whose
  // cause is the TLS set-up: then FAILED_PRECONDITION with origin
  // ErrorOrigin::kTls (exit 64, never retried), starting "TLS: " and naming
  // the server's address, the certificate (subject and issuer, when the
  // server can be asked), the setting to change and how. May probe the
  // server (a TLS handshake, at most a few seconds) first.
  Status Explain(const Status& status) const;

 private:
  std::string address_;
  ChannelOptions options_;
  TlsSettingNames names_;
};

}  // namespace erpsync

#endif  // ERPSYNC_COMMON_GRPC_TLS_FAILURE_H_
