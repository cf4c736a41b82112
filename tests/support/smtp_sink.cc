#include "tests/support/smtp_sink.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cctype>

namespace erpsync::testing {
namespace {

void SendLine(int fd, const std::string& line) {
  const std::string data = line + "\r\n";
  size_t sent = 0;
  while (sent < data.size()) {
    const ssize_t n = send(fd, data.data() + sent, data.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) return;
    sent += static_cast<size_t>(n);
  }
}

// Reads one CRLF-terminated line into *line; false at end of input.
bool ReadLine(int fd, std::string* buffer, std::string* line) {
  while (true) {
    const size_t end = buffer->find("\r\n");
    if (end != std::string::npos) {
      *line = buffer->substr(0, end);
      buffer->erase(0, end + 2);
      return true;
    }
    char chunk[4096];
    const ssize_t n = recv(fd, chunk, sizeof(chunk), 0);
    if (n <= 0) return false;
    buffer->append(chunk, static_cast<size_t>(n));
  }
}

std::string Upper(const std::string& text) {
  std::string upper = text;
  for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return upper;
}

// "<a@b>" of "MAIL FROM:<a@b>".
std::string Address(const std::string& command) {
  const size_t open = command.find('<');
  const size_t close = command.find('>');
  if (open == std::string::npos || close == std::string::npos || close < open) return "";
  return command.substr(open + 1, close - open - 1);
}

}  // namespace

SmtpSink::SmtpSink() {
  listen_fd_ = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof(address);
  if (listen_fd_ < 0 || bind(listen_fd_, reinterpret_cast<sockaddr*>(&address), length) != 0 ||
      listen(listen_fd_, 16) != 0 ||
      getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&address), &length) != 0 ||
      pipe2(wake_fd_, O_CLOEXEC) != 0) {
    ADD_FAILURE() << "SmtpSink cannot listen on 127.0.0.1";
    return;
  }
  port_ = ntohs(address.sin_port);
  thread_ = std::thread([this] { Run(); });
}

SmtpSink::~SmtpSink() {
  if (thread_.joinable()) {
    const char stop = 'x';
    // (A pipe with room: the write cannot fail short of a bug.)
    if (write(wake_fd_[1], &stop, 1) != 1) ADD_FAILURE() << "SmtpSink cannot wake its thread";
    thread_.join();
  }
  for (const int fd : {listen_fd_, wake_fd_[0], wake_fd_[1]}) {
    if (fd >= 0) close(fd);
  }
}

void SmtpSink::FailNext(int count) {
  MutexLock lock(mu_);
  fail_next_ = count;
}

bool SmtpSink::WaitForMessages(size_t count, std::chrono::milliseconds timeout) {
  MutexLock lock(mu_);
  return changed_.WaitFor(mu_, timeout,
                          [&]() ERPSYNC_REQUIRES(mu_) { return messages_.size() >= count; });
}

std::vector<SmtpSink::Message> SmtpSink::messages() const {
  MutexLock lock(mu_);
  return messages_;
}

int SmtpSink::refused() const {
  MutexLock lock(mu_);
  return refused_;
}

void SmtpSink::Run() {
  while (true) {
    pollfd fds[2] = {{listen_fd_, POLLIN, 0}, {wake_fd_[0], POLLIN, 0}};
    if (poll(fds, 2, -1) < 0) continue;
    if (fds[1].revents != 0) return;
    const int fd = accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
    if (fd < 0) continue;
    Serve(fd);
    close(fd);
  }
}

void SmtpSink::Serve(int fd) {
  std::string buffer;
  std::string line;
  Message message;
  SendLine(fd, "220 sink.test ESMTP test sink");
  while (ReadLine(fd, &buffer, &line)) {
    const std::string command = Upper(line.substr(0, line.find(' ')));
    const std::string upper = Upper(line);
    if (command == "EHLO" || command == "HELO") {
      SendLine(fd, "250 sink.test");
    } else if (upper.starts_with("MAIL FROM:")) {
      MutexLock lock(mu_);
      if (fail_next_ > 0) {
        --fail_next_;
        ++refused_;
        SendLine(fd, "451 4.3.0 try again later");
        continue;
      }
      message = Message{Address(line), {}, ""};
      SendLine(fd, "250 2.1.0 ok");
    } else if (upper.starts_with("RCPT TO:")) {
      message.to.push_back(Address(line));
      SendLine(fd, "250 2.1.5 ok");
    } else if (command == "DATA") {
      SendLine(fd, "354 end with <CRLF>.<CRLF>");
      std::string data;
      while (ReadLine(fd, &buffer, &line) && line != ".") {
        data += (line.starts_with("..") ? line.substr(1) : line) + "\r\n";
      }
      message.data = data;
      {
        MutexLock lock(mu_);
        messages_.push_back(message);
      }
      changed_.NotifyAll();
      SendLine(fd, "250 2.0.0 queued");
    } else if (command == "RSET" || command == "NOOP") {
      SendLine(fd, "250 ok");
    } else if (command == "QUIT") {
      SendLine(fd, "221 bye");
      return;
    } else {
      SendLine(fd, "502 5.5.2 command not recognized");
    }
  }
}

}  // namespace erpsync::testing
