// AgentRuntime: what most agent commands need, opened from the config: the
// Advanced Mappings catalog, the agent's state and the ERP connection, with
// every enabled mapping checked against the ERP's tables. Refuses to start
// on any problem rather than sync half a catalog. Part of the agent's
// composition root (agent/app). Not thread-safe.
#ifndef ERPSYNC_AGENT_APP_AGENT_RUNTIME_H_
#define ERPSYNC_AGENT_APP_AGENT_RUNTIME_H_

#include <memory>

#include "agent/config/agent_config.h"
#include "agent/erp/erp_source.h"
#include "agent/erp/erp_writer.h"
#include "agent/mapping/catalog.h"
#include "agent/state/state_store.h"
#include "common/clock.h"
#include "common/status.h"

namespace erpsync::agent {

struct AgentRuntime {
  AgentConfig config;
  Catalog catalog;
  std::unique_ptr<StateStore> state;
  std::unique_ptr<ErpSource> erp;  // null when not requested
};

// OK when the config says where the ERP is (erp.odbc_connection for odbc,
// erp.path for sqlite); INVALID_ARGUMENT naming the missing key otherwise.
Status CheckErpConfigured(const AgentConfig& config);

// Opens the ERP named by the config (sqlite file or ODBC connection).
// NOT_FOUND for a missing sqlite file, INVALID_ARGUMENT when the config
// does not say where the ERP is (CheckErpConfigured), UNAVAILABLE when ODBC
// cannot connect.
Result<std::unique_ptr<ErpSource>> OpenErpSource(const AgentConfig& config);

// Loads the catalog (INVALID_ARGUMENT file:line on a bad mapping), opens
// the state and, when `with_erp`, the ERP, and checks the enabled mappings
// against it.
Result<AgentRuntime> OpenAgentRuntime(const AgentConfig& config, bool with_erp);

// The writer of exports into the ERP named by the config: SqliteErpWriter
// for erp.kind = sqlite (rows stamped with `clock`, which must outlive it),
// OdbcErpWriter for odbc. Errors as SqliteErpWriter::Open.
Result<std::unique_ptr<ErpWriter>> OpenErpWriter(const AgentConfig& config, const Clock* clock);

}  // namespace erpsync::agent

#endif  // ERPSYNC_AGENT_APP_AGENT_RUNTIME_H_
