// SmtpSink: a tiny SMTP server for tests, on 127.0.0.1 with an ephemeral
// port. It accepts messages (EHLO/HELO, MAIL FROM, RCPT TO, DATA, RSET,
// NOOP, QUIT), one connection at a time, and keeps them; it can be told to
// refuse the next N transactions with "451 4.3.0" to test retries. It can
// speak TLS (OpenSSL, with a certificate the test made): after STARTTLS
// (RFC 3207) or from the first byte (implicit TLS), and check AUTH PLAIN
// and AUTH LOGIN against one user and password (then MAIL FROM needs AUTH
// first). Each message records whether it came over TLS and which user
// sent it; the commands received in clear are kept too. Waiting for
// messages uses a condition variable, not sleeps. Thread-safe.
#ifndef ERPSYNC_TESTS_SUPPORT_SMTP_SINK_H_
#define ERPSYNC_TESTS_SUPPORT_SMTP_SINK_H_

#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include "common/mutex.h"
#include "common/thread_annotations.h"

namespace erpsync::testing {

class SmtpSink {
 public:
  struct Options {
    enum class Tls {
      kNone,
      // Offers STARTTLS in its EHLO reply.
      kStartTls,
      // TLS from the first byte.
      kImplicit,
    };
    Tls tls = Tls::kNone;
    // PEM certificate chain and key of the sink (TLS modes).
    std::string cert_file;
    std::string key_file;
    // Offered in the EHLO reply ("PLAIN LOGIN") and checked against user and
    // password when user is set; then MAIL FROM before AUTH is refused
    // with 530.
    std::string auth_mechanisms = "PLAIN LOGIN";
    std::string user;
    std::string password;
    // Says nothing at all (not even its greeting): a relay that hangs.
    bool silent = false;
  };

  struct Message {
    std::string from;
    std::vector<std::string> to;
    // The DATA, dot-stuffing undone, CRLF line endings kept.
    std::string data;
    // Whether the message came over TLS, and the user that AUTH
    // authenticated (empty: none).
    bool tls = false;
    std::string user;
  };

  // Starts listening; aborts the test when it cannot.
  SmtpSink() : SmtpSink(Options()) {}
  explicit SmtpSink(Options options);
  ~SmtpSink();
  SmtpSink(const SmtpSink&) = delete;
  SmtpSink& operator=(const SmtpSink&) = delete;

  int port() const { return port_; }
  // Refuses the next `count` MAIL FROM commands with a 451 reply.
  void FailNext(int count) ERPSYNC_EXCLUDES(mu_);
  // Waits until at least `count` messages were accepted. False on timeout.
  bool WaitForMessages(size_t count, std::chrono::milliseconds timeout) ERPSYNC_EXCLUDES(mu_);
  std::vector<Message> messages() const ERPSYNC_EXCLUDES(mu_);
  // MAIL FROM commands refused so far.
  int refused() const ERPSYNC_EXCLUDES(mu_);
  // Every command line received before TLS, in order ("EHLO localhost").
  std::vector<std::string> commands_in_clear() const ERPSYNC_EXCLUDES(mu_);
  // AUTH attempts refused so far (wrong user or password).
  int auth_failures() const ERPSYNC_EXCLUDES(mu_);

 private:
  class Connection;
  void Run() ERPSYNC_EXCLUDES(mu_);
  void Serve(Connection& connection) ERPSYNC_EXCLUDES(mu_);
  // The reply to an AUTH command (continuing the exchange when needed);
  // sets *user when it succeeds.
  std::string Authenticate(Connection& connection, const std::string& line, std::string* user)
      ERPSYNC_EXCLUDES(mu_);

  const Options options_;
  // SSL_CTX*, owned (an OpenSSL type kept out of this header).
  void* tls_context_ = nullptr;
  int listen_fd_ = -1;
  int wake_fd_[2] = {-1, -1};
  int port_ = 0;
  mutable Mutex mu_;
  CondVar changed_;
  std::vector<Message> messages_ ERPSYNC_GUARDED_BY(mu_);
  std::vector<std::string> commands_in_clear_ ERPSYNC_GUARDED_BY(mu_);
  int fail_next_ ERPSYNC_GUARDED_BY(mu_) = 0;
  int refused_ ERPSYNC_GUARDED_BY(mu_) = 0;
  int auth_failures_ ERPSYNC_GUARDED_BY(mu_) = 0;
  std::thread thread_;
};

}  // namespace erpsync::testing

#endif  // ERPSYNC_TESTS_SUPPORT_SMTP_SINK_H_
