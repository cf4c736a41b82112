// AgentConfig: erpsync-agent settings from config/agent.conf (INI) and
// --section.key flags. Every key is documented in config/agent.conf and the
// README. Plain data once loaded.
#ifndef ERPSYNC_AGENT_CONFIG_AGENT_CONFIG_H_
#define ERPSYNC_AGENT_CONFIG_AGENT_CONFIG_H_

#include <boost/program_options.hpp>
#include <string>

#include "agent/sync/schedule_settings.h"
#include "agent/sync/sync_settings.h"
#include "common/metrics/metrics_settings.h"
#include "common/options_loader.h"
#include "common/status.h"
#include "common/text_encoding.h"

namespace erpsync::agent {

struct AgentConfig {
  // [server]
  std::string server_address = "127.0.0.1:7443";
  std::string token;        // the token itself (token_file is preferred)
  std::string token_file;   // file holding the token from `erpsync-server agent enroll`
  std::string tls_ca_file;  // empty: plaintext (loopback only)
  // The agent's client certificate chain and key (PEM), for a server that
  // requires one (server.tls_client_ca_file there): both or neither, and
  // only with tls_ca_file.
  std::string tls_cert_file;
  std::string tls_key_file;
  // Plaintext to a non-loopback server: an explicit opt-in.
  bool allow_plaintext = false;
  int ack_timeout_seconds = 120;
  // [erp]
  std::string erp_kind = "sqlite";  // sqlite | odbc
  std::string erp_path;             // sqlite: the company database file
  std::string odbc_connection;      // odbc: connection string (DSN=...;UID=...;PWD=...)
  // The ERP's text encoding (erp.text_encoding; by default Windows-1252 for
  // odbc, UTF-8 for sqlite).
  TextEncoding text_encoding = TextEncoding::kUtf8;
  // [agent]
  std::string state_dir = "/var/lib/erpsync-agent";
  std::string mappings_dir;
  std::string log_level = "info";
  // [sync]
  SyncSettings sync;
  // [schedule] (erpsync-agent run)
  ScheduleSettings schedule;
  // [metrics] (erpsync-agent run): the Prometheus endpoint; off (empty
  // listen) unless the configuration turns it on (the packaged agent.conf
  // does, on loopback).
  MetricsSettings metrics;
};

// Adds every config key (as --section.key) and --config to `description`.
void AddAgentConfigOptions(boost::program_options::options_description* description);

// Reads and checks the parsed options. INVALID_ARGUMENT naming the file,
// line and key for a bad value.
Result<AgentConfig> AgentConfigFrom(const OptionsLoader& loader);

// The agent's token: `token`, else the first line of `token_file`.
// NOT_FOUND when the file cannot be read; INVALID_ARGUMENT when neither is
// set or the token is empty.
Result<std::string> LoadAgentToken(const AgentConfig& config);

}  // namespace erpsync::agent

#endif  // ERPSYNC_AGENT_CONFIG_AGENT_CONFIG_H_
