// MailSender: delivers one outbox email somewhere (a mail directory, an
// SMTP relay), and the RFC 5322 text both senders produce. Implementations
// are called from one deliverer thread at a time and need not be
// thread-safe; FormatMailMessage is a pure function.
#ifndef ERPSYNC_SERVER_NOTIFY_MAIL_SENDER_H_
#define ERPSYNC_SERVER_NOTIFY_MAIL_SENDER_H_

#include <string>

#include "common/status.h"
#include "server/store/approval_types.h"

namespace erpsync::server {

class MailSender {
 public:
  virtual ~MailSender() = default;
  // OK once the message is handed over for good (written to disk, accepted
  // by the relay). Any error means "not delivered; try again later":
  // UNAVAILABLE for transient faults (relay unreachable, 4xx replies),
  // FAILED_PRECONDITION for refusals (5xx replies), INTERNAL otherwise.
  virtual Status Send(const OutboxMessage& message) = 0;
  // For logs: "mail directory /var/lib/erpsync-server/mail".
  virtual std::string Describe() const = 0;
};

// The message as RFC 5322 text with CRLF line endings: From, To, Subject
// (RFC 2047 encoded when not ASCII), Date (of message.created_unix, UTC),
// Message-ID (stable per outbox id, so a retried delivery is recognisably
// the same message), MIME-Version, a UTF-8 text/plain body. CR and LF are
// removed from header values.
std::string FormatMailMessage(const OutboxMessage& message, const std::string& from);

}  // namespace erpsync::server

#endif  // ERPSYNC_SERVER_NOTIFY_MAIL_SENDER_H_
