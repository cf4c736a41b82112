// Checks and descriptions of TLS certificates before gRPC is given them, so
// that a mistake is refused at start with what is wrong, instead of
// failing every handshake later (an expired certificate) or surfacing as a
// bare "cannot listen" (a key of another certificate); and the one-line
// descriptions ("CN=erpsync.test, issued by CN=Operator CA") that the
// messages about a failed handshake show. Thread-safe (no state).
#ifndef ERPSYNC_COMMON_GRPC_TLS_CERTIFICATE_H_
#define ERPSYNC_COMMON_GRPC_TLS_CERTIFICATE_H_

#include <cstdint>
#include <string>
#include <vector>

#include "common/status.h"

namespace erpsync {

// Checks the PEM certificate chain `cert_pem` (read from `cert_file`) and
// the PEM private key `key_pem` (from `key_file`) at `now_unix`, a server's
// or a client's: INVALID_ARGUMENT naming the file when either does not
// parse or the key is not the certificate's; FAILED_PRECONDITION when the
// certificate has expired or is not valid yet, with its dates. Every error
// has origin ErrorOrigin::kTls.
Status CheckCertificateAndKey(const std::string& cert_pem, const std::string& cert_file,
                              const std::string& key_pem, const std::string& key_file,
                              int64_t now_unix);

// Checks that `pem` (read from `file`, which `what` names: "TLS CA file")
// holds at least one PEM certificate, as a file of trusted CAs must:
// INVALID_ARGUMENT naming the file otherwise, with origin ErrorOrigin::kTls.
Status CheckCaCertificates(const std::string& pem, const std::string& file,
                           const std::string& what);

// The first certificate of a PEM text, described.
struct CertificateSummary {
  // RFC 2253 one-liners: "CN=erpsync.test,O=Acme".
  std::string subject;
  std::string issuer;
  // The subject alternative names: "DNS:cloud.example.com", "IP:127.0.0.1".
  std::vector<std::string> names;
  // "2026-12-07 08:00:00 UTC".
  std::string not_before;
  std::string not_after;
};

// INVALID_ARGUMENT when `pem` holds no PEM certificate.
Result<CertificateSummary> SummarizeCertificate(const std::string& pem);

// "CN=erpsync.test, issued by CN=Operator CA", and ", for DNS:a, IP:b" when
// the certificate has alternative names and `with_names`.
std::string DescribeCertificate(const CertificateSummary& summary, bool with_names);

}  // namespace erpsync

#endif  // ERPSYNC_COMMON_GRPC_TLS_CERTIFICATE_H_
