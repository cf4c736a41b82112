#include "common/pid_lock.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace erpsync {

Result<PidLock> PidLock::TryAcquire(const std::string& path, std::string* holder) {
  const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0) return InternalError("cannot open " + path + ": " + std::strerror(errno));
  if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
    char pid[32] = {};
    const ssize_t n = ::pread(fd, pid, sizeof(pid) - 1, 0);
    ::close(fd);
    std::string owner = n > 0 ? std::string(pid, static_cast<size_t>(n)) : "";
    while (!owner.empty() && (owner.back() == '\n' || owner.back() == ' ')) owner.pop_back();
    if (holder != nullptr) *holder = owner;
    return FailedPreconditionError(path + " is held by " +
                                   (owner.empty() ? "another process" : "pid " + owner));
  }
  const std::string pid = std::to_string(::getpid()) + "\n";
  if (::ftruncate(fd, 0) != 0 || ::pwrite(fd, pid.data(), pid.size(), 0) < 0) {
    // The pid is informative only; the lock itself is held.
  }
  return PidLock(fd);
}

PidLock& PidLock::operator=(PidLock&& other) noexcept {
  if (this != &other) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = other.fd_;
    other.fd_ = -1;
  }
  return *this;
}

PidLock::~PidLock() {
  if (fd_ >= 0) ::close(fd_);  // closing releases the flock
}

}  // namespace erpsync
