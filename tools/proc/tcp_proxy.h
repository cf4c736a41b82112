// TcpProxy: forwards loopback TCP connections from an ephemeral port on
// 127.0.0.1 to a target port, counting the bytes delivered each way (what a
// client sends is what would cross the WAN), and can cut every live
// connection on demand (both sides see the connection reset) while still
// accepting new ones. A side's orderly close is passed on as a half-close,
// so nothing in flight the other way is lost. Both of its sockets of a connection have TCP_NODELAY,
// so it adds no Nagle delays to small writes (acknowledgements). For fault
// tests and benchmarks. Thread-safe.
#ifndef ERPSYNC_TOOLS_PROC_TCP_PROXY_H_
#define ERPSYNC_TOOLS_PROC_TCP_PROXY_H_

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <thread>
#include <vector>

#include "common/mutex.h"
#include "common/status.h"
#include "common/thread_annotations.h"

namespace erpsync::proc {

class TcpProxy {
 public:
  // Listens on 127.0.0.1 (ephemeral port) and forwards each accepted
  // connection to 127.0.0.1:`target_port`. UNAVAILABLE when it cannot listen.
  static Result<std::unique_ptr<TcpProxy>> Start(int target_port);
  // Stops accepting, resets the live connections and joins its threads.
  ~TcpProxy();
  TcpProxy(const TcpProxy&) = delete;
  TcpProxy& operator=(const TcpProxy&) = delete;

  int port() const { return port_; }
  // Resets every connection open now. Returns how many were cut.
  int CutAll() ERPSYNC_EXCLUDES(mutex_);
  // Waits until no connection is open (each has ended both ways or was
  // cut), so the byte counts are final for connections whose peers have
  // closed. False when `timeout` passed first.
  bool WaitIdle(std::chrono::milliseconds timeout) ERPSYNC_EXCLUDES(mutex_);
  // Bytes forwarded from clients to the target so far.
  uint64_t bytes_up() const { return bytes_up_.load(); }
  // Bytes forwarded from the target to clients so far.
  uint64_t bytes_down() const { return bytes_down_.load(); }
  int connections_accepted() const { return accepted_.load(); }

 private:
  struct Link {
    int client = -1;
    int server = -1;
  };
  explicit TcpProxy(int target_port) : target_port_(target_port) {}
  void AcceptLoop() ERPSYNC_EXCLUDES(mutex_);
  void Pump(int client, int server) ERPSYNC_EXCLUDES(mutex_);

  int target_port_;
  int listener_ = -1;
  int port_ = 0;
  std::atomic<bool> stopping_{false};
  std::atomic<uint64_t> bytes_up_{0};
  std::atomic<uint64_t> bytes_down_{0};
  std::atomic<int> accepted_{0};
  Mutex mutex_;
  // Notified whenever links_ shrinks.
  CondVar idle_;
  std::vector<Link> links_ ERPSYNC_GUARDED_BY(mutex_);
  // Joined by the destructor once the acceptor, which adds them, has ended.
  std::vector<std::thread> pumps_ ERPSYNC_GUARDED_BY(mutex_);
  std::thread acceptor_;
};

}  // namespace erpsync::proc

#endif  // ERPSYNC_TOOLS_PROC_TCP_PROXY_H_
