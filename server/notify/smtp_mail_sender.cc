#include "server/notify/smtp_mail_sender.h"

#include <netdb.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace erpsync::server {
namespace {

// One SMTP conversation on a connected socket. Closes it when destroyed.
class SmtpConnection {
 public:
  SmtpConnection(int fd, std::string where) : fd_(fd), where_(std::move(where)) {}
  ~SmtpConnection() { close(fd_); }
  SmtpConnection(const SmtpConnection&) = delete;
  SmtpConnection& operator=(const SmtpConnection&) = delete;

  Status Write(const std::string& data) {
    size_t sent = 0;
    while (sent < data.size()) {
      const ssize_t n = send(fd_, data.data() + sent, data.size() - sent, MSG_NOSIGNAL);
      if (n < 0) {
        if (errno == EINTR) continue;
        return UnavailableError(where_ + ": sending: " + std::strerror(errno));
      }
      sent += static_cast<size_t>(n);
    }
    return Status::Ok();
  }

  // Reads one (possibly multi-line) reply; returns its code and sets *text
  // to its last line.
  Result<int> ReadReply(std::string* text) {
    while (true) {
      const size_t end = buffer_.find("\r\n");
      if (end == std::string::npos) {
        char chunk[1024];
        const ssize_t n = recv(fd_, chunk, sizeof(chunk), 0);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) {
          return UnavailableError(where_ + ": " +
                                  (n == 0 ? std::string("connection closed by the relay")
                                          : "reading: " + std::string(std::strerror(errno))));
        }
        buffer_.append(chunk, static_cast<size_t>(n));
        continue;
      }
      std::string line = buffer_.substr(0, end);
      buffer_.erase(0, end + 2);
      if (line.size() < 3 || line.find_first_not_of("0123456789") < 3) {
        return UnavailableError(where_ + ": malformed reply '" + line + "'");
      }
      if (line.size() > 3 && line[3] == '-') continue;  // more lines follow
      *text = line;
      return std::stoi(line.substr(0, 3));
    }
  }

  // Sends `command` (may be empty: just read) and expects a reply in
  // [low, high].
  Status Expect(const std::string& step, const std::string& command, int low, int high) {
    if (!command.empty()) ERPSYNC_RETURN_IF_ERROR(Write(command + "\r\n"));
    std::string text;
    ERPSYNC_ASSIGN_OR_RETURN(const int code, ReadReply(&text));
    if (code >= low && code <= high) return Status::Ok();
    const std::string message = where_ + ": " + step + ": " + text;
    if (code >= 500) return FailedPreconditionError(message);
    return UnavailableError(message);
  }

 private:
  int fd_;
  std::string where_;
  std::string buffer_;
};

// Lines of `text` with CRLF endings; lines starting with '.' get another
// (RFC 5321 4.5.2), and the data ends with CRLF.CRLF.
std::string DotStuffed(const std::string& text) {
  std::string out;
  bool line_start = true;
  for (const char c : text) {
    if (line_start && c == '.') out += '.';
    out += c;
    line_start = c == '\n';
  }
  if (!out.ends_with("\r\n")) out += "\r\n";
  out += ".\r\n";
  return out;
}

}  // namespace

std::string SmtpMailSender::Describe() const {
  return "SMTP relay " + options_.host + ":" + std::to_string(options_.port);
}

Status SmtpMailSender::Send(const OutboxMessage& message) {
  const std::string where = Describe();
  if (message.recipient.find_first_of("\r\n<>") != std::string::npos) {
    return FailedPreconditionError(where + ": '" + message.recipient +
                                   "' is not a valid recipient address");
  }
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* addresses = nullptr;
  const int resolved =
      getaddrinfo(options_.host.c_str(), std::to_string(options_.port).c_str(), &hints, &addresses);
  if (resolved != 0) {
    return UnavailableError(where + ": cannot resolve host: " + gai_strerror(resolved));
  }
  int fd = -1;
  std::string connect_error = "no address";
  for (addrinfo* address = addresses; address != nullptr; address = address->ai_next) {
    fd = socket(address->ai_family, address->ai_socktype | SOCK_CLOEXEC, address->ai_protocol);
    if (fd < 0) continue;
    timeval timeout{};
    timeout.tv_sec = options_.timeout_seconds;
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof(timeout));
    setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, sizeof(timeout));
    if (connect(fd, address->ai_addr, address->ai_addrlen) == 0) break;
    connect_error = std::strerror(errno);
    close(fd);
    fd = -1;
  }
  freeaddrinfo(addresses);
  if (fd < 0) return UnavailableError(where + ": cannot connect: " + connect_error);
  SmtpConnection smtp(fd, where);
  ERPSYNC_RETURN_IF_ERROR(smtp.Expect("greeting", "", 220, 220));
  if (!smtp.Expect("EHLO", "EHLO " + options_.helo, 250, 250).ok()) {
    ERPSYNC_RETURN_IF_ERROR(smtp.Expect("HELO", "HELO " + options_.helo, 250, 250));
  }
  ERPSYNC_RETURN_IF_ERROR(smtp.Expect("MAIL FROM", "MAIL FROM:<" + options_.from + ">", 250, 250));
  ERPSYNC_RETURN_IF_ERROR(smtp.Expect("RCPT TO", "RCPT TO:<" + message.recipient + ">", 250, 251));
  ERPSYNC_RETURN_IF_ERROR(smtp.Expect("DATA", "DATA", 354, 354));
  ERPSYNC_RETURN_IF_ERROR(smtp.Write(DotStuffed(FormatMailMessage(message, options_.from))));
  ERPSYNC_RETURN_IF_ERROR(smtp.Expect("end of DATA", "", 250, 250));
  // The message is accepted; a failed QUIT does not undo that.
  (void)smtp.Expect("QUIT", "QUIT", 221, 221);
  return Status::Ok();
}

}  // namespace erpsync::server
