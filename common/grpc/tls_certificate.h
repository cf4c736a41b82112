// Checks of a server's TLS certificate and key before gRPC is given them,
// so that a mistake is refused at start with what is wrong, instead of
// failing every handshake later (an expired certificate) or surfacing as a
// bare "cannot listen" (a key of another certificate). Thread-safe (no
// state).
#ifndef ERPSYNC_COMMON_GRPC_TLS_CERTIFICATE_H_
#define ERPSYNC_COMMON_GRPC_TLS_CERTIFICATE_H_

#include <cstdint>
#include <string>

#include "common/status.h"

namespace erpsync {

// Checks the PEM certificate chain `cert_pem` (read from `cert_file`) and
// the PEM private key `key_pem` (from `key_file`) at `now_unix`:
// INVALID_ARGUMENT naming the file when either does not parse or the key is
// not the certificate's; FAILED_PRECONDITION when the certificate has
// expired or is not valid yet, with its dates.
Status CheckServerCertificate(const std::string& cert_pem, const std::string& cert_file,
                              const std::string& key_pem, const std::string& key_file,
                              int64_t now_unix);

}  // namespace erpsync

#endif  // ERPSYNC_COMMON_GRPC_TLS_CERTIFICATE_H_
