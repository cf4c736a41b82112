// NotifySocket: a stand-in for systemd's notification socket
// (common/service_notify.h) in tests: a datagram socket bound at a path;
// a daemon started with NOTIFY_SOCKET set to that path sends it READY=1,
// RELOADING=1, STOPPING=1. Not thread-safe.
#ifndef ERPSYNC_TESTS_SUPPORT_NOTIFY_SOCKET_H_
#define ERPSYNC_TESTS_SUPPORT_NOTIFY_SOCKET_H_

#include <chrono>
#include <optional>
#include <string>

namespace erpsync::testing {

class NotifySocket {
 public:
  // Binds a datagram socket at `path` (a new file), or in the abstract
  // namespace when `path` starts with a NUL byte. Fails the test when it
  // cannot.
  explicit NotifySocket(std::string path);
  ~NotifySocket();
  NotifySocket(const NotifySocket&) = delete;
  NotifySocket& operator=(const NotifySocket&) = delete;

  const std::string& path() const { return path_; }
  // The next datagram, waiting at most `timeout`; nullopt when none came.
  std::optional<std::string> Receive(std::chrono::milliseconds timeout);

 private:
  std::string path_;
  int fd_ = -1;
};

}  // namespace erpsync::testing

#endif  // ERPSYNC_TESTS_SUPPORT_NOTIFY_SOCKET_H_
