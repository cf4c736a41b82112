// SmtpMailSender: delivers messages to an SMTP relay (RFC 5321) through
// libcurl's SMTP client, one connection per message: EHLO (HELO when EHLO
// is refused), optionally STARTTLS (RFC 3207) or TLS from the first byte
// (port 465, RFC 8314), optionally AUTH (the best SASL mechanism the relay
// offers of PLAIN, LOGIN, CRAM-MD5, ...), MAIL FROM, RCPT TO, DATA (libcurl
// does the dot-stuffing), QUIT. TLS verifies the relay's certificate and
// host name (system CAs, or the CA file given). Every step has a timeout.
// Not thread-safe (one deliverer at a time); instances on several threads
// are fine (libcurl's global state is set up once).
#ifndef ERPSYNC_SERVER_NOTIFY_SMTP_MAIL_SENDER_H_
#define ERPSYNC_SERVER_NOTIFY_SMTP_MAIL_SENDER_H_

#include <string>

#include "server/notify/mail_sender.h"

namespace erpsync::server {

enum class SmtpTls {
  // Plain SMTP: a relay on this host or a trusted network.
  kNone,
  // STARTTLS required: a relay that does not offer it gets nothing (no
  // fallback to plaintext).
  kStartTls,
  // TLS from the first byte (SMTPS, usually port 465).
  kImplicit,
};

struct SmtpOptions {
  std::string host = "127.0.0.1";
  int port = 25;
  SmtpTls tls = SmtpTls::kNone;
  // PEM CA certificate(s) that the relay's certificate must chain to;
  // empty: the system's CAs.
  std::string ca_file;
  // AUTH user name and password; empty user: no AUTH.
  std::string user;
  std::string password;
  // The From: address.
  std::string from = "erpsync@localhost";
  // The envelope sender (MAIL FROM, where bounces go); empty: `from`.
  std::string envelope_from;
  // Name given in EHLO/HELO.
  std::string helo = "localhost";
  int timeout_seconds = 30;
};

class SmtpMailSender : public MailSender {
 public:
  explicit SmtpMailSender(SmtpOptions options);

  // UNAVAILABLE when the relay cannot be reached, times out or answers 4xx
  // (try later); FAILED_PRECONDITION for a 5xx refusal (a wrong password:
  // "AUTH: 535 ..."), for a relay that does not offer the STARTTLS that is
  // required, and for a TLS failure (a certificate that does not verify;
  // origin ErrorOrigin::kTls). The message names the relay, the step and
  // its reply: "SMTP relay 127.0.0.1:2525: MAIL FROM: 451 4.3.0 try again
  // later". It never holds the password.
  Status Send(const OutboxMessage& message) override;
  // "SMTP relay mail.example.com:587 (STARTTLS, AUTH as erpsync)".
  std::string Describe() const override;

 private:
  SmtpOptions options_;
};

}  // namespace erpsync::server

#endif  // ERPSYNC_SERVER_NOTIFY_SMTP_MAIL_SENDER_H_
