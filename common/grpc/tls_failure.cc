#include "common/grpc/tls_failure.h"

#include <regex>
#include <utility>

#include "common/file_util.h"
#include "common/grpc/tls_certificate.h"
#include "common/grpc/tls_probe.h"
#include "common/log.h"
#include "common/net_address.h"

namespace erpsync {
namespace {

// What gRPC's message says went wrong while connecting.
enum class Symptom {
  kNone,
  // The server's certificate did not verify against the client's CA.
  kVerifyFailed,
  // It is not valid for the host name connected to.
  kNameMismatch,
  // The TLS client got an answer that is not TLS.
  kNotTls,
  // The connection closed while it was being set up (no reason given).
  kClosed,
};

bool Contains(const std::string& text, const char* part) {
  return text.find(part) != std::string::npos;
}

Symptom SymptomOf(const std::string& message) {
  if (Contains(message, "certificate verify failed") ||
      Contains(message, "CERTIFICATE_VERIFY_FAILED")) {
    return Symptom::kVerifyFailed;
  }
  if (Contains(message, "is not in peer certificate")) return Symptom::kNameMismatch;
  if (Contains(message, "Ssl handshake failed") &&
      (Contains(message, "wrong version number") || Contains(message, "WRONG_VERSION_NUMBER") ||
       Contains(message, "packet length too long") || Contains(message, "http request"))) {
    return Symptom::kNotTls;
  }
  // Only while connecting: a stream that breaks later is an outage.
  if (Contains(message, "failed to connect to all addresses") &&
      (Contains(message, "Socket closed") || Contains(message, "Connection reset") ||
       Contains(message, "Broken pipe") || Contains(message, "Handshake read failed") ||
       Contains(message, "Handshake write failed") || Contains(message, "End of TCP stream") ||
       Contains(message, "Ssl handshake failed"))) {
    return Symptom::kClosed;
  }
  return Symptom::kNone;
}

// The "ip:port" gRPC names as the address it failed on ("ipv4:10.0.0.5:7443",
// "ipv6:[::1]:7443"), or "".
std::string FailedAddressIn(const std::string& message) {
  static const std::regex kAddress(
      R"re(ipv4:([0-9.]+:[0-9]+)|ipv6:(\[[0-9a-fA-F:.%]+\]:[0-9]+))re");
  std::smatch match;
  if (!std::regex_search(message, match, kAddress)) return "";
  return match[1].matched ? std::string(match[1]) : std::string(match[2]);
}

std::string ReadOrEmpty(const std::string& path) {
  if (path.empty()) return "";
  Result<std::string> text = ReadSmallFile(path);
  return text.ok() ? *text : "";
}

// "/etc/erpsync/ca.pem: CN=Operator CA", or the path alone.
std::string FileWithSubject(const std::string& path, const std::string& pem) {
  Result<CertificateSummary> summary = SummarizeCertificate(pem);
  return summary.ok() ? path + ": " + summary->subject : path;
}

Status TlsError(std::string message) {
  return FailedPreconditionError("TLS: " + std::move(message)).WithOrigin(ErrorOrigin::kTls);
}

}  // namespace

TlsFailureExplainer::TlsFailureExplainer(std::string address, ChannelOptions options,
                                         TlsSettingNames names)
    : address_(std::move(address)), options_(std::move(options)), names_(std::move(names)) {}

Status TlsFailureExplainer::Explain(const Status& status) const {
  if (status.code() != StatusCode::kUnavailable) return status;
  const Symptom symptom = SymptomOf(status.message());
  if (symptom == Symptom::kNone) return status;
  const bool tls = !options_.tls_ca_file.empty();
  // A plaintext client never hears of certificates.
  if (!tls && symptom != Symptom::kClosed) return status;

  const Result<std::vector<std::string>> configured = SplitAddressList(address_);
  const std::string first =
      configured.ok() && !configured->empty() ? configured->front() : address_;
  std::string server = FailedAddressIn(status.message());
  if (server.empty()) server = first;
  const size_t colon = server.rfind(':');
  const int port = colon == std::string::npos ? 0 : std::atoi(server.c_str() + colon + 1);
  const std::string host_name = HostOf(first);

  TlsProbeSettings settings;
  settings.server_name = host_name;
  const std::string ca_pem = ReadOrEmpty(options_.tls_ca_file);
  settings.ca_pem = ca_pem;
  settings.cert_pem = ReadOrEmpty(options_.tls_cert_file);
  settings.key_pem = ReadOrEmpty(options_.tls_key_file);
  const TlsProbeResult probe = ProbeTls(HostOf(server), port, settings);
  ERPSYNC_LOG(kDebug) << "TLS probe of " << server << " after \"" << status.message()
                      << "\": connected " << probe.connected << ", speaks TLS " << probe.speaks_tls
                      << ", handshake " << (probe.handshake_done ? "done" : probe.handshake_error)
                      << ", verified " << probe.verified << ", client certificate requested "
                      << probe.client_certificate_requested << ", accepted " << probe.accepted;
  const std::string certificate =
      probe.certificate ? " (" + DescribeCertificate(*probe.certificate, false) + ")" : "";

  if (!tls) {
    if (!probe.speaks_tls) return status;
    return TlsError("the server at " + server + " speaks TLS: set " + names_.ca_file +
                    " to the CA that issued its certificate" + certificate);
  }
  const std::string ca =
      names_.ca_file + " (" + FileWithSubject(options_.tls_ca_file, ca_pem) + ")";
  const auto not_signed = [&] {
    return TlsError(
        "the certificate of the server at " + server + certificate +
        " is not signed by the CA in " + ca + ": " +
        (probe.verify_error.empty() ? "certificate verify failed" : probe.verify_error) +
        "; check that the file holds the CA that issued the server's certificate");
  };
  const auto not_tls = [&] {
    return TlsError("the server at " + server +
                    " does not speak TLS (it answered in plaintext) but " + names_.ca_file +
                    " is set: give the server a certificate (its server.tls_cert_file and "
                    "server.tls_key_file), or, for a server on loopback, do without " +
                    names_.ca_file);
  };
  switch (symptom) {
    case Symptom::kVerifyFailed:
      if (probe.expired) {
        return TlsError("the certificate of the server at " + server + certificate +
                        " expired on " + probe.certificate->not_after +
                        ": the server must renew it");
      }
      return not_signed();
    case Symptom::kNameMismatch:
      return TlsError(
          "the certificate of the server at " + server +
          (probe.certificate ? " (" + DescribeCertificate(*probe.certificate, true) + ")" : "") +
          " is not valid for " + host_name + ", the host in " + names_.address +
          ": connect by a name the certificate holds, or give the server a certificate for " +
          host_name);
    case Symptom::kNotTls:
      return not_tls();
    case Symptom::kClosed:
      break;
    case Symptom::kNone:
      return status;
  }
  if (probe.handshake_done && probe.verified && probe.name_matches && probe.accepted) return status;
  if (probe.client_certificate_requested && !probe.accepted) {
    const std::string issued_by =
        probe.requested_cas.empty() ? "" : " (" + probe.requested_cas + ")";
    const std::string requirement = "the server requires a client certificate (" +
                                    names_.cert_file + ") issued by its CA" + issued_by;
    if (options_.tls_cert_file.empty()) {
      return TlsError("the server at " + server + " refused this client: " + requirement +
                      "; none is set");
    }
    const std::string cert_pem = ReadOrEmpty(options_.tls_cert_file);
    Result<CertificateSummary> ours = SummarizeCertificate(cert_pem);
    return TlsError("the server at " + server + " refused the client certificate in " +
                    names_.cert_file + " (" + options_.tls_cert_file +
                    (ours.ok() ? ": " + DescribeCertificate(*ours, false) : "") +
                    "): " + requirement);
  }
  if (probe.handshake_done && !probe.verified && !probe.expired && probe.certificate) {
    return not_signed();
  }
  if (probe.answered_not_tls) return not_tls();
  return status;
}

}  // namespace erpsync
