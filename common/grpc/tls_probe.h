// ProbeTls: one TLS handshake with a server, done by hand (OpenSSL) to
// find out why gRPC's own failed: whether the server speaks TLS at all,
// its certificate and whether it verifies against a CA and a host name,
// whether it asks for a client certificate and whether it then goes on
// (answers the HTTP/2 preface) or hangs up. gRPC 1.51 reports most of
// these only as "Socket closed"; a server that hangs up without speaking
// TLS (an outage behind a proxy) looks the same to gRPC, not to the probe.
// Sends no token and no request. Thread-safe (no state); blocks up to the
// timeout per phase.
#ifndef ERPSYNC_COMMON_GRPC_TLS_PROBE_H_
#define ERPSYNC_COMMON_GRPC_TLS_PROBE_H_

#include <chrono>
#include <optional>
#include <string>

#include "common/grpc/tls_certificate.h"

namespace erpsync {

struct TlsProbeSettings {
  // The name the certificate must be valid for (a DNS name or an IP
  // address), also sent as SNI when it is a name.
  std::string server_name;
  // PEM CAs to verify the server's certificate with; empty: not verified
  // (verified stays false).
  std::string ca_pem;
  // The client certificate chain and key offered when the server asks for
  // one; empty: none.
  std::string cert_pem;
  std::string key_pem;
  std::chrono::milliseconds timeout{3000};
};

struct TlsProbeResult {
  // A TCP connection was made; else connect_error says why.
  bool connected = false;
  std::string connect_error;
  // The server answered the ClientHello with a TLS ServerHello.
  bool speaks_tls = false;
  // The server answered, but not in TLS (a plaintext server).
  bool answered_not_tls = false;
  // The handshake completed (whatever the verification says); else
  // handshake_error holds OpenSSL's reason or "connection closed".
  bool handshake_done = false;
  std::string handshake_error;
  // The server's certificate, when it sent one.
  std::optional<CertificateSummary> certificate;
  // It verifies against ca_pem (chain and dates); else verify_error holds
  // OpenSSL's reason ("unable to get local issuer certificate",
  // "certificate has expired", ...).
  bool verified = false;
  bool expired = false;
  std::string verify_error;
  // It is valid for server_name.
  bool name_matches = false;
  // The server asked for a client certificate, naming these CAs (RFC 2253,
  // "; "-separated; may be empty).
  bool client_certificate_requested = false;
  std::string requested_cas;
  // Whether one was sent (requested and cert_pem given).
  bool client_certificate_sent = false;
  // After the handshake the server answered the HTTP/2 preface (it accepts
  // this client); false when it hung up.
  bool accepted = false;
};

// Probes the server at `host` `port`. Never fails: what could not be done
// is in the result.
TlsProbeResult ProbeTls(const std::string& host, int port, const TlsProbeSettings& settings);

}  // namespace erpsync

#endif  // ERPSYNC_COMMON_GRPC_TLS_PROBE_H_
