#include "common/grpc/tls_probe.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netdb.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <memory>

#include "common/grpc/openssl_util.h"

namespace erpsync {
namespace {

using openssl::BioPtr;
using openssl::KeyPtr;
using openssl::X509Ptr;

struct CtxFree {
  void operator()(SSL_CTX* ctx) const { SSL_CTX_free(ctx); }
};
struct SslFree {
  void operator()(SSL* ssl) const { SSL_free(ssl); }
};

// Closes the socket it holds.
class Socket {
 public:
  Socket() = default;
  explicit Socket(int fd) : fd_(fd) {}
  Socket(Socket&& other) noexcept : fd_(other.fd_) { other.fd_ = -1; }
  Socket& operator=(Socket&& other) noexcept {
    std::swap(fd_, other.fd_);
    return *this;
  }
  ~Socket() {
    if (fd_ >= 0) ::close(fd_);
  }
  int fd() const { return fd_; }

 private:
  int fd_ = -1;
};

// Blocks SIGPIPE on this thread while it lives, and discards one that a
// write to a closed connection raised meanwhile: OpenSSL writes to the
// socket with write(2), which would otherwise kill a process that does not
// ignore SIGPIPE (gRPC itself uses MSG_NOSIGNAL).
class SigpipeBlocked {
 public:
  SigpipeBlocked() {
    sigemptyset(&pipe_);
    sigaddset(&pipe_, SIGPIPE);
    sigset_t pending;
    sigpending(&pending);
    was_pending_ = sigismember(&pending, SIGPIPE) == 1;
    pthread_sigmask(SIG_BLOCK, &pipe_, &previous_);
  }
  ~SigpipeBlocked() {
    if (!was_pending_) {
      sigset_t pending;
      sigpending(&pending);
      if (sigismember(&pending, SIGPIPE) == 1) {
        const timespec now{0, 0};
        sigtimedwait(&pipe_, nullptr, &now);
      }
    }
    pthread_sigmask(SIG_SETMASK, &previous_, nullptr);
  }
  SigpipeBlocked(const SigpipeBlocked&) = delete;
  SigpipeBlocked& operator=(const SigpipeBlocked&) = delete;

