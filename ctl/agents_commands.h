// erpsync-ctl agents status and sync request|show: the cloud's view of the
// agents, and its refresh buttons.
#ifndef ERPSYNC_CTL_AGENTS_COMMANDS_H_
#define ERPSYNC_CTL_AGENTS_COMMANDS_H_

#include <string>
#include <vector>

namespace erpsync::ctl {

int AgentsStatusCommand(const std::vector<std::string>& args);
int SyncRequestCommand(const std::vector<std::string>& args);
int SyncShowCommand(const std::vector<std::string>& args);

}  // namespace erpsync::ctl

#endif  // ERPSYNC_CTL_AGENTS_COMMANDS_H_
