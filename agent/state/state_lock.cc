#include "agent/state/state_lock.h"

#include <chrono>
#include <thread>

#include "common/private_files.h"

namespace erpsync::agent {

Result<StateLock> StateLock::TryAcquire(const std::string& state_dir) {
  ERPSYNC_RETURN_IF_ERROR(CheckNotRootInOthersDirectory(state_dir, "the agent state directory"));
  ERPSYNC_RETURN_IF_ERROR(CreatePrivateDirectory(state_dir));
  std::string pid;
  Result<PidLock> lock = PidLock::TryAcquire(state_dir + "/agent.lock", &pid);
  if (lock.status().code() == StatusCode::kFailedPrecondition) {
    return FailedPreconditionError("another erpsync-agent" +
                                   (pid.empty() ? std::string() : " (pid " + pid + ")") +
                                   " is syncing with state dir " + state_dir +
                                   "; two syncs of one connection never run at once");
  }
  if (!lock.ok()) return lock.status();
  return StateLock(*std::move(lock));
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

}  // namespace erpsync::agent
