#include "server/config/server_config.h"

#include "common/log.h"

namespace erpsync::server {
namespace po = boost::program_options;

void AddServerConfigOptions(po::options_description* description) {
  const ServerConfig defaults;
  description->add_options()
      ("config", po::value<std::string>(), "configuration file (INI), e.g. /etc/erpsync/server.conf")
      ("server.listen", po::value<std::string>()->default_value(defaults.listen),
       "address to listen on, host:port (port 0 picks a free port)")
      ("server.data_dir", po::value<std::string>()->default_value(defaults.data_dir),
       "directory of the server's database")
      ("server.tls_cert_file", po::value<std::string>()->default_value(""),
       "PEM certificate chain; with tls_key_file enables TLS")
      ("server.tls_key_file", po::value<std::string>()->default_value(""), "PEM private key")
      ("server.shutdown_grace_seconds",
       po::value<int>()->default_value(defaults.shutdown_grace_seconds),
       "on SIGTERM, how long open streams may finish their current message")
      ("server.log_level", po::value<std::string>()->default_value(defaults.log_level),
       "debug, info, warning, error")
      ("store.synchronous", po::value<std::string>()->default_value(defaults.store.synchronous),
       "normal (durable across crashes of the process) or full (also across power loss)")
      ("store.busy_timeout_ms", po::value<int>()->default_value(defaults.store.busy_timeout_ms),
       "how long to wait for a database lock held by another process");
}

Result<ServerConfig> ServerConfigFrom(const OptionsLoader& loader) {
  ServerConfig config;
  config.listen = loader.Get<std::string>("server.listen");
  config.data_dir = loader.Get<std::string>("server.data_dir");
  config.tls_cert_file = loader.Get<std::string>("server.tls_cert_file");
  config.tls_key_file = loader.Get<std::string>("server.tls_key_file");
  config.shutdown_grace_seconds = loader.Get<int>("server.shutdown_grace_seconds");
  config.log_level = loader.Get<std::string>("server.log_level");
  config.store.synchronous = loader.Get<std::string>("store.synchronous");
  config.store.busy_timeout_ms = loader.Get<int>("store.busy_timeout_ms");
  if (config.listen.find(':') == std::string::npos) {
    return loader.KeyError("server.listen", "'" + config.listen + "' is not host:port");
  }
  if (config.data_dir.empty()) return loader.KeyError("server.data_dir", "must not be empty");
  if (config.tls_cert_file.empty() != config.tls_key_file.empty()) {
    return loader.KeyError(config.tls_cert_file.empty() ? "server.tls_cert_file" : "server.tls_key_file",
                           "TLS needs both tls_cert_file and tls_key_file");
  }
  if (config.shutdown_grace_seconds < 0 || config.shutdown_grace_seconds > 3600) {
    return loader.KeyError("server.shutdown_grace_seconds", "must be 0..3600");
  }
  if (!ParseLogLevel(config.log_level).ok()) {
    return loader.KeyError("server.log_level", ParseLogLevel(config.log_level).status().message());
  }
  if (config.store.synchronous != "normal" && config.store.synchronous != "full") {
    return loader.KeyError("store.synchronous",
                           "'" + config.store.synchronous + "' is not normal or full");
  }
  if (config.store.busy_timeout_ms < 0) {
    return loader.KeyError("store.busy_timeout_ms", "must not be negative");
  }
  return config;
}

}  // namespace erpsync::server
