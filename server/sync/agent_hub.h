// AgentHub: the agents whose control channel is open right now, so that a
// sync request reaches a connected agent at once, a second connection of
// the same agent replaces the first, and shutdown ends them all.
// Thread-safe. The hub holds sessions weakly and calls them with no lock of
// its own held (a session's Wake does store I/O), keeping each alive for
// the call.
#ifndef ERPSYNC_SERVER_SYNC_AGENT_HUB_H_
#define ERPSYNC_SERVER_SYNC_AGENT_HUB_H_

#include <cstdint>
#include <map>
#include <memory>
#include <vector>

#include "common/mutex.h"
#include "common/thread_annotations.h"
#include "server/store/connection_signals.h"
#include "server/sync/control_presence.h"

namespace erpsync::server {

// One open control channel (implemented by the gRPC reactor). The hub calls
// these without holding its lock: they may take their time and call back
// into the hub.
class ControlSession {
 public:
  virtual ~ControlSession() = default;
  // New work may wait for this connection: look for it and deliver it.
  virtual void Wake() = 0;
  // End the channel (replaced by a newer one, or the server stops).
  virtual void End(bool replaced) = 0;
};

class AgentHub {
 public:
  // Registers `session` for the agent; an earlier session of the same agent
  // is ended as replaced.
  void Register(int64_t agent_id, int64_t connection_id,
                std::shared_ptr<ControlSession> session) ERPSYNC_EXCLUDES(mutex_);
  // Removes `session` if it is still the agent's registered one.
  void Unregister(int64_t agent_id, ControlSession* session) ERPSYNC_EXCLUDES(mutex_);
  // Makes WakeConnection tell the other servers of the store too (null:
  // this server alone). Call before serving; `signals` must outlive the
  // hub's use.
  void SetSignals(ConnectionSignals* signals) { signals_ = signals; }
  // Makes Register/Unregister record the channels in the store for the
  // other servers (null: not recorded). Call before serving; `presence`
  // must outlive the hub's use.
  void SetPresence(ControlPresence* presence) { presence_ = presence; }
  // Wakes the sessions of agents of `connection_id` here and signals the
  // other servers. Returns how many were woken here.
  int WakeConnection(int64_t connection_id) ERPSYNC_EXCLUDES(mutex_);
  // Wakes them here only (a signal from another server);
  // ConnectionSignals::kAllConnections wakes every session. Returns how
  // many.
  int WakeLocal(int64_t connection_id) ERPSYNC_EXCLUDES(mutex_);
  bool IsConnected(int64_t agent_id) const ERPSYNC_EXCLUDES(mutex_);
  // How many agents hold a control channel to this server.
  size_t ConnectedCount() const ERPSYNC_EXCLUDES(mutex_);
  // Ends every session (server shutdown).
  void EndAll() ERPSYNC_EXCLUDES(mutex_);

 private:
  struct Entry {
    int64_t connection_id = 0;
    std::weak_ptr<ControlSession> session;
    const ControlSession* identity = nullptr;  // to match Unregister
  };
  mutable Mutex mutex_;
  std::map<int64_t, Entry> sessions_ ERPSYNC_GUARDED_BY(mutex_);
  ConnectionSignals* signals_ = nullptr;
  ControlPresence* presence_ = nullptr;
};

}  // namespace erpsync::server

#endif  // ERPSYNC_SERVER_SYNC_AGENT_HUB_H_
