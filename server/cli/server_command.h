// What every erpsync-server command shares: the program name and the
// parsing of its options together with the server's configuration keys.
#ifndef ERPSYNC_SERVER_CLI_SERVER_COMMAND_H_
#define ERPSYNC_SERVER_CLI_SERVER_COMMAND_H_

#include <boost/program_options.hpp>
#include <string>
#include <vector>

#include "common/command_line.h"
#include "server/config/server_config.h"

namespace erpsync::server::cli_internal {

inline constexpr char kProgram[] = "erpsync-server";

// Parses a command's options plus the config keys into `config` and sets the
// log level. Returns false with *exit_code set when the command is done
// (--help, or a usage or config error: 64).
bool LoadCommand(const std::string& usage, boost::program_options::options_description& description,
                 const boost::program_options::positional_options_description* positional,
                 const std::vector<std::string>& args, OptionsLoader* loader, ServerConfig* config,
                 int* exit_code);

// Hands a new token out once: written (mode 0600) to --token-file when the
// command has one, else printed on stdout; `what` (on stderr) says what it
// is for. Returns the exit code.
int HandOutToken(const OptionsLoader& loader, const std::string& token, const std::string& what);

// Reports a failure to open the store or read an input file: 66 for
// NOT_FOUND (a store that does not exist, an unreadable TLS certificate or
// key), else the status's exit code.
int ReportOpenFailure(const Status& status);

}  // namespace erpsync::server::cli_internal

#endif  // ERPSYNC_SERVER_CLI_SERVER_COMMAND_H_
