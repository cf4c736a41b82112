// Printing the Advanced Mappings and the agent's status for
// `erpsync-agent mappings ...` and `erpsync-agent status`: aligned tables
// for people, JSON documents (--json) for scripts. Stateless; thread-safe.
#ifndef ERPSYNC_AGENT_CLI_MAPPINGS_PRINTER_H_
#define ERPSYNC_AGENT_CLI_MAPPINGS_PRINTER_H_

#include <optional>
#include <string>
#include <vector>

#include "agent/state/mapping_admin.h"

namespace erpsync::agent {

// `mappings list`: one line per record type (id, name, module, enabled,
// records last synced, last deep sync, whether a deep sync is needed), the
// options panels of each under it; `verbose` adds descriptions and
// dependencies. Ends with the deep sync command still owed, if any.
std::string FormatMappingListText(const std::vector<MappingRow>& rows, bool verbose);
std::string FormatMappingListJson(const std::vector<MappingRow>& rows);

// What `mappings enable|disable|set` did, and the deep syncs still owed.
// `rows` (MappingAdmin::List after the change) give the hint: every
// enabled record type that owes a deep sync, not only those just changed.
std::string FormatChangeOutcome(const ChangeOutcome& outcome, const std::vector<MappingRow>& rows);

// Everything `erpsync-agent status` shows.
struct AgentStatusView {
  std::string server_address;
  std::string state_dir;
  std::string mappings_dir;
  size_t record_types = 0;       // in the catalog
  std::vector<MappingRow> rows;  // the enabled mappings
  std::optional<DeepRunStatus> deep_run;
};
std::string FormatStatusText(const AgentStatusView& status);
std::string FormatStatusJson(const AgentStatusView& status);

// "erpsync-agent sync --deep --since beginning --only a,b": the command that
// runs the deep syncs `ids` need.
std::string DeepSyncCommandFor(const std::vector<std::string>& ids,
                               const std::string& since = "beginning");

}  // namespace erpsync::agent

#endif  // ERPSYNC_AGENT_CLI_MAPPINGS_PRINTER_H_
