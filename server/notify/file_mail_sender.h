// FileMailSender: the embedded default mail transport. Each message is
// written as an RFC 5322 file `<dir>/erpsync-<outbox id>.eml`, atomically
// (a temporary file renamed into place), so a mail reader or a relay
// picking files up never sees half a message, and a redelivery after a
// crash rewrites the same file instead of adding a copy. Not thread-safe
// (one deliverer at a time).
#ifndef ERPSYNC_SERVER_NOTIFY_FILE_MAIL_SENDER_H_
#define ERPSYNC_SERVER_NOTIFY_FILE_MAIL_SENDER_H_

#include <string>

#include "server/notify/mail_sender.h"

namespace erpsync::server {

class FileMailSender : public MailSender {
 public:
  // `dir` is created on first use when missing.
  FileMailSender(std::string dir, std::string from)
      : dir_(std::move(dir)), from_(std::move(from)) {}

  // INTERNAL when the directory or the file cannot be written.
  Status Send(const OutboxMessage& message) override;
  std::string Describe() const override { return "mail directory " + dir_; }

  // The file a message is written to.
  std::string PathOf(int64_t outbox_id) const;

 private:
  std::string dir_;
  std::string from_;
};

}  // namespace erpsync::server

#endif  // ERPSYNC_SERVER_NOTIFY_FILE_MAIL_SENDER_H_
