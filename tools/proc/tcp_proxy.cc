#include "tools/proc/tcp_proxy.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <string>

namespace erpsync::proc {
namespace {

sockaddr_in Loopback(int port) {
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<uint16_t>(port));
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  return address;
}

void NoDelay(int fd) {
  int yes = 1;
  setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &yes, sizeof(yes));
}

// Closes with RST rather than FIN, like a dropped link or a firewall.
void Reset(int fd) {
  linger option{1, 0};
  setsockopt(fd, SOL_SOCKET, SO_LINGER, &option, sizeof(option));
  shutdown(fd, SHUT_RDWR);
}

}  // namespace

Result<std::unique_ptr<TcpProxy>> TcpProxy::Start(int target_port) {
  std::unique_ptr<TcpProxy> proxy(new TcpProxy(target_port));
  proxy->listener_ = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (proxy->listener_ < 0) {
    return UnavailableError(std::string("TcpProxy: socket: ") + std::strerror(errno));
  }
  int yes = 1;
  setsockopt(proxy->listener_, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof(yes));
  sockaddr_in address = Loopback(0);
  if (bind(proxy->listener_, reinterpret_cast<sockaddr*>(&address), sizeof(address)) != 0 ||
      listen(proxy->listener_, 128) != 0) {
    return UnavailableError(std::string("TcpProxy: cannot listen on 127.0.0.1: ") +
                            std::strerror(errno));
  }
  socklen_t length = sizeof(address);
  getsockname(proxy->listener_, reinterpret_cast<sockaddr*>(&address), &length);
  proxy->port_ = ntohs(address.sin_port);
  TcpProxy* raw = proxy.get();
  proxy->acceptor_ = std::thread([raw] { raw->AcceptLoop(); });
  return proxy;
}

TcpProxy::~TcpProxy() {
  stopping_.store(true);
  if (listener_ >= 0) shutdown(listener_, SHUT_RDWR);
  if (acceptor_.joinable()) acceptor_.join();
  CutAll();
  for (std::thread& pump : pumps_) pump.join();
  if (listener_ >= 0) close(listener_);
}

void TcpProxy::AcceptLoop() {
  while (!stopping_.load()) {
    pollfd wait{listener_, POLLIN, 0};
    if (poll(&wait, 1, 100) <= 0) continue;
    const int client = accept4(listener_, nullptr, nullptr, SOCK_CLOEXEC);
    if (client < 0) continue;
    const int server = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in target = Loopback(target_port_);
    if (connect(server, reinterpret_cast<sockaddr*>(&target), sizeof(target)) != 0) {
      Reset(client);
      close(client);
      close(server);
      continue;
    }
    NoDelay(client);
    NoDelay(server);
    ++accepted_;
    MutexLock lock(mutex_);
    links_.push_back(Link{client, server});
    pumps_.emplace_back([this, client, server] { Pump(client, server); });
  }
}

// Forwards both directions until both have ended. An end of stream on one
// side is passed on as a half-close (shutdown SHUT_WR) of the other, so what
// is still in flight the other way is delivered; a read or write error
// resets both sides.
void TcpProxy::Pump(int client, int server) {
  std::vector<char> buffer(64 * 1024);
  pollfd fds[2] = {{client, POLLIN, 0}, {server, POLLIN, 0}};
  bool failed = false;
  while (!failed && (fds[0].fd >= 0 || fds[1].fd >= 0)) {
    if (poll(fds, 2, 200) < 0) {
      if (errno == EINTR) continue;
      failed = true;
      break;
    }
    for (int i = 0; i < 2 && !failed; ++i) {
      if (fds[i].fd < 0 || (fds[i].revents & (POLLIN | POLLHUP | POLLERR)) == 0) continue;
      const int to = i == 0 ? server : client;
      const ssize_t n = read(fds[i].fd, buffer.data(), buffer.size());
      if (n == 0) {
        shutdown(to, SHUT_WR);
        fds[i].fd = -1;  // poll() skips it from now on
        continue;
      }
      if (n < 0) {
        failed = errno != EINTR && errno != EAGAIN;
        continue;
      }
      ssize_t sent = 0;
      while (sent < n) {
        // MSG_NOSIGNAL: a peer that is gone (a cut) is an error, not SIGPIPE.
        const ssize_t w =
            send(to, buffer.data() + sent, static_cast<size_t>(n - sent), MSG_NOSIGNAL);
        if (w < 0 && errno == EINTR) continue;
        if (w <= 0) {
          failed = true;
          break;
        }
        sent += w;
      }
      (i == 0 ? bytes_up_ : bytes_down_) += static_cast<uint64_t>(sent);
    }
  }
  {
    MutexLock lock(mutex_);
    const auto it = std::find_if(links_.begin(), links_.end(),
                                 [&](const Link& link) { return link.client == client; });
    if (it != links_.end()) {
      if (failed) {
        Reset(client);
        Reset(server);
      }
      links_.erase(it);
    }
    close(client);
    close(server);
  }
  idle_.NotifyAll();
}

bool TcpProxy::WaitIdle(std::chrono::milliseconds timeout) {
  MutexLock lock(mutex_);
  return idle_.WaitFor(mutex_, timeout,
                       [this]() ERPSYNC_REQUIRES(mutex_) { return links_.empty(); });
}

int TcpProxy::CutAll() {
  MutexLock lock(mutex_);
  for (const Link& link : links_) {
    Reset(link.client);
    Reset(link.server);
  }
  const int cut = static_cast<int>(links_.size());
  links_.clear();
  idle_.NotifyAll();
  return cut;
}

}  // namespace erpsync::proc
