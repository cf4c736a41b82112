// SmtpMailSender: delivers messages to an SMTP relay (RFC 5321) over a
// plain TCP connection, one connection per message: EHLO (HELO when EHLO
// is refused), MAIL FROM, RCPT TO, DATA with dot-stuffing, QUIT. There is
// no TLS and no authentication: the relay is expected on the server's host
// or a trusted network (a local Postfix/Exim relaying onwards), which is
// the documented production setup. Every step has a timeout. Not
// thread-safe (one deliverer at a time).
#ifndef ERPSYNC_SERVER_NOTIFY_SMTP_MAIL_SENDER_H_
#define ERPSYNC_SERVER_NOTIFY_SMTP_MAIL_SENDER_H_

#include <string>

#include "server/notify/mail_sender.h"

namespace erpsync::server {

struct SmtpOptions {
  std::string host = "127.0.0.1";
  int port = 25;
  // Envelope sender and From: address.
  std::string from = "erpsync@localhost";
  // Name given in EHLO/HELO.
  std::string helo = "localhost";
  int timeout_seconds = 30;
};

class SmtpMailSender : public MailSender {
 public:
  explicit SmtpMailSender(SmtpOptions options) : options_(std::move(options)) {}

  // UNAVAILABLE when the relay cannot be reached, times out or answers 4xx
  // (try later); FAILED_PRECONDITION for a 5xx refusal. The message names
  // the relay, the step and its reply: "SMTP relay 127.0.0.1:2525: MAIL
  // FROM: 451 4.3.0 try again later".
  Status Send(const OutboxMessage& message) override;
  std::string Describe() const override;

 private:
  SmtpOptions options_;
};

}  // namespace erpsync::server

#endif  // ERPSYNC_SERVER_NOTIFY_SMTP_MAIL_SENDER_H_
