// ControlPresence: this server's holds on the agents' control channels in
// the store (AgentControlStore::HoldControlChannel), so that every server of
// a shared store tells users which agents are connected, whichever server
// their channel is on. The hub holds a channel when it registers and
// releases it when it goes; a thread renews the holds every third of the
// lease, so the holds of a server that died run out within one lease.
//
// Presence is information: a store failure is logged (once, until it works
// again) and never passed on; the channel works without it.
// Thread-safe.
#ifndef ERPSYNC_SERVER_SYNC_CONTROL_PRESENCE_H_
#define ERPSYNC_SERVER_SYNC_CONTROL_PRESENCE_H_

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <thread>

#include "common/mutex.h"
#include "common/status.h"
#include "common/thread_annotations.h"
#include "server/store/agent_control_store.h"

namespace erpsync::server {

class ControlPresence {
 public:
  // How long a hold lasts without renewal.
  static constexpr std::chrono::seconds kLease{60};

  // `store` must outlive this object; `now_unix` is the store's clock.
  ControlPresence(AgentControlStore* store, std::function<int64_t()> now_unix,
                  std::chrono::seconds lease = kLease);
  ~ControlPresence();
  ControlPresence(const ControlPresence&) = delete;
  ControlPresence& operator=(const ControlPresence&) = delete;

  // Starts the renewing thread; Stop (or the destructor) ends it.
  void Start() ERPSYNC_EXCLUDES(mutex_);
  void Stop() ERPSYNC_EXCLUDES(mutex_);

  // Each change is two calls: the first, in memory, is made under the
  // caller's registry lock so that the holds of one agent change in the
  // order its channels do; the second writes the store, outside that lock.
  // (A hold written after its release is not renewed and runs out.)
  //
  // The agent's channel opened here (replacing any earlier hold of it):
  // the hold to Publish.
  ControlHold Hold(int64_t agent_id) ERPSYNC_EXCLUDES(mutex_);
  void Publish(const ControlHold& hold) ERPSYNC_EXCLUDES(mutex_);
  // The agent's channel here ended: the hold to Withdraw (none when it
  // had none).
  std::optional<ControlHold> Release(int64_t agent_id) ERPSYNC_EXCLUDES(mutex_);
  void Withdraw(const ControlHold& hold);
  // Renews every hold now, and stores those a failing store missed (what
  // the thread does).
  void RenewNow() ERPSYNC_EXCLUDES(mutex_);

 private:
  // Notes that `hold` is in the store, unless it was released or replaced
  // meanwhile.
  void MarkStored(const ControlHold& hold) ERPSYNC_EXCLUDES(mutex_);
  // Logs a failure the first time, and the recovery.
  void Report(const Status& status);
  void Run() ERPSYNC_EXCLUDES(mutex_);

  AgentControlStore* const store_;
  const std::function<int64_t()> now_unix_;
  const std::chrono::seconds lease_;
  // Names this process in its holders: "<random>/<n>".
  const std::string instance_;
  Mutex mutex_;
  CondVar wake_;
  bool stopping_ ERPSYNC_GUARDED_BY(mutex_) = false;
  uint64_t next_ ERPSYNC_GUARDED_BY(mutex_) = 1;
  struct Held {
    std::string holder;
    // In the store (false after a failure: the next renewal holds again).
    bool stored = false;
  };
  std::map<int64_t, Held> holds_ ERPSYNC_GUARDED_BY(mutex_);
  std::atomic<bool> failing_{false};
  std::thread thread_;
};

}  // namespace erpsync::server

#endif  // ERPSYNC_SERVER_SYNC_CONTROL_PRESENCE_H_
