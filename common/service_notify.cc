#include "common/service_notify.h"

#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <string>

#include "common/log.h"

namespace erpsync {
namespace {

void NotifyOrWarn(std::string_view state) {
  const Status status = NotifyServiceManager(state);
  if (!status.ok()) ERPSYNC_LOG(kWarning) << status.message();
}

}  // namespace

Status NotifyServiceManager(std::string_view state) {
  const char* socket_name = std::getenv("NOTIFY_SOCKET");
  if (socket_name == nullptr || socket_name[0] == '\0') return Status::Ok();
  const std::string name = socket_name;
  sockaddr_un address{};
  address.sun_family = AF_UNIX;
  if ((name[0] != '/' && name[0] != '@') || name.size() > sizeof(address.sun_path) - 1) {
    return InvalidArgumentError("NOTIFY_SOCKET '" + name +
                                "' is neither an absolute path nor an @abstract socket name "
                                "that fits a socket address");
  }
  std::memcpy(address.sun_path, name.data(), name.size());
  // An abstract name starts with a NUL byte and is not NUL-terminated: its
  // length is the address's.
  if (name[0] == '@') address.sun_path[0] = '\0';
  const socklen_t length =
      static_cast<socklen_t>(offsetof(sockaddr_un, sun_path) + name.size() + (name[0] == '/'));
  const int fd = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  if (fd < 0) {
    return UnavailableError("notifying the service manager at " + name +
                            ": socket: " + std::strerror(errno));
  }
  const ssize_t sent = ::sendto(fd, state.data(), state.size(), MSG_NOSIGNAL,
                                reinterpret_cast<const sockaddr*>(&address), length);
  const int error = errno;
  ::close(fd);
  if (sent != static_cast<ssize_t>(state.size())) {
    return UnavailableError("notifying the service manager at " + name + ": " +
                            (sent < 0 ? std::strerror(error) : "short write"));
  }
  return Status::Ok();
}

void NotifyReady(std::string_view status) {
  NotifyOrWarn("READY=1\nSTATUS=" + std::string(status));
}

void NotifyReloading() {
  timespec now{};
  ::clock_gettime(CLOCK_MONOTONIC, &now);
  const long long usec = static_cast<long long>(now.tv_sec) * 1000000 + now.tv_nsec / 1000;
  NotifyOrWarn("RELOADING=1\nMONOTONIC_USEC=" + std::to_string(usec));
}

void NotifyReloaded() { NotifyOrWarn("READY=1"); }

void NotifyStopping() { NotifyOrWarn("STOPPING=1"); }

}  // namespace erpsync
