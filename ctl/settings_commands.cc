#include "ctl/settings_commands.h"

#include <iostream>

#include "common/exit_code.h"
#include "ctl/approval_command.h"
#include "ctl/item_names.h"

namespace erpsync::ctl {
namespace po = boost::program_options;
namespace {


Result<bool> ParseOnOff(const std::string& flag, const std::string& value) {
  if (value == "on" || value == "true" || value == "yes") return true;
  if (value == "off" || value == "false" || value == "no") return false;
  return InvalidArgumentError(flag + ": '" + value + "' is not on or off");
}

int PrintSettings(const ApprovalCommand& command, const v1::Settings& settings) {
  if (command.json()) {
    std::cout << ToJson(settings) << "\n";
    return kExitOk;
  }
  std::cout << "direct export:";
  if (settings.direct_export().empty()) std::cout << " off for every type";
  for (const int type : settings.direct_export()) {
    std::cout << " " << ItemTypeLabel(static_cast<v1::ItemType>(type));
  }
  std::cout << "\n";
  return kExitOk;
}

int SettingsShow(const std::vector<std::string>& args) {
  po::options_description description("settings show options");
  ApprovalCommand command("erpsync-ctl settings show [--json]", &description);
  if (!command.Parse(args)) return command.exit_code();
  v1::Settings settings;
  const int code = command.Call([&](const CtlClient& client) {
    return client.GetSettings(v1::GetSettingsRequest(), &settings);
  });
  return code != kExitOk ? code : PrintSettings(command, settings);
}

int SettingsSet(const std::vector<std::string>& args) {
  po::options_description description("settings set options");
  description.add_options()("setting", po::value<std::string>()->required(), "direct-export")(
      "type", po::value<std::string>()->required(), "commitments, ccos or invoices")(
      "value", po::value<std::string>()->required(), "on or off");
  po::positional_options_description positional;
  positional.add("setting", 1).add("type", 1).add("value", 1);
  ApprovalCommand command("erpsync-ctl settings set direct-export commitments|ccos|invoices on|off",
                          &description);
  if (!command.Parse(args, &positional)) return command.exit_code();
  const OptionsLoader& options = command.options();
  if (options.Get<std::string>("setting") != "direct-export") {
    return command.UsageError("'" + options.Get<std::string>("setting") +
                              "' is not a setting; the setting is direct-export");
  }
  Result<v1::ItemType> type = ParseItemType(options.Get<std::string>("type"));
  if (!type.ok()) return command.UsageError(type.status().message());
  Result<bool> on = ParseOnOff("value", options.Get<std::string>("value"));
  if (!on.ok()) return command.UsageError(on.status().message());
  v1::UpdateSettingsRequest request;
  request.set_type(*type);
  request.set_direct_export(*on);
  v1::Settings settings;
  const int code = command.Call([&](const CtlClient& client) {
    return client.UpdateSettings(request, &settings);
  });
  return code != kExitOk ? code : PrintSettings(command, settings);
}

int PrintPreferences(const ApprovalCommand& command, const v1::NotificationPreferences& prefs) {
  if (command.json()) {
    std::cout << ToJson(prefs) << "\n";
    return kExitOk;
  }
  auto on = [](bool value) { return value ? "on" : "off"; };
  std::cout << "user:          " << prefs.user() << "\n"
            << "email:         " << (prefs.email().empty() ? "(none)" : prefs.email()) << "\n"
            << "on-send:       " << on(prefs.on_send()) << "\n"
            << "on-reject:     " << on(prefs.on_reject()) << "\n"
            << "daily-digest:  " << on(prefs.daily_digest()) << "\n";
  return kExitOk;
}

void AddUser(po::options_description* description) {
  description->add_options()("user", po::value<std::string>()->default_value(""),
                             "another user of your company (Admin); default: yourself");
}

int NotificationsShow(const std::vector<std::string>& args) {
  po::options_description description("notifications show options");
  AddUser(&description);
  ApprovalCommand command("erpsync-ctl notifications show [--user NAME] [--json]", &description);
  if (!command.Parse(args)) return command.exit_code();
  v1::GetNotificationPreferencesRequest request;
  request.set_user(command.options().Get<std::string>("user"));
  v1::NotificationPreferences prefs;
  const int code = command.Call([&](const CtlClient& client) {
    return client.GetNotificationPreferences(request, &prefs);
  });
  return code != kExitOk ? code : PrintPreferences(command, prefs);
}

int NotificationsSet(const std::vector<std::string>& args) {
  po::options_description description("notifications set options");
  AddUser(&description);
  description.add_options()("on-send", po::value<std::string>(),
                            "on|off: email when an item is sent (approvers)")(
      "on-reject", po::value<std::string>(), "on|off: email when your item is rejected")(
      "daily-digest", po::value<std::string>(),
      "on|off: daily summary of items awaiting a "
      "decision (approvers)");
  ApprovalCommand command(
      "erpsync-ctl notifications set [--user NAME] [--on-send on|off] "
      "[--on-reject on|off] [--daily-digest on|off]",
      &description);
  if (!command.Parse(args)) return command.exit_code();
  v1::SetNotificationPreferencesRequest request;
  request.set_user(command.options().Get<std::string>("user"));
  bool any = false;
  for (const char* flag : {"on-send", "on-reject", "daily-digest"}) {
    if (!command.options().Has(flag)) continue;
    Result<bool> on =
        ParseOnOff(std::string("--") + flag, command.options().Get<std::string>(flag));
    if (!on.ok()) return command.UsageError(on.status().message());
    any = true;
    if (std::string(flag) == "on-send") request.set_on_send(*on);
    if (std::string(flag) == "on-reject") request.set_on_reject(*on);
    if (std::string(flag) == "daily-digest") request.set_daily_digest(*on);
  }
  if (!any)
    return command.UsageError("nothing to set: give --on-send, --on-reject or --daily-digest");
  v1::NotificationPreferences prefs;
  const int code = command.Call([&](const CtlClient& client) {
    return client.SetNotificationPreferences(request, &prefs);
  });
  return code != kExitOk ? code : PrintPreferences(command, prefs);
}

}  // namespace

std::vector<CommandSpec> SettingsCommands() {
  return {
      {"settings show", "the company's ERP Integrations settings", SettingsShow},
      {"settings set", "change a setting (Admin): direct-export TYPE on|off", SettingsSet},
      {"notifications show", "notification preferences", NotificationsShow},
      {"notifications set", "change notification preferences", NotificationsSet},
  };
}

}  // namespace erpsync::ctl
