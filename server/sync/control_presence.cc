#include "server/sync/control_presence.h"

#include <unistd.h>

#include <cstdio>
#include <random>
#include <utility>
#include <vector>

#include "common/log.h"

namespace erpsync::server {
namespace {

// "<host>:<pid>:<random>": unique among the servers of a store, and tells
// an operator reading the table which process holds a channel.
std::string InstanceName() {
  char host[256] = {};
  if (::gethostname(host, sizeof(host) - 1) != 0) host[0] = '\0';
  std::random_device random;
  char suffix[9];
  std::snprintf(suffix, sizeof(suffix), "%08x", random());
  return std::string(host) + ":" + std::to_string(::getpid()) + ":" + suffix;
}

}  // namespace

ControlPresence::ControlPresence(AgentControlStore* store, std::function<int64_t()> now_unix,
                                 std::chrono::seconds lease)
    : store_(store), now_unix_(std::move(now_unix)), lease_(lease), instance_(InstanceName()) {}

ControlPresence::~ControlPresence() { Stop(); }

void ControlPresence::Start() {
  thread_ = std::thread([this] { Run(); });
}

void ControlPresence::Stop() {
  {
    MutexLock lock(mutex_);
    stopping_ = true;
  }
  wake_.NotifyAll();
  if (thread_.joinable()) thread_.join();
}

ControlHold ControlPresence::Hold(int64_t agent_id) {
  MutexLock lock(mutex_);
  ControlHold hold{agent_id, instance_ + "/" + std::to_string(next_++)};
  holds_[agent_id] = Held{hold.holder, false};
  return hold;
}

void ControlPresence::Publish(const ControlHold& hold) {
  const Status held = store_->HoldControlChannel(hold, now_unix_() + lease_.count());
  Report(held);
  if (held.ok()) MarkStored(hold);
}

std::optional<ControlHold> ControlPresence::Release(int64_t agent_id) {
  MutexLock lock(mutex_);
  const auto it = holds_.find(agent_id);
  if (it == holds_.end()) return std::nullopt;
  ControlHold hold{agent_id, std::move(it->second.holder)};
  holds_.erase(it);
  return hold;
}

void ControlPresence::Withdraw(const ControlHold& hold) {
  Report(store_->ReleaseControlChannel(hold));
}

void ControlPresence::RenewNow() {
  std::vector<ControlHold> renewed;
  std::vector<ControlHold> missing;
  {
    MutexLock lock(mutex_);
    for (const auto& [agent_id, held] : holds_) {
      (held.stored ? renewed : missing).push_back({agent_id, held.holder});
    }
  }
  const int64_t until = now_unix_() + lease_.count();
  Status status = store_->RenewControlChannels(renewed, until);
  for (const ControlHold& hold : missing) {
    if (!status.ok()) break;
    status = store_->HoldControlChannel(hold, until);
    // An agent removed meanwhile has nothing to hold.
    if (status.code() == StatusCode::kNotFound) status = Status::Ok();
    if (status.ok()) MarkStored(hold);
  }
  Report(status);
}

void ControlPresence::MarkStored(const ControlHold& hold) {
  MutexLock lock(mutex_);
  const auto it = holds_.find(hold.agent_id);
  if (it != holds_.end() && it->second.holder == hold.holder) it->second.stored = true;
}

void ControlPresence::Report(const Status& status) {
  if (!status.ok()) {
    if (!failing_.exchange(true)) {
      ERPSYNC_LOG(kWarning) << "recording which agents are connected here (retrying until it "
                               "works): "
                            << status.ToString();
    }
  } else if (failing_.exchange(false)) {
    ERPSYNC_LOG(kInfo) << "recording which agents are connected here works again";
  }
}

void ControlPresence::Run() {
  MutexLock lock(mutex_);
  while (!stopping_) {
    wake_.WaitFor(mutex_, lease_ / 3, [this]() ERPSYNC_REQUIRES(mutex_) { return stopping_; });
    if (stopping_) break;
    lock.Unlock();
    RenewNow();
    lock.Lock();
  }
}

}  // namespace erpsync::server
