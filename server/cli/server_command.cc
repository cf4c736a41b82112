#include "server/cli/server_command.h"

#include "common/log.h"

namespace erpsync::server::cli_internal {

bool LoadCommand(const std::string& usage, boost::program_options::options_description& description,
                 const boost::program_options::positional_options_description* positional,
                 const std::vector<std::string>& args, OptionsLoader* loader, ServerConfig* config,
                 int* exit_code) {
  AddServerConfigOptions(&description);
  if (!ParseCommandOptions(usage, description, positional, args, loader, exit_code)) return false;
  Result<ServerConfig> loaded = ServerConfigFrom(*loader);
  if (!loaded.ok()) {
    *exit_code = ReportUsageError(kProgram, loaded.status().message());
    return false;
  }
  *config = *loaded;
  SetLogLevel(*ParseLogLevel(config->log_level));
  return true;
}

}  // namespace erpsync::server::cli_internal
