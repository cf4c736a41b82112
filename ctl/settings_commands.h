// erpsync-ctl settings ... and notifications ...: the company's ERP
// Integrations settings (direct export per type; Admin to change) and
// users' notification preferences (one's own, or anyone's for an Admin).
#ifndef ERPSYNC_CTL_SETTINGS_COMMANDS_H_
#define ERPSYNC_CTL_SETTINGS_COMMANDS_H_

#include <vector>

#include "common/command_line.h"

namespace erpsync::ctl {

// "settings show", "settings set direct-export TYPE on|off",
// "notifications show", "notifications set".
std::vector<CommandSpec> SettingsCommands();

}  // namespace erpsync::ctl

#endif  // ERPSYNC_CTL_SETTINGS_COMMANDS_H_
