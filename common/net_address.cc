#include "common/net_address.h"

#include <arpa/inet.h>
#include <netdb.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
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

std::optional<int> PortOf(std::string_view address) {
  const size_t colon = address.rfind(':');
  if (colon == std::string_view::npos) return std::nullopt;
  // A bare IPv6 address (colons, no brackets) has no port.
  if (address.front() != '[' && address.find(':') != colon) return std::nullopt;
  if (address.front() == '[' && (colon == 0 || address[colon - 1] != ']')) return std::nullopt;
  const std::string_view digits = address.substr(colon + 1);
  if (digits.empty() || digits.size() > 5 ||
      digits.find_first_not_of("0123456789") != std::string_view::npos) {
    return std::nullopt;
  }
  const int port = std::stoi(std::string(digits));
  if (port > 65535) return std::nullopt;
  return port;
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

Result<std::vector<std::string>> SplitAddressList(std::string_view list) {
  std::vector<std::string> addresses;
  size_t start = 0;
  while (true) {
    const size_t comma = list.find(',', start);
    std::string_view entry = list.substr(start, comma == list.npos ? list.npos : comma - start);
    while (!entry.empty() && entry.front() == ' ') entry.remove_prefix(1);
    while (!entry.empty() && entry.back() == ' ') entry.remove_suffix(1);
    if (entry.empty()) {
      return InvalidArgumentError("'" + std::string(list) + "' has an empty address");
    }
    const std::string host = HostOf(entry);
    if (host.size() == entry.size() || (entry.front() == '[' && entry.find("]:") == entry.npos)) {
      return InvalidArgumentError("'" + std::string(entry) + "' is not host:port");
    }
    addresses.emplace_back(entry);
    if (comma == list.npos) break;
    start = comma + 1;
  }
  return addresses;
}

bool IsLoopbackAddressList(std::string_view list) {
  Result<std::vector<std::string>> addresses = SplitAddressList(list);
  if (!addresses.ok()) return IsLoopbackAddress(list);
  for (const std::string& address : *addresses) {
    if (!IsLoopbackAddress(address)) return false;
  }
  return true;
}

Result<std::vector<std::string>> ResolveAddresses(const std::vector<std::string>& addresses) {
  std::vector<std::string> resolved;
  std::string failures;
  for (const std::string& address : addresses) {
    const std::string host = HostOf(address);
    const std::string port = address.substr(address.rfind(':') + 1);
    addrinfo hints{};
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_NUMERICSERV;
    addrinfo* found = nullptr;
    const int error = ::getaddrinfo(host.c_str(), port.c_str(), &hints, &found);
    if (error != 0) {
      failures += (failures.empty() ? "" : "; ") + host + ": " + ::gai_strerror(error);
      continue;
    }
    std::vector<std::string> v4;
    std::vector<std::string> v6;
    for (addrinfo* candidate = found; candidate != nullptr; candidate = candidate->ai_next) {
      char text[INET6_ADDRSTRLEN] = {};
      if (candidate->ai_family == AF_INET) {
        const auto* in = reinterpret_cast<const sockaddr_in*>(candidate->ai_addr);
        ::inet_ntop(AF_INET, &in->sin_addr, text, sizeof(text));
        v4.push_back(std::string(text) + ":" + port);
      } else if (candidate->ai_family == AF_INET6) {
        const auto* in6 = reinterpret_cast<const sockaddr_in6*>(candidate->ai_addr);
        ::inet_ntop(AF_INET6, &in6->sin6_addr, text, sizeof(text));
        v6.push_back("[" + std::string(text) + "]:" + port);
      }
    }
    ::freeaddrinfo(found);
    for (const std::vector<std::string>* family : {&v4, &v6}) {
      for (const std::string& ip : *family) {
        if (std::find(resolved.begin(), resolved.end(), ip) == resolved.end()) {
          resolved.push_back(ip);
        }
      }
    }
  }
  if (resolved.empty()) return UnavailableError("no address resolves: " + failures);
  return resolved;
}

}  // namespace erpsync
