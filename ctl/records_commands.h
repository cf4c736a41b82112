// erpsync-ctl records ...: what the server holds of the mirrored ERP data.
#ifndef ERPSYNC_CTL_RECORDS_COMMANDS_H_
#define ERPSYNC_CTL_RECORDS_COMMANDS_H_

#include <string>
#include <vector>

namespace erpsync::ctl {

int RecordsCountCommand(const std::vector<std::string>& args);
int RecordsChecksumCommand(const std::vector<std::string>& args);
int RecordsListCommand(const std::vector<std::string>& args);
int EntitiesListCommand(const std::vector<std::string>& args);

}  // namespace erpsync::ctl

#endif  // ERPSYNC_CTL_RECORDS_COMMANDS_H_
