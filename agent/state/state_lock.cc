#include "agent/state/state_lock.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <thread>

#include "common/private_files.h"

namespace erpsync::agent {

Result<StateLock> StateLock::TryAcquire(const std::string& state_dir) {
  ERPSYNC_RETURN_IF_ERROR(CheckNotRootInOthersDirectory(state_dir, "the agent state directory"));
  ERPSYNC_RETURN_IF_ERROR(CreatePrivateDirectory(state_dir));
  const std::string path = state_dir + "/agent.lock";
  const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0) return InternalError("cannot open " + path + ": " + std::strerror(errno));
  if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
    char pid[32] = {};
    const ssize_t n = ::pread(fd, pid, sizeof(pid) - 1, 0);
    ::close(fd);
    std::string owner = n > 0 ? std::string(pid, static_cast<size_t>(n)) : "";
    while (!owner.empty() && (owner.back() == '\n' || owner.back() == ' ')) owner.pop_back();
    return FailedPreconditionError("another erpsync-agent" +
                                   (owner.empty() ? std::string() : " (pid " + owner + ")") +
                                   " is syncing with state dir " + state_dir +
                                   "; two syncs of one connection never run at once");
  }
  const std::string pid = std::to_string(::getpid()) + "\n";
  if (::ftruncate(fd, 0) != 0 || ::pwrite(fd, pid.data(), pid.size(), 0) < 0) {
    // The pid is informative only; the lock itself is held.
  }
  return StateLock(fd);
}

Result<StateLock> StateLock::Acquire(const std::string& state_dir, const std::atomic<bool>* stop,
                                     const std::function<void(const std::string&)>& waiting) {
  bool told = false;
  while (true) {
    Result<StateLock> lock = TryAcquire(state_dir);
    if (lock.ok() || lock.status().code() != StatusCode::kFailedPrecondition) return lock;
    if (!told) {
      waiting(lock.status().message());
      told = true;
    }
    // flock has no timed wait; a short poll keeps the stop flag honoured.
    for (int i = 0; i < 10; ++i) {
      if (stop != nullptr && stop->load()) {
        return CancelledError("stopped while waiting for the state directory " + state_dir);
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
  }
}

StateLock& StateLock::operator=(StateLock&& other) noexcept {
  if (this != &other) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = other.fd_;
    other.fd_ = -1;
  }
  return *this;
}

StateLock::~StateLock() {
  if (fd_ >= 0) ::close(fd_);  // closing releases the flock
}

}  // namespace erpsync::agent
