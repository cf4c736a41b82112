// erpsync-ctl items ...: the ERP Integrations approval queues as project
// users and approvers work in them: create, update, list, show, history,
// and every action on an item (send, retrieve, resend, accept, reject,
// unlink, archive, unarchive, lock, unlock, update-cost-codes).
#ifndef ERPSYNC_CTL_ITEMS_COMMANDS_H_
#define ERPSYNC_CTL_ITEMS_COMMANDS_H_

#include <vector>

#include "common/command_line.h"

namespace erpsync::ctl {

// The "items ..." commands, for the dispatcher.
std::vector<CommandSpec> ItemsCommands();

}  // namespace erpsync::ctl

#endif  // ERPSYNC_CTL_ITEMS_COMMANDS_H_
