#include "tests/support/smtp_sink.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/ssl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <cctype>

namespace erpsync::testing {
namespace {

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

std::string Base64Decode(const std::string& text) {
  if (text.empty() || text.size() % 4 != 0) return "";
  std::string out(text.size() / 4 * 3, '\0');
  const int n = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                reinterpret_cast<const unsigned char*>(text.data()),
                                static_cast<int>(text.size()));
  if (n < 0) return "";
  // EVP_DecodeBlock counts the padding as zero bytes.
  size_t padding = 0;
  while (padding < 2 && text[text.size() - 1 - padding] == '=') ++padding;
  out.resize(static_cast<size_t>(n) - padding);
  return out;
}

std::string Base64Encode(const std::string& text) {
  std::string out((text.size() + 2) / 3 * 4 + 1, '\0');
  const int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                reinterpret_cast<const unsigned char*>(text.data()),
                                static_cast<int>(text.size()));
  out.resize(static_cast<size_t>(n));
  return out;
}

}  // namespace

// One client connection: a socket, TLS on it once started, and the bytes
// read ahead.
class SmtpSink::Connection {
 public:
  explicit Connection(int fd) : fd_(fd) {}
  ~Connection() {
    if (ssl_ != nullptr) {
      SSL_shutdown(ssl_);
      SSL_free(ssl_);
    }
    close(fd_);
  }
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  bool tls() const { return ssl_ != nullptr; }

  // Starts TLS as the server; false when the handshake fails (the client
  // refused the certificate).
  bool StartTls(SSL_CTX* context) {
    buffer_.clear();  // RFC 3207: nothing read before TLS counts after it
    ssl_ = SSL_new(context);
    SSL_set_fd(ssl_, fd_);
    if (SSL_accept(ssl_) == 1) return true;
    ERR_clear_error();
    SSL_free(ssl_);
    ssl_ = nullptr;
    return false;
  }

  void SendLine(const std::string& line) {
    const std::string data = line + "\r\n";
    size_t sent = 0;
    while (sent < data.size()) {
      const ssize_t n =
          ssl_ != nullptr
              ? SSL_write(ssl_, data.data() + sent, static_cast<int>(data.size() - sent))
              : send(fd_, data.data() + sent, data.size() - sent, MSG_NOSIGNAL);
      if (n <= 0) return;
      sent += static_cast<size_t>(n);
    }
  }

  // Reads one CRLF-terminated line into *line; false at end of input.
  bool ReadLine(std::string* line) {
    while (true) {
      const size_t end = buffer_.find("\r\n");
      if (end != std::string::npos) {
        *line = buffer_.substr(0, end);
        buffer_.erase(0, end + 2);
        return true;
      }
      char chunk[4096];
      const ssize_t n = ssl_ != nullptr ? SSL_read(ssl_, chunk, sizeof(chunk))
                                        : recv(fd_, chunk, sizeof(chunk), 0);
      if (n <= 0) return false;
      buffer_.append(chunk, static_cast<size_t>(n));
    }
  }

 private:
  int fd_;
  SSL* ssl_ = nullptr;
  std::string buffer_;
};

SmtpSink::SmtpSink(Options options) : options_(std::move(options)) {
  if (options_.tls != Options::Tls::kNone) {
    SSL_CTX* context = SSL_CTX_new(TLS_server_method());
    tls_context_ = context;
    if (context == nullptr ||
        SSL_CTX_use_certificate_chain_file(context, options_.cert_file.c_str()) != 1 ||
        SSL_CTX_use_PrivateKey_file(context, options_.key_file.c_str(), SSL_FILETYPE_PEM) != 1) {
      ADD_FAILURE() << "SmtpSink cannot use certificate " << options_.cert_file << " and key "
                    << options_.key_file;
      return;
    }
  }
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
  SSL_CTX_free(static_cast<SSL_CTX*>(tls_context_));
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

std::vector<std::string> SmtpSink::commands_in_clear() const {
  MutexLock lock(mu_);
  return commands_in_clear_;
}

int SmtpSink::auth_failures() const {
  MutexLock lock(mu_);
  return auth_failures_;
}

void SmtpSink::Run() {
  // Writing to a client that hung up (SSL_write, which cannot pass
  // MSG_NOSIGNAL) gives EPIPE in this thread rather than ending the test
  // binary with SIGPIPE.
  sigset_t pipe;
  sigemptyset(&pipe);
  sigaddset(&pipe, SIGPIPE);
  pthread_sigmask(SIG_BLOCK, &pipe, nullptr);
  while (true) {
    pollfd fds[2] = {{listen_fd_, POLLIN, 0}, {wake_fd_[0], POLLIN, 0}};
    if (poll(fds, 2, -1) < 0) continue;
    if (fds[1].revents != 0) return;
    const int fd = accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
    if (fd < 0) continue;
    // A client that goes silent does not hold the sink for ever.
    timeval timeout{};
    timeout.tv_sec = 30;
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof(timeout));
    Connection connection(fd);
    if (options_.tls == Options::Tls::kImplicit &&
        !connection.StartTls(static_cast<SSL_CTX*>(tls_context_))) {
      continue;
    }
    Serve(connection);
  }
}

