// The fault tests' view of tools/proc/tcp_proxy.h: the same loopback proxy
// (forwards to a target port, counts bytes, cuts connections on demand),
// failing the test when it cannot listen. Thread-safe.
#ifndef ERPSYNC_TESTS_SUPPORT_TCP_PROXY_H_
#define ERPSYNC_TESTS_SUPPORT_TCP_PROXY_H_

#include <cstdint>
#include <memory>

#include "tools/proc/tcp_proxy.h"

namespace erpsync::testing {

class TcpProxy {
 public:
  explicit TcpProxy(int target_port);
  TcpProxy(const TcpProxy&) = delete;
  TcpProxy& operator=(const TcpProxy&) = delete;

  int port() const { return proxy_ ? proxy_->port() : 0; }
  // Resets every connection open now. Returns how many were cut.
  int CutAll() { return proxy_ ? proxy_->CutAll() : 0; }
  // Bytes forwarded from clients to the target so far.
  uint64_t bytes_up() const { return proxy_ ? proxy_->bytes_up() : 0; }
  int connections_accepted() const { return proxy_ ? proxy_->connections_accepted() : 0; }

 private:
  std::unique_ptr<proc::TcpProxy> proxy_;
};

}  // namespace erpsync::testing

#endif  // ERPSYNC_TESTS_SUPPORT_TCP_PROXY_H_
