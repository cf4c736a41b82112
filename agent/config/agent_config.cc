#include "agent/config/agent_config.h"

#include "agent/sync/timeframe.h"
#include "common/command_line.h"
#include "common/file_util.h"
#include "common/log.h"
#include "common/net_address.h"

#ifndef ERPSYNC_DEFAULT_MAPPINGS_DIR
#define ERPSYNC_DEFAULT_MAPPINGS_DIR "/usr/share/erpsync/mappings/sage300cre"
#endif

namespace erpsync::agent {
namespace po = boost::program_options;

void AddAgentConfigOptions(po::options_description* description) {
  const AgentConfig defaults;
  description->add_options()
      ("config", po::value<std::string>(),
       ("configuration file (INI); without it, " + DefaultConfigFile("agent.conf") +
        " if it exists").c_str())
      ("server.address", po::value<std::string>()->default_value(defaults.server_address),
       "erpsync-server address, host:port; or several, comma-separated, tried in order (servers "
       "sharing one PostgreSQL store)")
      ("server.token", po::value<std::string>()->default_value(""),
       "the agent's token (prefer token_file)")
      ("server.token_file", po::value<std::string>()->default_value(""),
       "file holding the token printed by `erpsync-server agent enroll`")
      ("server.tls_ca_file", po::value<std::string>()->default_value(""),
       "PEM CA certificate of the server; empty for plaintext (loopback only)")
      ("server.tls_cert_file", po::value<std::string>()->default_value(""),
       "PEM client certificate (chain) of this agent, for a server that requires one (mutual "
       "TLS); with tls_key_file and tls_ca_file")
      ("server.tls_key_file", po::value<std::string>()->default_value(""),
       "PEM private key of server.tls_cert_file")
      ("server.allow_plaintext", po::value<bool>()->default_value(false),
       "connect in plaintext to a server that is not on loopback (the token then crosses "
       "the network in clear: an isolated network only)")
      ("server.ack_timeout_seconds", po::value<int>()->default_value(defaults.ack_timeout_seconds),
       "give up on a server that has not answered for this long, and reconnect")
      ("erp.kind", po::value<std::string>()->default_value(defaults.erp_kind),
       "sqlite (the sample company) or odbc (Sage 300 CRE)")
      ("erp.path", po::value<std::string>()->default_value(""), "sqlite: the company database file")
      ("erp.odbc_connection", po::value<std::string>()->default_value(""),
       "odbc: connection string, e.g. DSN=Sage300;UID=erpsync;PWD=...")
      ("erp.text_encoding", po::value<std::string>()->default_value(""),
       "encoding of the ERP's text: windows-1252 or utf-8; empty: windows-1252 for odbc "
       "(Sage 300 CRE), utf-8 for sqlite (the sample company)")
      ("agent.state_dir", po::value<std::string>()->default_value(defaults.state_dir),
       "directory of the agent's own state (checkpoints, settings)")
      ("agent.mappings_dir", po::value<std::string>()->default_value(ERPSYNC_DEFAULT_MAPPINGS_DIR),
       "directory of the Advanced Mappings catalog (*.textproto)")
      ("agent.log_level", po::value<std::string>()->default_value(defaults.log_level),
       "debug, info, warning, error")
      ("sync.batch_records", po::value<int>()->default_value(defaults.sync.batch_records),
       "records per batch, at most")
      ("sync.batch_bytes", po::value<int>()->default_value(static_cast<int>(defaults.sync.batch_bytes)),
       "bytes per batch, at most (approximate)")
      ("sync.compression_level", po::value<int>()->default_value(defaults.sync.compression_level),
       "zstd level of the record batches sent (1 fastest .. 19 smallest; 0 for none)")
      ("sync.max_record_bytes",
       po::value<int>()->default_value(static_cast<int>(defaults.sync.max_record_bytes)),
       "a row whose record would be larger is quarantined, not sent")
      ("sync.window", po::value<int>()->default_value(defaults.sync.window),
       "batches in flight before waiting for acknowledgements")
      ("sync.stamp_lag_seconds", po::value<int>()->default_value(defaults.sync.stamp_lag_seconds),
       "incremental reads stop this far behind the clock (rows still being written)")
      ("sync.retry_for_seconds",
       po::value<int>()->default_value(static_cast<int>(defaults.sync.retry_for.count())),
       "keep reconnecting to an unreachable server this long before giving up")
      ("schedule.incremental_every_seconds",
       po::value<int>()->default_value(static_cast<int>(defaults.schedule.incremental_every.count())),
       "run: an incremental sync this often")
      ("schedule.deep_at", po::value<std::string>()->default_value(defaults.schedule.deep_at),
       "run: a deep sync daily at this local time (HH:MM), or never")
      ("schedule.deep_since", po::value<std::string>()->default_value(defaults.schedule.deep_since),
       "run: timeframe of the scheduled deep syncs")
      ("metrics.listen", po::value<std::string>()->default_value(""),
       "run: ip:port of the Prometheus endpoint (/metrics), e.g. 127.0.0.1:9742 (port 0 picks a "
       "free port); off or empty: none")
      ("metrics.allow_remote", po::value<bool>()->default_value(false),
       "run: let metrics.listen be an address that is not loopback (the metrics are served "
       "unauthenticated)");
}

Result<AgentConfig> AgentConfigFrom(const OptionsLoader& loader) {
  AgentConfig config;
  config.server_address = loader.Get<std::string>("server.address");
  config.token = loader.Get<std::string>("server.token");
  config.token_file = loader.Get<std::string>("server.token_file");
  config.tls_ca_file = loader.Get<std::string>("server.tls_ca_file");
  config.tls_cert_file = loader.Get<std::string>("server.tls_cert_file");
  config.tls_key_file = loader.Get<std::string>("server.tls_key_file");
  config.allow_plaintext = loader.Get<bool>("server.allow_plaintext");
  config.ack_timeout_seconds = loader.Get<int>("server.ack_timeout_seconds");
  config.erp_kind = loader.Get<std::string>("erp.kind");
  config.erp_path = loader.Get<std::string>("erp.path");
  config.odbc_connection = loader.Get<std::string>("erp.odbc_connection");
  const std::string encoding = loader.Get<std::string>("erp.text_encoding");
  config.state_dir = loader.Get<std::string>("agent.state_dir");
  config.mappings_dir = loader.Get<std::string>("agent.mappings_dir");
  config.log_level = loader.Get<std::string>("agent.log_level");
  config.sync.batch_records = loader.Get<int>("sync.batch_records");
  config.sync.batch_bytes = static_cast<size_t>(loader.Get<int>("sync.batch_bytes"));
  const int max_record_bytes = loader.Get<int>("sync.max_record_bytes");
  config.sync.window = loader.Get<int>("sync.window");
  config.sync.compression_level = loader.Get<int>("sync.compression_level");
  config.sync.stamp_lag_seconds = loader.Get<int>("sync.stamp_lag_seconds");
  config.sync.retry_for = std::chrono::seconds(loader.Get<int>("sync.retry_for_seconds"));

  config.schedule.incremental_every =
      std::chrono::seconds(loader.Get<int>("schedule.incremental_every_seconds"));
  config.schedule.deep_at = loader.Get<std::string>("schedule.deep_at");
  if (config.schedule.deep_at == "never") config.schedule.deep_at.clear();
  config.schedule.deep_since = loader.Get<std::string>("schedule.deep_since");
  Result<MetricsSettings> metrics = LoadMetricsSettings(loader);
  if (!metrics.ok()) return metrics.status();
  config.metrics = *std::move(metrics);

  if (const Result<std::vector<std::string>> addresses = SplitAddressList(config.server_address);
      !addresses.ok()) {
    return loader.KeyError("server.address", addresses.status().message());
  }
  if (config.ack_timeout_seconds < 1) {
    return loader.KeyError("server.ack_timeout_seconds", "must be at least 1");
  }
  if (config.erp_kind != "sqlite" && config.erp_kind != "odbc") {
    return loader.KeyError("erp.kind", "'" + config.erp_kind + "' is not sqlite or odbc");
  }
  if (encoding.empty()) {
    config.text_encoding =
        config.erp_kind == "odbc" ? TextEncoding::kWindows1252 : TextEncoding::kUtf8;
  } else {
    const Result<TextEncoding> parsed = ParseTextEncoding(encoding);
    if (!parsed.ok()) return loader.KeyError("erp.text_encoding", parsed.status().message());
    config.text_encoding = *parsed;
  }
  if (config.tls_ca_file.empty() && !config.allow_plaintext &&
      !IsLoopbackAddressList(config.server_address)) {
    return loader.KeyError("server.address",
                           config.server_address +
                               " is not on loopback and server.tls_ca_file is empty (plaintext): "
                               "the agent's token would cross the network in clear. Give the "
                               "CA of the server's certificate in server.tls_ca_file, or set "
                               "server.allow_plaintext = true (an isolated network only)");
  }
  if (config.tls_cert_file.empty() != config.tls_key_file.empty()) {
    return loader.KeyError(
        config.tls_cert_file.empty() ? "server.tls_key_file" : "server.tls_cert_file",
        "a client certificate needs both server.tls_cert_file and server.tls_key_file");
  }
  if (!config.tls_cert_file.empty() && config.tls_ca_file.empty()) {
    return loader.KeyError("server.tls_cert_file",
                           "a client certificate needs TLS: set server.tls_ca_file too");
  }
  if (config.state_dir.empty()) return loader.KeyError("agent.state_dir", "must not be empty");
  if (!ParseLogLevel(config.log_level).ok()) {
    return loader.KeyError("agent.log_level", ParseLogLevel(config.log_level).status().message());
  }
  if (config.sync.batch_records < 1 || config.sync.batch_records > 100000) {
    return loader.KeyError("sync.batch_records", "must be 1..100000");
  }
  if (loader.Get<int>("sync.batch_bytes") < 1024) {
    return loader.KeyError("sync.batch_bytes", "must be at least 1024");
  }
  if (max_record_bytes < 1024 || max_record_bytes > kMaxRecordBytesLimit) {
    return loader.KeyError("sync.max_record_bytes",
                           "must be 1024.." + std::to_string(kMaxRecordBytesLimit));
  }
  config.sync.max_record_bytes = static_cast<size_t>(max_record_bytes);
  if (config.sync.compression_level < 0 || config.sync.compression_level > 19) {
    return loader.KeyError("sync.compression_level", "must be 0..19");
  }
  if (config.sync.window < 1 || config.sync.window > 256) {
    return loader.KeyError("sync.window", "must be 1..256");
  }
  if (config.sync.stamp_lag_seconds < 0) {
    return loader.KeyError("sync.stamp_lag_seconds", "must not be negative");
  }
  if (config.sync.retry_for.count() < 0) {
    return loader.KeyError("sync.retry_for_seconds", "must not be negative");
  }
  if (config.schedule.incremental_every.count() < 1) {
    return loader.KeyError("schedule.incremental_every_seconds", "must be at least 1");
  }
  if (!config.schedule.deep_at.empty()) {
    const Result<int> minutes = ParseTimeOfDayMinutes(config.schedule.deep_at);
    if (!minutes.ok()) return loader.KeyError("schedule.deep_at", minutes.status().message());
  }
  if (const Result<Timeframe> since = ParseTimeframe(config.schedule.deep_since, "2000-01-01");
      !since.ok()) {
    return loader.KeyError("schedule.deep_since", since.status().message());
  }
  return config;
}

Result<std::string> LoadAgentToken(const AgentConfig& config) {
  std::string token = config.token;
  if (token.empty()) {
    if (config.token_file.empty()) {
      return InvalidArgumentError("no agent token: set server.token_file (or server.token) to "
                                  "the token printed by `erpsync-server agent enroll`");
    }
    ERPSYNC_ASSIGN_OR_RETURN(token, ReadSmallFile(config.token_file));
    token = token.substr(0, token.find_first_of("\r\n"));
    if (token.empty()) {
      return InvalidArgumentError("the token file " + config.token_file + " is empty");
    }
  }
  return token;
}

}  // namespace erpsync::agent
