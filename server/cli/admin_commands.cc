#include "server/cli/admin_commands.h"

#include <pwd.h>
#include <unistd.h>

#include <cstdlib>
#include <iostream>
#include <optional>

#include "common/civil_time.h"
#include "common/exit_code.h"
#include "common/file_util.h"
#include "common/json_writer.h"
#include "common/log.h"
#include "common/secret_token.h"
#include "server/app/server_app.h"
#include "server/cli/server_command.h"
#include "server/config/server_config.h"
#include "server/store/directory_store.h"

namespace erpsync::server {
namespace {

namespace po = boost::program_options;
using cli_internal::HandOutToken;
using cli_internal::kProgram;
using cli_internal::LoadCommand;
using cli_internal::ReportOpenFailure;

// Parses a command's options plus the config keys, opens the store and runs
// `work` on its directory.
int WithDirectory(const std::string& usage, po::options_description& description,
                  const po::positional_options_description* positional,
                  const std::vector<std::string>& args,
                  const std::function<int(const OptionsLoader&, DirectoryStore&)>& work) {
  OptionsLoader loader(&description);
  ServerConfig config;
  int exit_code = 0;
  if (!LoadCommand(usage, description, positional, args, &loader, &config, &exit_code)) {
    return exit_code;
  }
  Result<std::unique_ptr<Store>> store = OpenExistingServerStore(config);
  if (!store.ok()) return ReportOpenFailure(store.status());
  DirectoryStore& directory = (*store)->directory();
  return work(loader, directory);
}

// Who runs the command, for the audit: the operating system user (and the
// one who ran sudo).
std::string Actor() {
  const passwd* entry = getpwuid(geteuid());
  std::string actor =
      entry != nullptr ? std::string(entry->pw_name) : "uid " + std::to_string(geteuid());
  if (const char* sudo = std::getenv("SUDO_USER"); sudo != nullptr && *sudo != '\0') {
    actor += " (sudo by " + std::string(sudo) + ")";
  }
  return actor;
}

// The --company filter: its id, or none for every company.
Result<std::optional<int64_t>> CompanyFilter(const OptionsLoader& loader,
                                             DirectoryStore& directory) {
  if (!loader.Has("company")) return std::optional<int64_t>();
  ERPSYNC_ASSIGN_OR_RETURN(const Company company,
                           directory.FindCompany(loader.Get<std::string>("company")));
  return std::optional<int64_t>(company.id);
}

std::string When(int64_t unix_seconds) {
  return unix_seconds == 0 ? "never" : FormatTimestamp(unix_seconds) + " UTC";
}

void AddListOptions(po::options_description* description) {
  description->add_options()("company", po::value<std::string>(), "only this company's")(
      "json", po::bool_switch(), "print JSON");
}

int AgentList(const std::vector<std::string>& args) {
  po::options_description description("agent list options");
  AddListOptions(&description);
  return WithDirectory(
      "erpsync-server agent list [--company NAME] [--json] [--config FILE]", description, nullptr,
      args, [](const OptionsLoader& loader, DirectoryStore& directory) {
        Result<std::optional<int64_t>> company = CompanyFilter(loader, directory);
        if (!company.ok()) return ReportFailure(kProgram, company.status());
        Result<std::vector<AgentInfo>> agents = directory.ListAgents(*company);
        if (!agents.ok()) return ReportFailure(kProgram, agents.status());
        if (loader.Get<bool>("json")) {
          JsonWriter json;
          json.BeginArray();
          for (const AgentInfo& agent : *agents) {
            json.BeginObject();
            json.Field("id", agent.id);
            json.Field("company", agent.company_name);
            json.Field("connection", agent.connection_name);
            json.Field("description", agent.description);
            json.Field("created_unix", agent.created_unix);
            json.Field("last_seen_unix", agent.last_seen_unix);
            json.Field("hostname", agent.hostname);
            json.Field("version", agent.version);
            json.Field("state", agent.revoked ? "revoked" : "active");
            json.EndObject();
          }
          json.EndArray();
          std::cout << json.str() << "\n";
          return kExitOk;
        }
        std::cout << "ID\tCOMPANY\tCONNECTION\tCREATED\tLAST SEEN\tHOSTNAME\tVERSION\tSTATE\n";
        for (const AgentInfo& agent : *agents) {
          std::cout << agent.id << "\t" << agent.company_name << "\t" << agent.connection_name
                    << "\t" << When(agent.created_unix) << "\t" << When(agent.last_seen_unix)
                    << "\t" << agent.hostname << "\t" << agent.version << "\t"
                    << (agent.revoked ? "revoked" : "active") << "\n";
        }
        return kExitOk;
      });
}

// The ID positional of revoke, rotate and set.
po::positional_options_description IdPositional(po::options_description* description,
                                                const char* what) {
  description->add_options()("id", po::value<int64_t>()->required(), what);
  po::positional_options_description positional;
  positional.add("id", 1);
  return positional;
}

int AgentRevoke(const std::vector<std::string>& args) {
  po::options_description description("agent revoke options");
  const po::positional_options_description positional =
      IdPositional(&description, "the agent's id (agent list)");
  return WithDirectory("erpsync-server agent revoke ID [--config FILE]", description, &positional,
                       args, [](const OptionsLoader& loader, DirectoryStore& directory) {
                         const int64_t id = loader.Get<int64_t>("id");
                         const Status revoked = directory.RevokeAgent(id, Actor());
                         if (!revoked.ok()) return ReportFailure(kProgram, revoked);
                         std::cout << "agent " << id
                                   << " revoked: its token is refused and its open streams end "
                                      "within a second\n";
                         return kExitOk;
                       });
}

int AgentRotate(const std::vector<std::string>& args) {
  po::options_description description("agent rotate options");
  const po::positional_options_description positional =
      IdPositional(&description, "the agent's id (agent list)");
  description.add_options()("token-file", po::value<std::string>(),
                            "write the new token to this file (mode 0600) instead of stdout");
  return WithDirectory(
      "erpsync-server agent rotate ID [--token-file FILE] [--config FILE]", description,
      &positional, args, [](const OptionsLoader& loader, DirectoryStore& directory) {
        const int64_t id = loader.Get<int64_t>("id");
        Result<std::string> token = GenerateSecretToken("esa");
        if (!token.ok()) return ReportFailure(kProgram, token.status());
        const Status rotated = directory.RotateAgentToken(id, HashSecretToken(*token), Actor());
        if (!rotated.ok()) return ReportFailure(kProgram, rotated);
        return HandOutToken(loader, *token,
                            "agent " + std::to_string(id) +
                                " has a new token; the old one is refused from now on");
      });
}

int UserList(const std::vector<std::string>& args) {
  po::options_description description("user list options");
  AddListOptions(&description);
  return WithDirectory(
      "erpsync-server user list [--company NAME] [--json] [--config FILE]", description, nullptr,
      args, [](const OptionsLoader& loader, DirectoryStore& directory) {
        Result<std::optional<int64_t>> company = CompanyFilter(loader, directory);
        if (!company.ok()) return ReportFailure(kProgram, company.status());
        Result<std::vector<UserInfo>> users = directory.ListUsers(*company);
        if (!users.ok()) return ReportFailure(kProgram, users.status());
        if (loader.Get<bool>("json")) {
          JsonWriter json;
          json.BeginArray();
          for (const UserInfo& user : *users) {
            json.BeginObject();
            json.Field("id", user.id);
            json.Field("company", user.company_name);
            json.Field("name", user.name);
            json.Field("email", user.email);
            json.Field("level", ToolLevelKeyword(user.level));
            json.Field("can_push", user.can_push_to_accounting);
            json.Field("created_unix", user.created_unix);
            json.Field("state", user.revoked ? "revoked" : "active");
            json.EndObject();
          }
          json.EndArray();
          std::cout << json.str() << "\n";
          return kExitOk;
        }
        std::cout << "ID\tCOMPANY\tNAME\tE-MAIL\tLEVEL\tCAN PUSH\tSTATE\n";
        for (const UserInfo& user : *users) {
          std::cout << user.id << "\t" << user.company_name << "\t" << user.name << "\t"
                    << user.email << "\t" << ToolLevelKeyword(user.level) << "\t"
                    << (user.can_push_to_accounting ? "on" : "off") << "\t"
                    << (user.revoked ? "revoked" : "active") << "\n";
        }
        return kExitOk;
      });
}

Result<ToolLevel> ParseLevel(const std::string& name) {
  for (const ToolLevel level :
       {ToolLevel::kNone, ToolLevel::kReadOnly, ToolLevel::kStandard, ToolLevel::kAdmin}) {
    if (name == ToolLevelKeyword(level)) return level;
  }
  return InvalidArgumentError("--level: '" + name + "' is not none, read-only, standard or admin");
}

int UserSet(const std::vector<std::string>& args) {
  po::options_description description("user set options");
  const po::positional_options_description positional =
      IdPositional(&description, "the user's id (user list)");
  description.add_options()("level", po::value<std::string>(),
                            "ERP Integrations tool level: none, read-only, standard, admin")(
      "can-push", po::value<std::string>(), "the Can Push to Accounting privilege: on or off");
  constexpr char kUsage[] =
      "erpsync-server user set ID [--level LEVEL] [--can-push on|off] [--config FILE]";
  return WithDirectory(
      kUsage, description, &positional, args,
      [](const OptionsLoader& loader, DirectoryStore& directory) {
        UserChange change;
        if (loader.Has("level")) {
          Result<ToolLevel> level = ParseLevel(loader.Get<std::string>("level"));
          if (!level.ok()) return ReportUsageError(kProgram, level.status().message());
          change.level = *level;
        }
        if (loader.Has("can-push")) {
          const std::string value = loader.Get<std::string>("can-push");
          if (value != "on" && value != "off") {
            return ReportUsageError(kProgram, "--can-push: '" + value + "' is not on or off");
          }
          change.can_push_to_accounting = value == "on";
        }
        if (!change.level && !change.can_push_to_accounting) {
          return ReportUsageError(kProgram, "user set: give --level, --can-push or both");
        }
        const int64_t id = loader.Get<int64_t>("id");
        Result<UserInfo> user = directory.UpdateUser(id, change, Actor());
        if (!user.ok()) return ReportFailure(kProgram, user.status());
        std::cout << "user " << id << " ('" << user->name << "' of " << user->company_name
                  << "): level " << ToolLevelKeyword(user->level) << ", can-push "
                  << (user->can_push_to_accounting ? "on" : "off")
                  << " (effective on their next call)\n";
        return kExitOk;
      });
}

int UserRevoke(const std::vector<std::string>& args) {
  po::options_description description("user revoke options");
  const po::positional_options_description positional =
      IdPositional(&description, "the user's id (user list)");
  return WithDirectory("erpsync-server user revoke ID [--config FILE]", description, &positional,
                       args, [](const OptionsLoader& loader, DirectoryStore& directory) {
                         const int64_t id = loader.Get<int64_t>("id");
                         const Status revoked = directory.RevokeUser(id, Actor());
                         if (!revoked.ok()) return ReportFailure(kProgram, revoked);
                         std::cout << "user " << id << " revoked: their token is refused\n";
                         return kExitOk;
                       });
}

int AuditList(const std::vector<std::string>& args) {
  po::options_description description("audit list options");
  AddListOptions(&description);
  return WithDirectory(
      "erpsync-server audit list [--company NAME] [--json] [--config FILE]", description, nullptr,
      args, [](const OptionsLoader& loader, DirectoryStore& directory) {
        Result<std::optional<int64_t>> company = CompanyFilter(loader, directory);
        if (!company.ok()) return ReportFailure(kProgram, company.status());
        Result<std::vector<AuditEntry>> entries = directory.ListAudit(*company);
        if (!entries.ok()) return ReportFailure(kProgram, entries.status());
        if (loader.Get<bool>("json")) {
          JsonWriter json;
          json.BeginArray();
          for (const AuditEntry& entry : *entries) {
            json.BeginObject();
            json.Field("id", entry.id);
            json.Field("at_unix", entry.at_unix);
            json.Field("actor", entry.actor);
            json.Field("action", entry.action);
            json.Field("target_kind", entry.target_kind);
            json.Field("target_id", entry.target_id);
            json.Field("company", entry.company_name);
            json.Field("old", entry.old_value);
            json.Field("new", entry.new_value);
            json.EndObject();
          }
          json.EndArray();
          std::cout << json.str() << "\n";
          return kExitOk;
        }
        std::cout << "WHEN\tACTOR\tACTION\tTARGET\tCOMPANY\tOLD\tNEW\n";
        for (const AuditEntry& entry : *entries) {
          std::cout << When(entry.at_unix) << "\t" << entry.actor << "\t" << entry.action << "\t"
                    << entry.target_kind << " " << entry.target_id << "\t" << entry.company_name
                    << "\t" << entry.old_value << "\t" << entry.new_value << "\n";
        }
        return kExitOk;
      });
}

}  // namespace

std::vector<CommandSpec> AdminCommands() {
  return {
      {"agent list", "list agents: connection, last hello, active or revoked", AgentList},
      {"agent revoke", "revoke an agent's token (its open streams end)", AgentRevoke},
      {"agent rotate", "give an agent a new token; the old one is refused", AgentRotate},
      {"user list", "list users: level, Can Push, active or revoked", UserList},
      {"user set", "change a user's level or Can Push privilege", UserSet},
      {"user revoke", "revoke a user's token", UserRevoke},
      {"audit list", "list the admin changes to agents and users", AuditList},
  };
}

}  // namespace erpsync::server
