// ServerConfig: erpsync-server settings from config/server.conf (INI) and
// --section.key flags. Every key is documented in config/server.conf and
// the README. Plain data once loaded.
#ifndef ERPSYNC_SERVER_CONFIG_SERVER_CONFIG_H_
#define ERPSYNC_SERVER_CONFIG_SERVER_CONFIG_H_

#include <boost/program_options.hpp>
#include <string>

#include "common/options_loader.h"
#include "common/status.h"
#include "server/store/database.h"

namespace erpsync::server {

struct ServerConfig {
  // [server]
  std::string listen = "127.0.0.1:7443";
  std::string data_dir = "/var/lib/erpsync-server";
  std::string tls_cert_file;
  std::string tls_key_file;
  int shutdown_grace_seconds = 10;
  std::string log_level = "info";
  // [store]
  DatabaseOptions store;

  std::string database_path() const { return data_dir + "/erpsync.db"; }
};

// Adds every config key (as --section.key) and --config to `description`.
void AddServerConfigOptions(boost::program_options::options_description* description);

// Reads the parsed options into a config; INVALID_ARGUMENT naming the file,
// line and key for a bad value.
Result<ServerConfig> ServerConfigFrom(const OptionsLoader& loader);

}  // namespace erpsync::server

#endif  // ERPSYNC_SERVER_CONFIG_SERVER_CONFIG_H_
