// StateLock: an exclusive lock on the agent's state directory (flock on
// state_dir/agent.lock holding the owner's pid), so two syncs of one
// connection never run at once, whether from `erpsync-agent run` or a
// manual `erpsync-agent sync`. Released when destroyed (or when the process
// dies). Movable, not copyable.
#ifndef ERPSYNC_AGENT_STATE_STATE_LOCK_H_
#define ERPSYNC_AGENT_STATE_STATE_LOCK_H_

#include <atomic>
#include <functional>
#include <string>
#include <utility>

#include "common/pid_lock.h"
#include "common/status.h"

namespace erpsync::agent {

class StateLock {
 public:
  // Takes the lock without waiting. FAILED_PRECONDITION "another
  // erpsync-agent (pid N) is syncing with state dir D" when it is held;
  // INTERNAL when the lock file cannot be opened.
  static Result<StateLock> TryAcquire(const std::string& state_dir);
  // Takes the lock, waiting while another erpsync-agent holds it (the
  // service in the middle of a sync): `waiting` is called once, with
  // TryAcquire's message, before the wait begins. CANCELLED when `stop`
  // (may be null) is set while waiting; INTERNAL as TryAcquire.
  static Result<StateLock> Acquire(const std::string& state_dir, const std::atomic<bool>* stop,
                                   const std::function<void(const std::string&)>& waiting);

  StateLock(StateLock&&) noexcept = default;
  StateLock& operator=(StateLock&&) noexcept = default;

 private:
  explicit StateLock(PidLock lock) : lock_(std::move(lock)) {}
  PidLock lock_;
};

}  // namespace erpsync::agent

#endif  // ERPSYNC_AGENT_STATE_STATE_LOCK_H_
