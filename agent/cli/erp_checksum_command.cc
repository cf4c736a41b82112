// erpsync-agent erp checksum: count and checksum of each enabled entity,
// computed from the ERP the way the server computes them from its store.
#include <iostream>

#include "agent/app/agent_runtime.h"
#include "agent/cli/agent_command.h"
#include "agent/cli/progress_printer.h"
#include "agent/mapping/entity_plan.h"
#include "agent/state/effective_settings.h"
#include "agent/sync/erp_checksum.h"
#include "common/command_line.h"
#include "common/entity_checksum.h"
#include "common/exit_code.h"
#include "common/json_writer.h"

namespace erpsync::agent {
namespace po = boost::program_options;

int RunErpChecksumCommand(const std::vector<std::string>& args) {
  po::options_description description("erp checksum options");
  description.add_options()("only", po::value<std::string>(),
                            "comma-separated mapping ids (default: every enabled one)")(
      "json", po::bool_switch(), "print JSON");
  OptionsLoader loader(&description);
  AgentConfig config;
  int exit_code = 0;
  if (!LoadAgentCommand("erpsync-agent erp checksum [--only IDS] [--json] [--config FILE]",
                        description, nullptr, args, &loader, &config, &exit_code)) {
    return exit_code;
  }
  std::optional<AgentRuntime> runtime = OpenCommandRuntime(config, /*with_erp=*/true, &exit_code);
  if (!runtime) return exit_code;
  const std::vector<std::string> only =
      loader.Has("only") ? SplitIds(loader.Get<std::string>("only")) : std::vector<std::string>();
  if (const int unknown = CheckMappingIds(runtime->catalog, only, "erp checksum");
      unknown != kExitOk) {
    return unknown;
  }
  JsonWriter json;
  json.BeginObject();
  json.Key("entities");
  json.BeginArray();
  for (const MappingDefinition& mapping : runtime->catalog.mappings()) {
    Result<MappingSettings> settings = EffectiveSettings(*runtime->state, mapping);
    if (!settings.ok()) return AgentFailure(settings.status());
    const bool listed = std::find(only.begin(), only.end(), mapping.id()) != only.end();
    if (only.empty() ? !settings->enabled : !listed) continue;
    Result<EntityPlan> plan = EntityPlan::Build(mapping, settings->choices);
    if (!plan.ok()) return AgentFailure(plan.status());
    Result<ErpEntityChecksum> checksum =
        ComputeErpChecksum(*runtime->erp, *plan, config.sync.max_record_bytes);
    if (!checksum.ok()) return AgentFailure(checksum.status());
    if (loader.Get<bool>("json")) {
      json.BeginObject();
      json.Field("id", mapping.id());
      json.Field("count", checksum->count);
      json.Field("checksum", FormatChecksum(checksum->checksum));
      json.Field("quarantined", checksum->quarantined);
      json.EndObject();
    } else {
      std::string name = mapping.id();
      name.resize(std::max<size_t>(name.size() + 1, 32), ' ');
      std::cout << name << WithThousands(checksum->count) << "  "
                << FormatChecksum(checksum->checksum);
      if (checksum->quarantined > 0) {
        std::cout << "  (" << WithThousands(checksum->quarantined)
                  << " rows set aside, not counted: see `erpsync-agent status`)";
      }
      std::cout << "\n";
    }
  }
  json.EndArray();
  json.EndObject();
  if (loader.Get<bool>("json")) std::cout << json.str() << "\n";
  return kExitOk;
}

}  // namespace erpsync::agent
