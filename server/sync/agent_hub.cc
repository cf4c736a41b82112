#include "server/sync/agent_hub.h"

#include <optional>
#include <utility>

namespace erpsync::server {

void AgentHub::Register(int64_t agent_id, int64_t connection_id,
                        std::shared_ptr<ControlSession> session) {
  std::shared_ptr<ControlSession> replaced;
  std::optional<ControlHold> hold;
  {
    MutexLock lock(mutex_);
    Entry& entry = sessions_[agent_id];
    if (entry.identity != session.get()) replaced = entry.session.lock();
    entry = Entry{connection_id, session, session.get()};
    if (presence_ != nullptr) hold = presence_->Hold(agent_id);
  }
  if (hold.has_value()) presence_->Publish(*hold);
  if (replaced != nullptr) replaced->End(/*replaced=*/true);
}

void AgentHub::Unregister(int64_t agent_id, ControlSession* session) {
  std::optional<ControlHold> hold;
  {
    MutexLock lock(mutex_);
    const auto it = sessions_.find(agent_id);
    if (it == sessions_.end() || it->second.identity != session) return;
    sessions_.erase(it);
    if (presence_ != nullptr) hold = presence_->Release(agent_id);
  }
  if (hold.has_value()) presence_->Withdraw(*hold);
}

int AgentHub::WakeConnection(int64_t connection_id) {
  const int woken = WakeLocal(connection_id);
  if (signals_ != nullptr) signals_->Signal(connection_id);
  return woken;
}

int AgentHub::WakeLocal(int64_t connection_id) {
  std::vector<std::shared_ptr<ControlSession>> woken;
  {
    MutexLock lock(mutex_);
    for (auto& [agent_id, entry] : sessions_) {
      if (connection_id != ConnectionSignals::kAllConnections &&
          entry.connection_id != connection_id) {
        continue;
      }
      if (std::shared_ptr<ControlSession> session = entry.session.lock()) {
        woken.push_back(std::move(session));
      }
    }
  }
  for (const std::shared_ptr<ControlSession>& session : woken) session->Wake();
  return static_cast<int>(woken.size());
}

bool AgentHub::IsConnected(int64_t agent_id) const {
  MutexLock lock(mutex_);
  return sessions_.count(agent_id) > 0;
}

size_t AgentHub::ConnectedCount() const {
  MutexLock lock(mutex_);
  return sessions_.size();
}

void AgentHub::EndAll() {
  std::vector<std::shared_ptr<ControlSession>> open;
  {
    MutexLock lock(mutex_);
    for (auto& [agent_id, entry] : sessions_) {
      if (std::shared_ptr<ControlSession> session = entry.session.lock()) {
        open.push_back(std::move(session));
      }
    }
  }
  for (const std::shared_ptr<ControlSession>& session : open) session->End(/*replaced=*/false);
}

}  // namespace erpsync::server
