#include "server/notify/file_mail_sender.h"

#include "common/file_util.h"
#include "common/private_files.h"

namespace erpsync::server {

std::string FileMailSender::PathOf(int64_t outbox_id) const {
  return dir_ + "/erpsync-" + std::to_string(outbox_id) + ".eml";
}

Status FileMailSender::Send(const OutboxMessage& message) {
  // 0700 when created here; a directory prepared for a mail pickup group
  // (0750) keeps its mode.
  ERPSYNC_RETURN_IF_ERROR(CreatePrivateDirectory(dir_));
  return WriteFileAtomically(PathOf(message.id), FormatMailMessage(message, from_), 0640);
}

}  // namespace erpsync::server
