#include "server/notify/file_mail_sender.h"

#include <filesystem>

#include "common/file_util.h"

namespace erpsync::server {

std::string FileMailSender::PathOf(int64_t outbox_id) const {
  return dir_ + "/erpsync-" + std::to_string(outbox_id) + ".eml";
}

Status FileMailSender::Send(const OutboxMessage& message) {
  std::error_code error;
  std::filesystem::create_directories(dir_, error);
  if (error) return InternalError("cannot create mail directory " + dir_ + ": " + error.message());
  return WriteFileAtomically(PathOf(message.id), FormatMailMessage(message, from_), 0640);
}

}  // namespace erpsync::server
