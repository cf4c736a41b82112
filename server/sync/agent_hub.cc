#include "server/sync/agent_hub.h"

namespace erpsync::server {

void AgentHub::Register(int64_t agent_id, int64_t connection_id, ControlSession* session) {
  MutexLock lock(mutex_);
  auto [it, inserted] = sessions_.try_emplace(agent_id, Entry{connection_id, session});
  if (!inserted) {
    if (it->second.session != session) it->second.session->End(/*replaced=*/true);
    it->second = Entry{connection_id, session};
  }
}

void AgentHub::Unregister(int64_t agent_id, ControlSession* session) {
  MutexLock lock(mutex_);
  const auto it = sessions_.find(agent_id);
  if (it != sessions_.end() && it->second.session == session) sessions_.erase(it);
}

int AgentHub::WakeConnection(int64_t connection_id) {
  MutexLock lock(mutex_);
  int woken = 0;
  for (auto& [agent_id, entry] : sessions_) {
    if (entry.connection_id != connection_id) continue;
    entry.session->Wake();
    ++woken;
  }
  return woken;
}

bool AgentHub::IsConnected(int64_t agent_id) const {
  MutexLock lock(mutex_);
  return sessions_.count(agent_id) > 0;
}

void AgentHub::EndAll() {
  MutexLock lock(mutex_);
  for (auto& [agent_id, entry] : sessions_) entry.session->End(/*replaced=*/false);
}

}  // namespace erpsync::server
