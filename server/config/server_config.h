// ServerConfig: erpsync-server settings from config/server.conf (INI) and
// --section.key flags. Every key is documented in config/server.conf and
// the README. Plain data once loaded.
#ifndef ERPSYNC_SERVER_CONFIG_SERVER_CONFIG_H_
#define ERPSYNC_SERVER_CONFIG_SERVER_CONFIG_H_

#include <boost/program_options.hpp>
#include <optional>
#include <string>

#include "common/metrics/metrics_settings.h"
#include "common/options_loader.h"
#include "common/status.h"
#include "server/store/store_options.h"

namespace erpsync::server {

// [mail]: how the approval queues' emails leave the server.
struct MailConfig {
  // "files": RFC 5322 .eml files in dir (the default); "smtp": an SMTP
  // relay.
  std::string mode = "files";
  // Mail directory of mode files; empty: <data_dir>/mail.
  std::string dir;
  std::string smtp_host = "127.0.0.1";
  // 25, or 465 with smtp_tls = tls, unless set.
  int smtp_port = 25;
  int smtp_timeout_seconds = 30;
  // "none" (plain SMTP), "starttls" (required: no plaintext fallback) or
  // "tls" (TLS from the first byte).
  std::string smtp_tls = "none";
  // PEM CA file the relay's certificate must chain to; empty: system CAs.
  std::string smtp_ca_file;
  // AUTH user (empty: no AUTH) and the password of smtp_password_file.
  std::string smtp_user;
  std::string smtp_password;
  // From: address, and the envelope sender unless envelope_from is set.
  std::string from = "erpsync@localhost";
  std::string envelope_from;
  // Name given in EHLO.
  std::string helo = "localhost";
  // Local time of the daily digest, HH:MM; "off" for none.
  std::string digest_at = "07:00";
  // First retry after a failed delivery (doubles up to an hour).
  int retry_seconds = 60;
};

// [web]: the web tool (doc/web.md).
struct WebConfig {
  // host:port of its HTTP(S) listener; empty: none. HTTPS with the
  // server's TLS certificate when it has one; plain HTTP only on loopback
  // unless server.allow_plaintext.
  std::string listen;
  // The tool's files (index.html, js/, ...).
  std::string assets_dir;
  // A session ends after this many minutes without a request.
  int session_idle_minutes = 480;
  // The tool's address as users reach it, for links in mails (behind a
  // proxy, its public name); empty: the listener's own URL.
  std::string public_url;
};

struct ServerConfig {
  // [server]
  std::string listen = "127.0.0.1:7443";
  std::string data_dir = "/var/lib/erpsync-server";
  std::string tls_cert_file;
  std::string tls_key_file;
  // PEM CA(s) whose client certificates the server requires (mutual TLS):
  // a client without one, or with one of another CA, fails its handshake;
  // its token is still checked. Empty: no client certificate asked for.
  // Only with TLS.
  std::string tls_client_ca_file;
  // Plaintext on a non-loopback listen address: an explicit opt-in.
  bool allow_plaintext = false;
  int shutdown_grace_seconds = 10;
  // Bytes of record batches in flight across all sync streams (compressed
  // plus decompressed), and sync streams open at once; more waits, then is
  // RESOURCE_EXHAUSTED (agents retry).
  size_t max_inflight_bytes = 256u << 20;
  int max_sync_streams = 64;
  std::string log_level = "info";
  // [store]
  StoreOptions store;
  // [mail]
  MailConfig mail;
  // [web]
  WebConfig web;
  // [metrics]: the Prometheus endpoint; off (empty listen) unless the
  // configuration turns it on (the packaged server.conf does, on loopback).
  MetricsSettings metrics;

  std::string database_path() const { return data_dir + "/erpsync.db"; }
  std::string mail_dir() const { return mail.dir.empty() ? data_dir + "/mail" : mail.dir; }
};

// Adds every config key (as --section.key) and --config to `description`.
void AddServerConfigOptions(boost::program_options::options_description* description);

// Minutes after midnight of mail.digest_at ("07:30" -> 450); nullopt for
// "off". INVALID_ARGUMENT for anything else.
Result<std::optional<int>> DigestMinute(const std::string& digest_at);

// Reads the parsed options into a config; INVALID_ARGUMENT naming the file,
// line and key for a bad value.
Result<ServerConfig> ServerConfigFrom(const OptionsLoader& loader);

}  // namespace erpsync::server

#endif  // ERPSYNC_SERVER_CONFIG_SERVER_CONFIG_H_
