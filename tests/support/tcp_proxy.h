// TcpProxy: forwards loopback TCP connections from an ephemeral port to a
// target port, and can cut every live connection on demand (both sides see
// the connection reset) while still accepting new ones. For fault tests.
// Thread-safe.
#ifndef ERPSYNC_TESTS_SUPPORT_TCP_PROXY_H_
#define ERPSYNC_TESTS_SUPPORT_TCP_PROXY_H_

#include <atomic>
#include <cstdint>
#include <mutex>
#include <thread>
#include <vector>

namespace erpsync::testing {

class TcpProxy {
 public:
  explicit TcpProxy(int target_port);
  ~TcpProxy();
  TcpProxy(const TcpProxy&) = delete;
  TcpProxy& operator=(const TcpProxy&) = delete;

  int port() const { return port_; }
  // Resets every connection open now. Returns how many were cut.
  int CutAll();
  // Bytes forwarded from clients to the target so far.
  uint64_t bytes_up() const { return bytes_up_.load(); }
  int connections_accepted() const { return accepted_.load(); }

 private:
  struct Link {
    int client = -1;
    int server = -1;
  };
  void AcceptLoop();
  void Pump(int client, int server);

  int target_port_;
  int listener_ = -1;
  int port_ = 0;
  std::atomic<bool> stopping_{false};
  std::atomic<uint64_t> bytes_up_{0};
  std::atomic<int> accepted_{0};
  std::mutex mutex_;
  std::vector<Link> links_;
  std::vector<std::thread> pumps_;
  std::thread acceptor_;
};

}  // namespace erpsync::testing

#endif  // ERPSYNC_TESTS_SUPPORT_TCP_PROXY_H_
