// PidLock: an exclusive, advisory lock on a file (flock) that holds the
// owner's pid, taken without waiting and released when the object goes or
// the process dies. What keeps two processes off one directory: the agent's
// state dir, the server's SQLite data dir. Movable, not copyable.
#ifndef ERPSYNC_COMMON_PID_LOCK_H_
#define ERPSYNC_COMMON_PID_LOCK_H_

#include <string>

#include "common/status.h"

namespace erpsync {

class PidLock {
 public:
  // Takes the lock on `path` (created 0600 when missing). When another
  // process holds it: FAILED_PRECONDITION "PATH is held by pid N" (or "by
  // another process" when the file names none), and *holder (when given)
  // is set to that pid ("" when unknown). INTERNAL when the file cannot be
  // opened.
  static Result<PidLock> TryAcquire(const std::string& path, std::string* holder = nullptr);

  PidLock(PidLock&& other) noexcept : fd_(other.fd_) { other.fd_ = -1; }
  PidLock& operator=(PidLock&& other) noexcept;
  PidLock(const PidLock&) = delete;
  PidLock& operator=(const PidLock&) = delete;
  ~PidLock();

 private:
  explicit PidLock(int fd) : fd_(fd) {}
  int fd_ = -1;
};

}  // namespace erpsync

#endif  // ERPSYNC_COMMON_PID_LOCK_H_