 private:
  sigset_t pipe_;
  sigset_t previous_;
  bool was_pending_ = false;
};

bool IsIpAddress(const std::string& name) {
  unsigned char buffer[sizeof(in6_addr)];
  return inet_pton(AF_INET, name.c_str(), buffer) == 1 ||
         inet_pton(AF_INET6, name.c_str(), buffer) == 1;
}

// A connected blocking socket whose reads and writes time out, or the
// reason there is none.
Socket Connect(const std::string& host, int port, std::chrono::milliseconds timeout,
               std::string* error) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_NUMERICSERV;
  addrinfo* found = nullptr;
  const int resolved = getaddrinfo(host.c_str(), std::to_string(port).c_str(), &hints, &found);
  if (resolved != 0) {
    *error = gai_strerror(resolved);
    return Socket();
  }
  std::unique_ptr<addrinfo, void (*)(addrinfo*)> addresses(found, freeaddrinfo);
  *error = "no address";
  for (const addrinfo* address = found; address != nullptr; address = address->ai_next) {
    Socket socket(::socket(address->ai_family, address->ai_socktype | SOCK_CLOEXEC, 0));
    if (socket.fd() < 0) {
      *error = std::strerror(errno);
      continue;
    }
    const int flags = fcntl(socket.fd(), F_GETFL);
    fcntl(socket.fd(), F_SETFL, flags | O_NONBLOCK);
    int result = ::connect(socket.fd(), address->ai_addr, address->ai_addrlen);
    if (result != 0 && errno == EINPROGRESS) {
      pollfd waiting{socket.fd(), POLLOUT, 0};
      result = poll(&waiting, 1, static_cast<int>(timeout.count()));
      if (result == 0) {
        *error = "connection timed out";
        continue;
      }
      int socket_error = 0;
      socklen_t length = sizeof(socket_error);
      getsockopt(socket.fd(), SOL_SOCKET, SO_ERROR, &socket_error, &length);
      errno = socket_error;
      result = socket_error == 0 ? 0 : -1;
    }
    if (result != 0) {
      *error = std::strerror(errno);
      continue;
    }
    fcntl(socket.fd(), F_SETFL, flags);
    timeval limit{static_cast<time_t>(timeout.count() / 1000),
                  static_cast<suseconds_t>((timeout.count() % 1000) * 1000)};
    setsockopt(socket.fd(), SOL_SOCKET, SO_RCVTIMEO, &limit, sizeof(limit));
    setsockopt(socket.fd(), SOL_SOCKET, SO_SNDTIMEO, &limit, sizeof(limit));
    error->clear();
    return socket;
  }
  return Socket();
}

// What the handshake's messages showed, filled by the message callback.
struct Seen {
  bool server_hello = false;
  bool alert = false;
  bool certificate_request = false;
};

void OnMessage(int write_p, int /*version*/, int content_type, const void* buf, size_t len,
               SSL* /*ssl*/, void* arg) {
  if (write_p != 0 || len == 0) return;
  Seen* seen = static_cast<Seen*>(arg);
  const unsigned char type = *static_cast<const unsigned char*>(buf);
  if (content_type == SSL3_RT_HANDSHAKE && type == SSL3_MT_SERVER_HELLO) seen->server_hello = true;
  if (content_type == SSL3_RT_HANDSHAKE && type == SSL3_MT_CERTIFICATE_REQUEST) {
    seen->certificate_request = true;
  }
  if (content_type == SSL3_RT_ALERT) seen->alert = true;
}

// Adds the certificates of `pem` to the context's trust store.
void TrustCas(SSL_CTX* ctx, const std::string& pem) {
  const BioPtr bio = openssl::ReadBio(pem);
  X509_STORE* store = SSL_CTX_get_cert_store(ctx);
  while (X509* certificate = PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr)) {
    X509_STORE_add_cert(store, certificate);
    X509_free(certificate);
  }
  ERR_clear_error();
}

// Offers the chain of `cert_pem` (leaf first) with `key_pem` when asked.
void UseClientCertificate(SSL_CTX* ctx, const std::string& cert_pem, const std::string& key_pem) {
  const BioPtr bio = openssl::ReadBio(cert_pem);
  const X509Ptr leaf(PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr));
  if (leaf == nullptr) return;
  SSL_CTX_use_certificate(ctx, leaf.get());
  while (X509* chained = PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr)) {
    SSL_CTX_add0_chain_cert(ctx, chained);
  }
  const BioPtr key_bio = openssl::ReadBio(key_pem);
  const KeyPtr key(PEM_read_bio_PrivateKey(key_bio.get(), nullptr, nullptr, nullptr));
  if (key != nullptr) SSL_CTX_use_PrivateKey(ctx, key.get());
  ERR_clear_error();
}

std::string PemOf(X509* certificate) {
  const BioPtr bio(BIO_new(BIO_s_mem()));
  PEM_write_bio_X509(bio.get(), certificate);
  return openssl::BioText(bio.get());
}

// "CN=A; CN=B" of the CAs the server named in its certificate request.
std::string RequestedCas(const SSL* ssl) {
  std::string text;
  const STACK_OF(X509_NAME)* names = SSL_get_client_CA_list(ssl);
  for (int i = 0; names != nullptr && i < sk_X509_NAME_num(names); ++i) {
    text += (text.empty() ? "" : "; ") + openssl::NameText(sk_X509_NAME_value(names, i));
  }
  return text;
}

// Whether OpenSSL's `reason` for a failed handshake means the bytes that
// came back were not TLS at all.
bool NotTlsReason(int reason) {
  return reason == SSL_R_WRONG_VERSION_NUMBER || reason == SSL_R_PACKET_LENGTH_TOO_LONG ||
         reason == SSL_R_HTTP_REQUEST || reason == SSL_R_HTTPS_PROXY_REQUEST;
}

}  // namespace

