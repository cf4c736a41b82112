// ConnectionSignals: "there is new work for the agents of connection N" (a
// sync request, an export queued), between the servers that share one
// store, so that the server an agent is connected to hears at once what
// another server created (PostgreSQL: LISTEN/NOTIFY). The server that
// creates the work wakes its own agents itself (AgentHub); a signal may
// come back to it too, which costs one more look. Thread-safe.
#ifndef ERPSYNC_SERVER_STORE_CONNECTION_SIGNALS_H_
#define ERPSYNC_SERVER_STORE_CONNECTION_SIGNALS_H_

#include <cstdint>
#include <functional>

namespace erpsync::server {

class ConnectionSignals {
 public:
  // What a listener is called with: a connection id, or kAllConnections
  // when signals may have been missed (the listener lost its connection to
  // the database and is back): look at every connection.
  static constexpr int64_t kAllConnections = 0;
  using Listener = std::function<void(int64_t connection_id)>;

  virtual ~ConnectionSignals() = default;

  // Tells the started listeners of the other servers (and maybe this
  // one's) about new work for `connection_id`. Best effort: a failure is
  // logged (the agents still find the work when they reconnect).
  virtual void Signal(int64_t connection_id) = 0;
  // Calls `listener` for every signal from now on, on a thread of the
  // implementation's, until Stop. Call once.
  virtual void Start(Listener listener) = 0;
  // Stops listening; no call of the listener runs after it returns.
  virtual void Stop() = 0;
};

// The signals of a store only one server uses (SQLite): there is nobody
// to tell, so they do nothing.
class NoConnectionSignals final : public ConnectionSignals {
 public:
  void Signal(int64_t /*connection_id*/) override {}
  void Start(Listener /*listener*/) override {}
  void Stop() override {}
};

}  // namespace erpsync::server

#endif  // ERPSYNC_SERVER_STORE_CONNECTION_SIGNALS_H_
