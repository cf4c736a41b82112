// Subcommand dispatch for the erpsync binaries ("erpsync-server company add
// NAME") and the shared per-command option parsing. Usage errors print the
// reason and the usage to stderr and exit with 64. Not thread-safe (runs in
// main).
#ifndef ERPSYNC_COMMON_COMMAND_LINE_H_
#define ERPSYNC_COMMON_COMMAND_LINE_H_

#include <boost/program_options.hpp>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "common/options_loader.h"
#include "common/status.h"

namespace erpsync {

struct CommandSpec {
  // One or more words: "sync", "company add".
  std::string name;
  std::string summary;
  // Runs with the arguments after the command words; returns the exit code.
  std::function<int(const std::vector<std::string>& args)> run;
};

// Finds the command named by the leading words of argv and runs it. Prints
// the command list for no command, "help", "--help"; "--version" prints
// `version`. Unknown commands exit 64.
int DispatchCommand(std::string_view program, std::string_view version,
                    const std::vector<CommandSpec>& commands, int argc, char** argv);
// The same with the arguments after the program name.
int DispatchCommand(std::string_view program, std::string_view version,
                    const std::vector<CommandSpec>& commands, std::vector<std::string> args);

// The command a usage line is for: its leading words up to the first flag,
// bracket or placeholder ("erpsync-ctl import budget JOB [--json]" ->
// "erpsync-ctl import budget"). Error messages start with it.
std::string_view CommandName(std::string_view usage_line);

// Where a command looks for its configuration file `file_name`
// ("agent.conf") when it is given no --config: in $ERPSYNC_CONFIG_DIR when
// that is set, else in the installed configuration directory
// (/etc/erpsync: CMake's sysconfdir, /etc for the /usr prefix). "" when
// ERPSYNC_CONFIG_DIR is set and empty: no default file (the test suite sets
// it so, so no test reads a real /etc/erpsync).
std::string DefaultConfigFile(std::string_view file_name);

// Parses a command's flags and, when the description has a "config" option,
// an INI file: the one --config names, else `default_config_file` when it is
// not empty and exists (DefaultConfigFile()). On --help prints the usage and
// returns false with *exit_code 0; on a usage or configuration error (an
// unreadable file included) prints it and returns false with *exit_code 64.
bool ParseCommandOptions(std::string_view usage_line,
                         const boost::program_options::options_description& description,
                         const boost::program_options::positional_options_description* positional,
                         const std::vector<std::string>& args, OptionsLoader* loader,
                         int* exit_code, const std::string& default_config_file = "");

// Prints "program: message" to stderr and returns ExitCodeFor(status).
int ReportFailure(std::string_view program, const Status& status);

// Prints "program: message" to stderr and returns 64.
int ReportUsageError(std::string_view program, std::string_view message);

}  // namespace erpsync

#endif  // ERPSYNC_COMMON_COMMAND_LINE_H_