TlsProbeResult ProbeTls(const std::string& host, int port, const TlsProbeSettings& settings) {
  TlsProbeResult result;
  const SigpipeBlocked no_sigpipe;
  Socket socket = Connect(host, port, settings.timeout, &result.connect_error);
  if (socket.fd() < 0) return result;
  result.connected = true;

  std::unique_ptr<SSL_CTX, CtxFree> ctx(SSL_CTX_new(TLS_client_method()));
  if (ctx == nullptr) {
    result.handshake_error = "OpenSSL could not make a TLS context";
    return result;
  }
  // Verified below, by hand: the handshake must go on whatever the
  // certificate, to see the rest.
  SSL_CTX_set_verify(ctx.get(), SSL_VERIFY_NONE, nullptr);
  if (!settings.ca_pem.empty()) TrustCas(ctx.get(), settings.ca_pem);
  if (!settings.cert_pem.empty()) {
    UseClientCertificate(ctx.get(), settings.cert_pem, settings.key_pem);
  }
  static const unsigned char kAlpn[] = {2, 'h', '2'};
  SSL_CTX_set_alpn_protos(ctx.get(), kAlpn, sizeof(kAlpn));
  std::unique_ptr<SSL, SslFree> ssl(SSL_new(ctx.get()));
  Seen seen;
  SSL_set_msg_callback(ssl.get(), OnMessage);
  SSL_set_msg_callback_arg(ssl.get(), &seen);
  if (!IsIpAddress(settings.server_name)) {
    // SSL_set_tlsext_host_name, without its C cast.
    SSL_ctrl(ssl.get(), SSL_CTRL_SET_TLSEXT_HOSTNAME, TLSEXT_NAMETYPE_host_name,
             const_cast<char*>(settings.server_name.c_str()));
  }
  SSL_set_fd(ssl.get(), socket.fd());

  ERR_clear_error();
  const int connected = SSL_connect(ssl.get());
  result.handshake_done = connected == 1;
  if (!result.handshake_done) {
    const unsigned long error = ERR_peek_error();
    const char* reason = error != 0 ? ERR_reason_error_string(error) : nullptr;
    result.handshake_error = reason != nullptr ? reason : "connection closed";
    result.answered_not_tls =
        !seen.server_hello && !seen.alert && error != 0 && NotTlsReason(ERR_GET_REASON(error));
    ERR_clear_error();
  }
  result.speaks_tls = seen.server_hello || seen.alert;
  result.client_certificate_requested = seen.certificate_request;
  result.client_certificate_sent = seen.certificate_request && !settings.cert_pem.empty();
  if (seen.certificate_request) result.requested_cas = RequestedCas(ssl.get());

  const X509Ptr peer(SSL_get1_peer_certificate(ssl.get()));
  if (peer != nullptr) {
    Result<CertificateSummary> summary = SummarizeCertificate(PemOf(peer.get()));
    if (summary.ok()) result.certificate = *summary;
    if (!settings.ca_pem.empty()) {
      const long verify = SSL_get_verify_result(ssl.get());
      result.verified = verify == X509_V_OK;
      result.expired = verify == X509_V_ERR_CERT_HAS_EXPIRED;
      if (!result.verified) result.verify_error = X509_verify_cert_error_string(verify);
    }
    result.name_matches = IsIpAddress(settings.server_name)
                              ? X509_check_ip_asc(peer.get(), settings.server_name.c_str(), 0) == 1
                              : X509_check_host(peer.get(), settings.server_name.data(),
                                                settings.server_name.size(), 0, nullptr) == 1;
  }
  if (!result.handshake_done) return result;

  // An HTTP/2 client preface and an empty SETTINGS frame: a server that
  // accepts this client answers with its SETTINGS; one that refused the
  // client's certificate (TLS 1.3 checks it after the handshake) hangs up.
  static const char kPreface[] = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n\0\0\0\4\0\0\0\0\0";
  if (SSL_write(ssl.get(), kPreface, sizeof(kPreface) - 1) > 0) {
    char byte = 0;
    result.accepted = SSL_read(ssl.get(), &byte, 1) > 0;
  }
  ERR_clear_error();
  return result;
}

}  // namespace erpsync
