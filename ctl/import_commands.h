// erpsync-ctl import ...: the Ready to Import queue (ERP jobs, sub jobs and
// vendors that no item links yet) and importing one of them.
#ifndef ERPSYNC_CTL_IMPORT_COMMANDS_H_
#define ERPSYNC_CTL_IMPORT_COMMANDS_H_

#include <vector>

#include "common/command_line.h"

namespace erpsync::ctl {

// "import list" and "import job|sub-job|vendor KEY".
std::vector<CommandSpec> ImportCommands();

}  // namespace erpsync::ctl

#endif  // ERPSYNC_CTL_IMPORT_COMMANDS_H_