std::string SmtpSink::Authenticate(Connection& connection, const std::string& line,
                                   std::string* user) {
  // "AUTH PLAIN [initial-response]" or "AUTH LOGIN [initial-response]".
  std::vector<std::string> words;
  size_t start = 0;
  while (start < line.size()) {
    const size_t end = line.find(' ', start);
    words.push_back(line.substr(start, end == std::string::npos ? end : end - start));
    if (end == std::string::npos) break;
    start = end + 1;
  }
  const std::string mechanism = words.size() > 1 ? Upper(words[1]) : "";
  const bool offered = (" " + Upper(options_.auth_mechanisms) + " ").find(" " + mechanism + " ") !=
                       std::string::npos;
  if (options_.user.empty() || mechanism.empty() || !offered) {
    return "504 5.5.4 mechanism not supported";
  }
  // Reads one response line of the exchange after a 334 challenge.
  auto challenge = [&](const std::string& prompt, std::string* response) {
    connection.SendLine("334 " + prompt);
    return connection.ReadLine(response) && *response != "*";
  };
  std::string name;
  std::string password;
  if (mechanism == "PLAIN") {
    std::string response = words.size() > 2 ? words[2] : "";
    if (response.empty() && !challenge("", &response)) return "501 5.7.0 AUTH cancelled";
    // authzid NUL authcid NUL passwd
    const std::string decoded = Base64Decode(response);
    const size_t first = decoded.find('\0');
    const size_t second = first == std::string::npos ? first : decoded.find('\0', first + 1);
    if (second == std::string::npos) return "501 5.5.2 cannot decode AUTH PLAIN";
    name = decoded.substr(first + 1, second - first - 1);
    password = decoded.substr(second + 1);
  } else {
    std::string response = words.size() > 2 ? words[2] : "";
    if (response.empty() && !challenge(Base64Encode("Username:"), &response)) {
      return "501 5.7.0 AUTH cancelled";
    }
    name = Base64Decode(response);
    if (!challenge(Base64Encode("Password:"), &response)) return "501 5.7.0 AUTH cancelled";
    password = Base64Decode(response);
  }
  if (name != options_.user || password != options_.password) {
    MutexLock lock(mu_);
    ++auth_failures_;
    return "535 5.7.8 Authentication credentials invalid";
  }
  *user = name;
  return "235 2.7.0 Authentication successful";
}

void SmtpSink::Serve(Connection& connection) {
  std::string line;
  Message message;
  std::string user;
  if (options_.silent) {
    // Until the client gives up.
    while (connection.ReadLine(&line)) {
    }
    return;
  }
  connection.SendLine("220 sink.test ESMTP test sink");
  while (connection.ReadLine(&line)) {
    if (!connection.tls()) {
      MutexLock lock(mu_);
      commands_in_clear_.push_back(line);
    }
    const std::string command = Upper(line.substr(0, line.find(' ')));
    const std::string upper = Upper(line);
    if (command == "EHLO") {
      if (options_.tls == Options::Tls::kStartTls && !connection.tls()) {
        connection.SendLine("250-STARTTLS");
      }
      if (!options_.user.empty() && !options_.auth_mechanisms.empty()) {
        connection.SendLine("250-AUTH " + options_.auth_mechanisms);
      }
      connection.SendLine("250 sink.test");
    } else if (command == "HELO") {
      connection.SendLine("250 sink.test");
    } else if (command == "STARTTLS" && options_.tls == Options::Tls::kStartTls &&
               !connection.tls()) {
      connection.SendLine("220 2.0.0 ready to start TLS");
      if (!connection.StartTls(static_cast<SSL_CTX*>(tls_context_))) return;
      // RFC 3207: the client starts again with EHLO.
      user.clear();
    } else if (command == "AUTH") {
      connection.SendLine(Authenticate(connection, line, &user));
    } else if (upper.starts_with("MAIL FROM:")) {
      if (!options_.user.empty() && user.empty()) {
        connection.SendLine("530 5.7.0 Authentication required");
        continue;
      }
      MutexLock lock(mu_);
      if (fail_next_ > 0) {
        --fail_next_;
        ++refused_;
        connection.SendLine("451 4.3.0 try again later");
        continue;
      }
      message = Message{Address(line), {}, "", connection.tls(), user};
      connection.SendLine("250 2.1.0 ok");
    } else if (upper.starts_with("RCPT TO:")) {
      message.to.push_back(Address(line));
      connection.SendLine("250 2.1.5 ok");
    } else if (command == "DATA") {
      connection.SendLine("354 end with <CRLF>.<CRLF>");
      std::string data;
      while (connection.ReadLine(&line) && line != ".") {
        data += (line.starts_with("..") ? line.substr(1) : line) + "\r\n";
      }
      message.data = data;
      {
        MutexLock lock(mu_);
        messages_.push_back(message);
      }
      changed_.NotifyAll();
      connection.SendLine("250 2.0.0 queued");
    } else if (command == "RSET" || command == "NOOP") {
      connection.SendLine("250 ok");
    } else if (command == "QUIT") {
      connection.SendLine("221 bye");
      return;
    } else {
      connection.SendLine("502 5.5.2 command not recognized");
    }
  }
}

}  // namespace erpsync::testing
