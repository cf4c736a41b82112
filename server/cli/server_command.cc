#include "server/cli/server_command.h"

#include <iostream>

#include "common/exit_code.h"
#include "common/file_util.h"
#include "common/log.h"

namespace erpsync::server::cli_internal {

bool LoadCommand(const std::string& usage, boost::program_options::options_description& description,
                 const boost::program_options::positional_options_description* positional,
                 const std::vector<std::string>& args, OptionsLoader* loader, ServerConfig* config,
                 int* exit_code) {
  AddServerConfigOptions(&description);
  if (!ParseCommandOptions(usage, description, positional, args, loader, exit_code,
                           DefaultConfigFile("server.conf"))) {
    return false;
  }
  Result<ServerConfig> loaded = ServerConfigFrom(*loader);
  if (!loaded.ok()) {
    *exit_code = ReportUsageError(kProgram, loaded.status().message());
    return false;
  }
  *config = *loaded;
  SetLogLevel(*ParseLogLevel(config->log_level));
  return true;
}

int HandOutToken(const OptionsLoader& loader, const std::string& token, const std::string& what) {
  if (loader.Has("token-file")) {
    const std::string path = loader.Get<std::string>("token-file");
    const Status written = WriteFileAtomically(path, token + "\n", 0600);
    if (!written.ok()) return ReportFailure(kProgram, written);
    std::cerr << what << "; its token was written to " << path
              << " (the server keeps only a hash: it cannot be shown again)\n";
    return kExitOk;
  }
  std::cerr << what << ". Its token follows; store it now, it is not shown again:\n";
  std::cout << token << "\n";
  return kExitOk;
}

int ReportOpenFailure(const Status& status) {
  const int code = ReportFailure(kProgram, status);
  return status.code() == StatusCode::kNotFound ? kExitNoInput : code;
}

}  // namespace erpsync::server::cli_internal
