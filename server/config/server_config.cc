#include "server/config/server_config.h"

#include "common/command_line.h"
#include "common/file_util.h"
#include "common/grpc/tls_certificate.h"
#include "common/log.h"
#include "common/net_address.h"
#include "common/private_files.h"
#include "common/sync_limits.h"
#include "server/store/postgres/pg_connection.h"

namespace erpsync::server {
namespace po = boost::program_options;

void AddServerConfigOptions(po::options_description* description) {
  const ServerConfig defaults;
  description->add_options()
      ("config", po::value<std::string>(),
       ("configuration file (INI); without it, " + DefaultConfigFile("server.conf") +
        " if it exists").c_str())
      ("server.listen", po::value<std::string>()->default_value(defaults.listen),
       "address to listen on, host:port (port 0 picks a free port)")
      ("server.data_dir", po::value<std::string>()->default_value(defaults.data_dir),
       "directory of the server's database")
      ("server.tls_cert_file", po::value<std::string>()->default_value(""),
       "PEM certificate chain; with tls_key_file enables TLS")
      ("server.tls_key_file", po::value<std::string>()->default_value(""), "PEM private key")
      ("server.tls_client_ca_file", po::value<std::string>()->default_value(""),
       "PEM CA certificate(s): clients must present a certificate issued by one (mutual TLS), "
       "beside their token; needs tls_cert_file")
      ("server.allow_plaintext", po::value<bool>()->default_value(false),
       "serve plaintext on a non-loopback address (bearer tokens then cross the network in "
       "clear: only behind a TLS-terminating proxy or on an isolated network)")
      ("server.max_inflight_bytes",
       po::value<int64_t>()->default_value(static_cast<int64_t>(defaults.max_inflight_bytes)),
       "bytes of record batches in memory across all sync streams; more wait (then "
       "RESOURCE_EXHAUSTED: agents retry)")
      ("server.max_sync_streams", po::value<int>()->default_value(defaults.max_sync_streams),
       "sync streams open at once; more are RESOURCE_EXHAUSTED (agents retry)")
      ("server.shutdown_grace_seconds",
       po::value<int>()->default_value(defaults.shutdown_grace_seconds),
       "on SIGTERM, how long open streams may finish their current message")
      ("server.log_level", po::value<std::string>()->default_value(defaults.log_level),
       "debug, info, warning, error")
      ("store.kind", po::value<std::string>()->default_value("sqlite"),
       "sqlite (one file in server.data_dir) or postgresql (store.postgresql_dsn)")
      ("store.synchronous",
       po::value<std::string>()->default_value(defaults.store.sqlite.synchronous),
       "sqlite: normal (durable across crashes of the process) or full (also across power loss)")
      ("store.busy_timeout_ms",
       po::value<int>()->default_value(defaults.store.sqlite.busy_timeout_ms),
       "sqlite: how long to wait for a database lock held by another process")
      ("store.postgresql_dsn", po::value<std::string>()->default_value(""),
       "postgresql: a libpq connection string or URI, without the password")
      ("store.postgresql_password_file", po::value<std::string>()->default_value(""),
       "postgresql: a file holding the password (not readable by others); otherwise libpq's "
       "PGPASSWORD or ~/.pgpass")
      ("store.postgresql_max_connections",
       po::value<int>()->default_value(defaults.store.postgresql.max_connections),
       "postgresql: most connections this server opens")
      ("mail.mode", po::value<std::string>()->default_value(defaults.mail.mode),
       "files (.eml files in mail.dir) or smtp (a relay)")
      ("mail.dir", po::value<std::string>()->default_value(""),
       "mail directory of mode files (default <data_dir>/mail)")
      ("mail.smtp_host", po::value<std::string>()->default_value(defaults.mail.smtp_host),
       "SMTP relay host (mode smtp)")
      ("mail.smtp_port", po::value<int>()->default_value(defaults.mail.smtp_port),
       "SMTP relay port (465 when not set and smtp_tls = tls)")
      ("mail.smtp_timeout_seconds",
       po::value<int>()->default_value(defaults.mail.smtp_timeout_seconds),
       "give up on a silent relay after this long (the mail is retried later)")
      ("mail.smtp_tls", po::value<std::string>()->default_value(defaults.mail.smtp_tls),
       "none (plain SMTP), starttls (required, no plaintext fallback) or tls (TLS from the "
       "first byte, port 465)")
      ("mail.smtp_ca_file", po::value<std::string>()->default_value(""),
       "PEM CA certificate(s) the relay's certificate must chain to (default: the system's CAs)")
      ("mail.smtp_user", po::value<std::string>()->default_value(""),
       "AUTH user name at the relay (empty: no AUTH); needs smtp_password_file")
      ("mail.smtp_password_file", po::value<std::string>()->default_value(""),
       "a file holding the AUTH password (not readable by others)")
      ("mail.from", po::value<std::string>()->default_value(defaults.mail.from),
       "sender address of notifications (From:, and the envelope sender)")
      ("mail.envelope_from", po::value<std::string>()->default_value(""),
       "envelope sender (MAIL FROM: where bounces go) when it is not mail.from")
      ("mail.helo", po::value<std::string>()->default_value(defaults.mail.helo),
       "name given to the relay in EHLO")
      ("mail.digest_at", po::value<std::string>()->default_value(defaults.mail.digest_at),
       "local time HH:MM of the approvers' daily digest, or off")
      ("mail.retry_seconds", po::value<int>()->default_value(defaults.mail.retry_seconds),
       "first retry after a failed delivery; doubles up to an hour")
      ("web.listen", po::value<std::string>()->default_value(""),
       "host:port of the web tool (HTTPS with the server's certificate; HTTP on loopback); off "
       "or empty: none")
      ("web.assets_dir", po::value<std::string>()->default_value(ERPSYNC_WEB_ASSETS_DIR),
       "the web tool's files")
      ("web.session_idle_minutes",
       po::value<int>()->default_value(defaults.web.session_idle_minutes),
       "a web session ends after this many minutes without a request (1..10080)")
      ("web.public_url", po::value<std::string>()->default_value(""),
       "the web tool's address as users reach it, for links in mails; empty: the listener's")
      ("metrics.listen", po::value<std::string>()->default_value(""),
       "ip:port of the Prometheus endpoint (/metrics), e.g. 127.0.0.1:9741 (port 0 picks a free "
       "port); off or empty: none")
      ("metrics.allow_remote", po::value<bool>()->default_value(false),
       "let metrics.listen be an address that is not loopback (the metrics are served "
       "unauthenticated)");
}

namespace {

// The secret of the file that `key` names (ReadSecretFile: a file others
// may read is refused); INVALID_ARGUMENT naming the key otherwise.
Result<std::string> ReadSecretKey(const OptionsLoader& loader, std::string_view key) {
  Result<std::string> secret = ReadSecretFile(loader.Get<std::string>(key));
  if (!secret.ok()) return loader.KeyError(key, secret.status().message());
  return secret;
}

// mail.smtp_tls, smtp_port's default, smtp_ca_file and AUTH: the checks that
// keep a password and the mail from crossing the network in clear.
Status CheckSmtpSecurity(const OptionsLoader& loader, MailConfig* mail) {
  if (mail->smtp_tls != "none" && mail->smtp_tls != "starttls" && mail->smtp_tls != "tls") {
    return loader.KeyError("mail.smtp_tls",
                           "'" + mail->smtp_tls + "' is not none, starttls or tls");
  }
  if (mail->smtp_tls == "tls" && loader.values()["mail.smtp_port"].defaulted()) {
    mail->smtp_port = 465;
  }
  if (!mail->smtp_ca_file.empty()) {
    if (mail->smtp_tls == "none") {
      return loader.KeyError("mail.smtp_ca_file",
                             "is only used with TLS: set mail.smtp_tls to starttls or tls");
    }
    const Result<std::string> pem = ReadSmallFile(mail->smtp_ca_file);
    if (!pem.ok()) return loader.KeyError("mail.smtp_ca_file", pem.status().message());
    const Status ca = CheckCaCertificates(*pem, mail->smtp_ca_file, "SMTP relay CA file");
    if (!ca.ok()) return loader.KeyError("mail.smtp_ca_file", ca.message());
  }
  const bool has_password_file = !loader.Get<std::string>("mail.smtp_password_file").empty();
  if (mail->smtp_user.empty() != !has_password_file) {
    return loader.KeyError(mail->smtp_user.empty() ? "mail.smtp_password_file" : "mail.smtp_user",
                           "AUTH needs both mail.smtp_user and mail.smtp_password_file");
  }
  if (!mail->smtp_user.empty() && mail->smtp_tls == "none" && !IsLoopbackAddress(mail->smtp_host)) {
    return loader.KeyError("mail.smtp_user",
                           "AUTH to " + mail->smtp_host +
                               ", which is not a loopback address, needs TLS: the password would "
                               "cross the network in clear. Set mail.smtp_tls to starttls or tls");
  }
  return Status::Ok();
}

// [web]: the listener's address, the plaintext rule, the session limit.
Status CheckWebConfig(const OptionsLoader& loader, const ServerConfig& config) {
  const WebConfig& web = config.web;
  if (web.listen.empty()) return Status::Ok();
  if (!PortOf(web.listen)) {
    return loader.KeyError("web.listen", "'" + web.listen + "' is not host:port");
  }
  if (config.tls_cert_file.empty() && !config.allow_plaintext && !IsLoopbackAddress(web.listen)) {
    return loader.KeyError("web.listen",
                           web.listen +
                               " is not a loopback address and TLS is off: sessions and tokens "
                               "would cross the network in clear. Set server.tls_cert_file and "
                               "server.tls_key_file, or server.allow_plaintext = true (behind a "
                               "TLS-terminating proxy)");
  }
  if (web.session_idle_minutes < 1 || web.session_idle_minutes > 10080) {
    return loader.KeyError("web.session_idle_minutes", "must be 1..10080 (a week)");
  }
  if (web.assets_dir.empty()) return loader.KeyError("web.assets_dir", "must not be empty");
  if (!web.public_url.empty() && web.public_url.rfind("https://", 0) != 0 &&
      web.public_url.rfind("http://", 0) != 0) {
    return loader.KeyError("web.public_url",
                           "'" + web.public_url + "' is not an http:// or https:// URL");
  }
  return Status::Ok();
}

}  // namespace

Result<std::optional<int>> DigestMinute(const std::string& digest_at) {
  if (digest_at == "off") return std::optional<int>();
  const bool shaped = digest_at.size() == 5 && digest_at[2] == ':' &&
                      digest_at.find_first_not_of("0123456789:") == std::string::npos;
  const int hours = shaped ? std::stoi(digest_at.substr(0, 2)) : -1;
  const int minutes = shaped ? std::stoi(digest_at.substr(3, 2)) : -1;
  if (hours < 0 || hours > 23 || minutes < 0 || minutes > 59) {
    return InvalidArgumentError("'" + digest_at + "' is not a time HH:MM (00:00..23:59) or off");
  }
  return std::optional<int>(hours * 60 + minutes);
}

Result<ServerConfig> ServerConfigFrom(const OptionsLoader& loader) {
  ServerConfig config;
  config.listen = loader.Get<std::string>("server.listen");
  config.data_dir = loader.Get<std::string>("server.data_dir");
  config.tls_cert_file = loader.Get<std::string>("server.tls_cert_file");
  config.tls_key_file = loader.Get<std::string>("server.tls_key_file");
  config.tls_client_ca_file = loader.Get<std::string>("server.tls_client_ca_file");
  config.allow_plaintext = loader.Get<bool>("server.allow_plaintext");
  config.shutdown_grace_seconds = loader.Get<int>("server.shutdown_grace_seconds");
  const int64_t max_inflight_bytes = loader.Get<int64_t>("server.max_inflight_bytes");
  config.max_sync_streams = loader.Get<int>("server.max_sync_streams");
  config.log_level = loader.Get<std::string>("server.log_level");
  const std::string store_kind = loader.Get<std::string>("store.kind");
  config.store.sqlite.synchronous = loader.Get<std::string>("store.synchronous");
  config.store.sqlite.busy_timeout_ms = loader.Get<int>("store.busy_timeout_ms");
  config.store.postgresql.dsn = loader.Get<std::string>("store.postgresql_dsn");
  const std::string password_file = loader.Get<std::string>("store.postgresql_password_file");
  config.store.postgresql.max_connections = loader.Get<int>("store.postgresql_max_connections");
  config.mail.mode = loader.Get<std::string>("mail.mode");
  config.mail.dir = loader.Get<std::string>("mail.dir");
  config.mail.smtp_host = loader.Get<std::string>("mail.smtp_host");
  config.mail.smtp_port = loader.Get<int>("mail.smtp_port");
  config.mail.smtp_timeout_seconds = loader.Get<int>("mail.smtp_timeout_seconds");
  config.mail.smtp_tls = loader.Get<std::string>("mail.smtp_tls");
  config.mail.smtp_ca_file = loader.Get<std::string>("mail.smtp_ca_file");
  config.mail.smtp_user = loader.Get<std::string>("mail.smtp_user");
  const std::string smtp_password_file = loader.Get<std::string>("mail.smtp_password_file");
  config.mail.from = loader.Get<std::string>("mail.from");
  config.mail.envelope_from = loader.Get<std::string>("mail.envelope_from");
  config.mail.helo = loader.Get<std::string>("mail.helo");
  config.mail.digest_at = loader.Get<std::string>("mail.digest_at");
  config.mail.retry_seconds = loader.Get<int>("mail.retry_seconds");
  config.web.listen = loader.Get<std::string>("web.listen");
  if (config.web.listen == "off") config.web.listen.clear();
  config.web.assets_dir = loader.Get<std::string>("web.assets_dir");
  config.web.session_idle_minutes = loader.Get<int>("web.session_idle_minutes");
  config.web.public_url = loader.Get<std::string>("web.public_url");
  Result<MetricsSettings> metrics = LoadMetricsSettings(loader);
  if (!metrics.ok()) return metrics.status();
  config.metrics = *std::move(metrics);
  if (config.listen.find(':') == std::string::npos) {
    return loader.KeyError("server.listen", "'" + config.listen + "' is not host:port");
  }
  if (config.data_dir.empty()) return loader.KeyError("server.data_dir", "must not be empty");
  if (config.tls_cert_file.empty() != config.tls_key_file.empty()) {
    return loader.KeyError(config.tls_cert_file.empty() ? "server.tls_cert_file" : "server.tls_key_file",
                           "TLS needs both tls_cert_file and tls_key_file");
  }
  if (!config.tls_client_ca_file.empty() && config.tls_cert_file.empty()) {
    return loader.KeyError("server.tls_client_ca_file",
                           "client certificates need TLS: set server.tls_cert_file and "
                           "server.tls_key_file too");
  }
  if (config.tls_cert_file.empty() && !config.allow_plaintext &&
      !IsLoopbackAddress(config.listen)) {
    return loader.KeyError("server.listen",
                           config.listen +
                               " is not a loopback address and TLS is off: tokens would cross the "
                               "network in clear. Set server.tls_cert_file and "
                               "server.tls_key_file, or server.allow_plaintext = true (behind a "
                               "TLS-terminating proxy or on an isolated network)");
  }
  ERPSYNC_RETURN_IF_ERROR(CheckWebConfig(loader, config));
  // Room for at least one batch of the largest size (message and records).
  const SyncLimits limits;
  const int64_t smallest_budget =
      static_cast<int64_t>(limits.max_message_bytes + limits.max_batch_bytes);
  if (max_inflight_bytes < smallest_budget) {
    return loader.KeyError("server.max_inflight_bytes",
                           "must be at least " + std::to_string(smallest_budget) +
                               " (one batch of the largest size)");
  }
  config.max_inflight_bytes = static_cast<size_t>(max_inflight_bytes);
  if (config.max_sync_streams < 1) {
    return loader.KeyError("server.max_sync_streams", "must be at least 1");
  }
  if (config.shutdown_grace_seconds < 0 || config.shutdown_grace_seconds > 3600) {
    return loader.KeyError("server.shutdown_grace_seconds", "must be 0..3600");
  }
  if (!ParseLogLevel(config.log_level).ok()) {
    return loader.KeyError("server.log_level", ParseLogLevel(config.log_level).status().message());
  }
  if (store_kind == "sqlite") {
    config.store.kind = StoreKind::kSqlite;
  } else if (store_kind == "postgresql") {
    config.store.kind = StoreKind::kPostgresql;
  } else {
    return loader.KeyError("store.kind", "'" + store_kind + "' is not sqlite or postgresql");
  }
  if (config.store.sqlite.synchronous != "normal" && config.store.sqlite.synchronous != "full") {
    return loader.KeyError("store.synchronous",
                           "'" + config.store.sqlite.synchronous + "' is not normal or full");
  }
  if (config.store.sqlite.busy_timeout_ms < 0) {
    return loader.KeyError("store.busy_timeout_ms", "must not be negative");
  }
  if (config.store.kind == StoreKind::kPostgresql && config.store.postgresql.dsn.empty()) {
    return loader.KeyError("store.postgresql_dsn",
                           "must be set with store.kind = postgresql (e.g. \"host=db1 "
                           "dbname=erpsync user=erpsync\")");
  }
  if (!config.store.postgresql.dsn.empty()) {
    const Result<bool> has_password = PgConnection::DsnHasPassword(config.store.postgresql.dsn);
    if (!has_password.ok()) {
      return loader.KeyError("store.postgresql_dsn", has_password.status().message());
    }
    if (*has_password) {
      return loader.KeyError("store.postgresql_dsn",
                             "must not hold the password (server.conf is not a secret): use "
                             "store.postgresql_password_file, PGPASSWORD or ~/.pgpass");
    }
  }
  if (config.store.postgresql.max_connections < 1 ||
      config.store.postgresql.max_connections > 1000) {
    return loader.KeyError("store.postgresql_max_connections", "must be 1..1000");
  }
  if (!password_file.empty()) {
    ERPSYNC_ASSIGN_OR_RETURN(config.store.postgresql.password,
                             ReadSecretKey(loader, "store.postgresql_password_file"));
  }
  if (config.mail.mode != "files" && config.mail.mode != "smtp") {
    return loader.KeyError("mail.mode", "'" + config.mail.mode + "' is not files or smtp");
  }
  if (config.mail.smtp_port < 1 || config.mail.smtp_port > 65535) {
    return loader.KeyError("mail.smtp_port", "must be 1..65535");
  }
  if (config.mail.smtp_timeout_seconds < 1 || config.mail.smtp_timeout_seconds > 600) {
    return loader.KeyError("mail.smtp_timeout_seconds", "must be 1..600");
  }
  if (config.mail.mode == "smtp" && config.mail.smtp_host.empty()) {
    return loader.KeyError("mail.smtp_host", "mode smtp needs a relay host");
  }
  ERPSYNC_RETURN_IF_ERROR(CheckSmtpSecurity(loader, &config.mail));
  if (!smtp_password_file.empty()) {
    ERPSYNC_ASSIGN_OR_RETURN(config.mail.smtp_password,
                             ReadSecretKey(loader, "mail.smtp_password_file"));
  }
  const auto plain = [](const std::string& address) {
    return address.find_first_of("<>\r\n ") == std::string::npos;
  };
  if (config.mail.from.empty() || !plain(config.mail.from)) {
    return loader.KeyError("mail.from", "'" + config.mail.from + "' is not a plain address");
  }
  if (!plain(config.mail.envelope_from)) {
    return loader.KeyError("mail.envelope_from",
                           "'" + config.mail.envelope_from + "' is not a plain address");
  }
  if (!DigestMinute(config.mail.digest_at).ok()) {
    return loader.KeyError("mail.digest_at", DigestMinute(config.mail.digest_at).status().message());
  }
  if (config.mail.retry_seconds < 1 || config.mail.retry_seconds > 3600) {
    return loader.KeyError("mail.retry_seconds", "must be 1..3600");
  }
  return config;
}

}  // namespace erpsync::server
