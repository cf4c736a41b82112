#include "common/net_address.h"

#include <arpa/inet.h>
#include <netdb.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace erpsync {

std::string HostOf(std::string_view address) {
  if (!address.empty() && address.front() == '[') {
    const size_t close = address.find(']');
    return std::string(address.substr(1, close == std::string_view::npos ? address.npos : close - 1));
  }
  const size_t colon = address.rfind(':');
  // More than one colon without brackets: a bare IPv6 address, no port.
  if (colon == std::string_view::npos || address.find(':') != colon) return std::string(address);
  return std::string(address.substr(0, colon));
}

bool IsLoopbackAddress(std::string_view address) {
  if (address.starts_with("unix:") || address.starts_with("unix-abstract:")) return true;
  const std::string host = HostOf(address);
  if (host == "localhost") return true;
  in_addr v4{};
  if (::inet_pton(AF_INET, host.c_str(), &v4) == 1) return (ntohl(v4.s_addr) >> 24) == 127;
  in6_addr v6{};
  if (::inet_pton(AF_INET6, host.c_str(), &v6) == 1) return IN6_IS_ADDR_LOOPBACK(&v6);
  return false;
}

Status CheckCanListen(const std::string& address) {
  if (address.starts_with("unix")) return Status::Ok();
  const size_t colon = address.rfind(':');
  if (colon == std::string::npos) return InvalidArgumentError("'" + address + "' is not host:port");
  const std::string port = address.substr(colon + 1);
  if (port == "0") return Status::Ok();
  std::string host = HostOf(address);
  addrinfo hints{};
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
  addrinfo* found = nullptr;
  const int resolved =
      ::getaddrinfo(host.empty() ? nullptr : host.c_str(), port.c_str(), &hints, &found);
  if (resolved != 0) {
    return UnavailableError("cannot listen on " + address + ": " + ::gai_strerror(resolved));
  }
  Status status = Status::Ok();
  for (addrinfo* candidate = found; candidate != nullptr; candidate = candidate->ai_next) {
    const int fd = ::socket(candidate->ai_family, candidate->ai_socktype | SOCK_CLOEXEC, 0);
    if (fd < 0) continue;
    const int on = 1;
    ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof(on));
    const int bound = ::bind(fd, candidate->ai_addr, candidate->ai_addrlen);
    const int error = errno;
    ::close(fd);
    if (bound == 0) continue;
    std::string reason = std::strerror(error);
    if (error == EADDRINUSE) reason = "address already in use (another server is listening there)";
    if (error == EADDRNOTAVAIL) reason = "not an address of this host";
    if (error == EACCES) {
      reason = "permission denied (ports below 1024 need CAP_NET_BIND_SERVICE)";
    }
    status = UnavailableError("cannot listen on " + address + ": " + reason);
    break;
  }
  ::freeaddrinfo(found);
  return status;
}

}  // namespace erpsync
