// erpsync-agent mappings list|enable|disable|set: the Advanced Mappings
// screen on the command line. The rules (refusals, dependencies, deep sync
// marks) live in MappingAdmin; this file parses, opens and prints.
#include "agent/cli/mappings_command.h"

#include <algorithm>
#include <iostream>
#include <utility>

#include "agent/cli/agent_command.h"
#include "agent/cli/mappings_printer.h"
#include "common/command_line.h"
#include "common/exit_code.h"

namespace erpsync::agent {
namespace po = boost::program_options;
namespace {

// Ids given as separate words and/or comma-separated.
std::vector<std::string> PositionalIds(const OptionsLoader& loader) {
  std::vector<std::string> ids;
  if (!loader.Has("ids")) return ids;
  for (const std::string& word : loader.Get<std::vector<std::string>>("ids")) {
    for (std::string& id : SplitIds(word)) ids.push_back(std::move(id));
  }
  return ids;
}

// Prints what a change did (warnings on stderr), or the refusal. Unknown
// ids and options are usage errors (64); refusals exit 1; a mapping the
// ERP cannot serve exits 65.
int FinishChange(const std::string& command, const Result<ChangeOutcome>& outcome,
                 MappingAdmin& admin) {
  if (!outcome.ok()) {
    if (outcome.status().code() == StatusCode::kNotFound) {
      return ReportUsageError(kAgentProgram, command + ": " + outcome.status().message());
    }
    return AgentFailure(outcome.status());
  }
  for (const std::string& warning : outcome->warnings) {
    std::cerr << kAgentProgram << ": warning: " << warning << "\n";
  }
  const Result<std::vector<MappingRow>> rows = admin.List();
  if (!rows.ok()) return AgentFailure(rows.status());
  std::cout << FormatChangeOutcome(*outcome, *rows);
  return kExitOk;
}

// Parses a change command whose positional words go to "ids".
bool LoadChangeCommand(const std::string& usage, po::options_description& description,
                       const std::vector<std::string>& args, OptionsLoader* loader,
                       AgentConfig* config, int* exit_code) {
  po::positional_options_description positional;
  positional.add("ids", -1);
  return LoadAgentCommand(usage, description, &positional, args, loader, config, exit_code);
}

// A switch of a command: its name and help.
struct Switch {
  const char* name;
  const char* help;
};

// `mappings VERB ID... [--SWITCH]`: parses, opens (with the ERP when
// `with_erp`), runs `change` and prints what it did.
int RunIdsCommand(
    const std::vector<std::string>& args, const std::string& verb, Switch flag, bool with_erp,
    const std::function<Result<ChangeOutcome>(AgentRuntime&, MappingAdmin&,
                                              const std::vector<std::string>&, bool)>& change) {
  po::options_description description("mappings " + verb + " options");
  // clang-format off
  description.add_options()
      ("ids", po::value<std::vector<std::string>>()->multitoken(),
       "mapping ids or names as the setup guide writes them (\"Contract (CN)\")")
      (flag.name, po::bool_switch(), flag.help);
  // clang-format on
  OptionsLoader loader(&description);
  AgentConfig config;
  int exit_code = 0;
  const std::string command = "mappings " + verb;
  if (!LoadChangeCommand(
          "erpsync-agent " + command + " ID|NAME... [--" + flag.name + "] [--config FILE]",
          description, args, &loader, &config, &exit_code)) {
    return exit_code;
  }
  const std::vector<std::string> words = PositionalIds(loader);
  if (words.empty()) return ReportUsageError(kAgentProgram, command + ": name the mapping ids");
  return WithMappingAdmin(config, with_erp, [&](AgentRuntime& runtime, MappingAdmin& admin) {
    std::vector<std::string> ids;
    for (const std::string& word : words) ids.push_back(runtime.catalog.IdOf(word));
    return FinishChange(command, change(runtime, admin, ids, loader.Get<bool>(flag.name)), admin);
  });
}

}  // namespace

int WithMappingAdmin(const AgentConfig& config, bool with_erp,
                     const std::function<int(AgentRuntime& runtime, MappingAdmin& admin)>& work) {
  int exit_code = 0;
  std::optional<AgentRuntime> runtime = OpenCommandRuntime(config, with_erp, &exit_code);
  if (!runtime) return exit_code;
  MappingAdmin admin(&runtime->catalog, runtime->state.get(), &RealClock());
  return work(*runtime, admin);
}

int RunMappingsListCommand(const std::vector<std::string>& args) {
  po::options_description description("mappings list options");
  // clang-format off
  description.add_options()
      ("verbose", po::bool_switch(), "also show descriptions and dependencies")
      ("json", po::bool_switch(), "print JSON");
  // clang-format on
  OptionsLoader loader(&description);
  AgentConfig config;
  int exit_code = 0;
  if (!LoadAgentCommand("erpsync-agent mappings list [--verbose] [--json] [--config FILE]",
                        description, nullptr, args, &loader, &config, &exit_code)) {
    return exit_code;
  }
  return WithMappingAdmin(config, /*with_erp=*/false, [&](AgentRuntime&, MappingAdmin& admin) {
    Result<std::vector<MappingRow>> rows = admin.List();
    if (!rows.ok()) return AgentFailure(rows.status());
    std::cout << (loader.Get<bool>("json")
                      ? FormatMappingListJson(*rows)
                      : FormatMappingListText(*rows, loader.Get<bool>("verbose")));
    return kExitOk;
  });
}

int RunMappingsEnableCommand(const std::vector<std::string>& args) {
  // Enabling checks the mappings against the ERP, so it is opened too.
  return RunIdsCommand(
      args, "enable", {"with-dependencies", "also enable the disabled mappings they depend on"},
      /*with_erp=*/true,
      [](AgentRuntime& runtime, MappingAdmin& admin, const std::vector<std::string>& ids,
         bool with_dependencies) { return admin.Enable(ids, with_dependencies, *runtime.erp); });
}

int RunMappingsDisableCommand(const std::vector<std::string>& args) {
  return RunIdsCommand(args, "disable",
                       {"force", "disable even when data was synced or mappings depend on it"},
                       /*with_erp=*/false,
                       [](AgentRuntime&, MappingAdmin& admin, const std::vector<std::string>& ids,
                          bool force) { return admin.Disable(ids, force); });
}

namespace {

// The options of `mappings set` after the mapping: "OPTION on|off" (one),
// or "OPTION=on|off ..." (several). False, with *error set, for anything
// else.
bool ParseChoices(const std::vector<std::string>& words,
                  std::vector<std::pair<std::string, bool>>* choices, std::string* error) {
  const auto on_off = [&](const std::string& value, bool* on) {
    if (value == "on" || value == "off") {
      *on = value == "on";
      return true;
    }
    *error = "the value must be 'on' or 'off', not '" + value + "'";
    return false;
  };
  bool on = false;
  if (words.size() == 2 && words[0].find('=') == std::string::npos) {
    if (!on_off(words[1], &on)) return false;
    choices->emplace_back(words[0], on);
    return true;
  }
  for (const std::string& word : words) {
    const size_t equals = word.find('=');
    if (equals == std::string::npos || equals == 0) {
      *error = "expected ID OPTION on|off or ID OPTION=on|off..., not '" + word + "'";
      return false;
    }
    if (!on_off(word.substr(equals + 1), &on)) return false;
    choices->emplace_back(word.substr(0, equals), on);
  }
  return !choices->empty();
}

}  // namespace

int RunMappingsSetCommand(const std::vector<std::string>& args) {
  po::options_description description("mappings set options");
  // clang-format off
  description.add_options()
      ("ids", po::value<std::vector<std::string>>()->multitoken(),
       "ID|NAME OPTION on|off, or ID|NAME OPTION=on|off...")
      ("force", po::bool_switch(), "untick even when the cloud holds data it affects");
  // clang-format on
  OptionsLoader loader(&description);
  AgentConfig config;
  int exit_code = 0;
  const std::string usage =
      "erpsync-agent mappings set ID|NAME OPTION on|off | ID|NAME OPTION=on|off... [--force] "
      "[--config FILE]";
  if (!LoadChangeCommand(usage, description, args, &loader, &config, &exit_code)) return exit_code;
  const std::vector<std::string> words =
      loader.Has("ids") ? loader.Get<std::vector<std::string>>("ids") : std::vector<std::string>();
  std::vector<std::pair<std::string, bool>> choices;
  std::string error = "expected ID OPTION on|off";
  if (words.size() < 2 ||
      !ParseChoices(std::vector<std::string>(words.begin() + 1, words.end()), &choices, &error)) {
    return ReportUsageError(kAgentProgram, "mappings set: " + error + " (usage: " + usage + ")");
  }
  const bool force = loader.Get<bool>("force");
  return WithMappingAdmin(
      config, /*with_erp=*/false, [&](AgentRuntime& runtime, MappingAdmin& admin) {
        const std::string id = runtime.catalog.IdOf(words[0]);
        // All the options or none: one transaction of the state.
        ChangeOutcome all;
        const Status changed = runtime.state->WithTransaction([&]() -> Status {
          for (const auto& [option, on] : choices) {
            ERPSYNC_ASSIGN_OR_RETURN(ChangeOutcome one, admin.SetChoice(id, option, on, force));
            all.changes.insert(all.changes.end(), one.changes.begin(), one.changes.end());
            all.warnings.insert(all.warnings.end(), one.warnings.begin(), one.warnings.end());
            for (const std::string& entity : one.needs_deep_sync) {
              if (std::find(all.needs_deep_sync.begin(), all.needs_deep_sync.end(), entity) ==
                  all.needs_deep_sync.end()) {
                all.needs_deep_sync.push_back(entity);
              }
            }
          }
          return Status::Ok();
        });
        if (!changed.ok()) return FinishChange("mappings set", changed, admin);
        return FinishChange("mappings set", all, admin);
      });
}

}  // namespace erpsync::agent
