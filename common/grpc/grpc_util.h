// The gRPC edge shared by both binaries and erpsync-ctl: Status conversion,
// channel and server credentials, and the bearer token in call metadata.
// Does not include generated stubs. Thread-safe.
#ifndef ERPSYNC_COMMON_GRPC_GRPC_UTIL_H_
#define ERPSYNC_COMMON_GRPC_GRPC_UTIL_H_

#include <grpcpp/grpcpp.h>

#include <chrono>
#include <memory>
#include <string>
#include <string_view>

#include "common/file_util.h"
#include "common/status.h"

namespace erpsync {

grpc::Status ToGrpcStatus(const Status& status);
Status FromGrpcStatus(const grpc::Status& status);

// Runs a gRPC handler's body (returning Status) and converts the result; an
// exception, which must never escape a handler (the client would only see
// UNKNOWN), becomes INTERNAL naming the method.
template <typename Work>
grpc::Status GuardedHandler(const char* method, Work&& work) {
  try {
    return ToGrpcStatus(work());
  } catch (const std::exception& e) {
    return grpc::Status(grpc::StatusCode::INTERNAL, std::string(method) + ": " + e.what());
  }
}

struct ChannelOptions {
  // PEM file with the CA that signed the server's certificate; empty means a
  // plaintext channel (loopback and tests only).
  std::string tls_ca_file;
  // The client's certificate chain and key (PEM), presented to a server
  // that requires one (mutual TLS); both or neither, and only with
  // tls_ca_file.
  std::string tls_cert_file;
  std::string tls_key_file;
  // gzip-compress what the client sends.
  bool compress = true;
  // Keepalive pings on an idle channel, so a dead peer is noticed.
  int keepalive_seconds = 30;
};

// A channel to `address` ("host:port"), or to the first server of a
// comma-separated list ("a:7443,b:7443") that answers: the hosts are
// resolved now and gRPC's pick_first tries their addresses in order, on
// every (re)connect, so a server that goes away is replaced by the next one
// that listens (IPv4 addresses only when the list resolves to both
// families). With TLS every server of a list must present a certificate
// valid for the first one's host name (one certificate naming them all is
// the usual way). NOT_FOUND when the CA file, the client certificate or
// its key cannot be read; INVALID_ARGUMENT with origin ErrorOrigin::kTls
// when the CA file holds no certificate, the client certificate and key do
// not parse or do not match or are given without the CA or one without the
// other; FAILED_PRECONDITION (kTls) for a client certificate expired or
// not valid yet; INVALID_ARGUMENT for a malformed list; UNAVAILABLE when
// no host of a list resolves. A call that fails because of TLS comes back
// UNAVAILABLE: TlsFailureExplainer (tls_failure.h) says why.
Result<std::shared_ptr<grpc::Channel>> MakeChannel(const std::string& address,
                                                   const ChannelOptions& options);

// For a caller retrying on a schedule of its own: makes `channel` try to
// connect now, whatever its own reconnect backoff says, and waits (at most
// `wait`) for that attempt's outcome, so that the caller's next call sees
// the server that is listening again instead of the last refusal. Returns
// at once when the channel is connected.
void ConnectNow(grpc::Channel* channel, std::chrono::milliseconds wait);

// Routes gRPC's own log lines through the project's logger (one format,
// journald priorities, the same level filter), as "grpc: MESSAGE
// (FILE:LINE)". gRPC logs errors only, and also its informational lines
// when the project's level is debug. Idempotent; thread-safe.
void RouteGrpcLogging();

// Server credentials: TLS from PEM files when both are given, else
// plaintext. With `client_ca_file` (TLS only), mutual TLS: every client
// must present a certificate issued by a CA of that file, or its handshake
// fails. NOT_FOUND when a file cannot be read; INVALID_ARGUMENT when only
// one of the pair is given, or a client CA file without them; with origin
// ErrorOrigin::kTls, INVALID_ARGUMENT when the files do not parse or do not
// match or the client CA file holds no certificate, FAILED_PRECONDITION for
// a certificate expired or not valid yet (CheckCertificateAndKey).
Result<std::shared_ptr<grpc::ServerCredentials>> MakeServerCredentials(
    const std::string& cert_file, const std::string& key_file,
    const std::string& client_ca_file = "");

inline constexpr std::string_view kAuthorizationHeader = "authorization";

// Adds "authorization: Bearer <token>" to an outgoing call.
void AttachBearerToken(grpc::ClientContext* context, std::string_view token);
// The token of an incoming call, or empty when absent or malformed.
std::string BearerTokenOf(const grpc::ServerContextBase& context);

}  // namespace erpsync

#endif  // ERPSYNC_COMMON_GRPC_GRPC_UTIL_H_
