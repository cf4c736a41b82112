// AgentService: `erpsync-agent run`, the agent's composition root. Wires the
// modules of a running agent: the runtime (catalog, state, ERP source), the
// ERP writer, one outbound channel to the server carrying the control
// stream (commands in, status and outcomes out) and the sync sessions, the
// export worker and the service loop (scheduled and requested syncs).
//
// Thread-safety: Run() on one thread; Stop() from any thread (a signal
// handler thread), also before or after Run().
#ifndef ERPSYNC_AGENT_APP_AGENT_SERVICE_H_
#define ERPSYNC_AGENT_APP_AGENT_SERVICE_H_

#include <atomic>
#include <memory>

#include "agent/config/agent_config.h"
#include "common/status.h"

namespace erpsync::agent {

class AgentService {
 public:
  // Opens what the service needs: the runtime (catalog, state, ERP, every
  // enabled mapping checked), the agent's token, the server channel and the
  // ERP writer. Errors as OpenAgentRuntime, LoadAgentToken,
  // OpenServerChannel and OpenErpWriter.
  static Result<std::unique_ptr<AgentService>> Open(const AgentConfig& config);
  ~AgentService();
  AgentService(const AgentService&) = delete;
  AgentService& operator=(const AgentService&) = delete;

  // Runs until Stop(): syncs on schedule and on request, exports as they
  // arrive. The batch and the export in flight finish first. OK when
  // stopped; a failure that ends the service (not a failed sync, which is
  // reported and retried) as it came.
  Status Run();
  // Asks Run() to return after the work in flight.
  void Stop();

 private:
  class Wiring;
  explicit AgentService(std::unique_ptr<Wiring> wiring);
  std::unique_ptr<Wiring> wiring_;
};

}  // namespace erpsync::agent

#endif  // ERPSYNC_AGENT_APP_AGENT_SERVICE_H_
