#include "common/grpc/grpc_util.h"

#include <grpc/support/log.h>

#include <algorithm>
#include <chrono>
#include <string>
#include <vector>

#include "common/grpc/tls_certificate.h"
#include "common/log.h"
#include "common/net_address.h"

namespace erpsync {

grpc::Status ToGrpcStatus(const Status& status) {
  if (status.ok()) return grpc::Status::OK;
  return grpc::Status(static_cast<grpc::StatusCode>(status.code()), status.message());
}

Status FromGrpcStatus(const grpc::Status& status) {
  if (status.ok()) return Status::Ok();
  return Status(static_cast<StatusCode>(status.error_code()), status.error_message());
}

namespace {

int64_t NowUnix() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// The PEM text of a certificate and its key, read and checked
// (CheckCertificateAndKey): NOT_FOUND when a file cannot be read.
struct KeyPair {
  std::string cert;
  std::string key;
};
Result<KeyPair> ReadKeyPair(const std::string& cert_file, const std::string& key_file,
                            const std::string& what) {
  auto cert = ReadSmallFile(cert_file);
  if (!cert.ok()) return NotFoundError(what + " certificate: " + cert.status().message());
  auto key = ReadSmallFile(key_file);
  if (!key.ok()) return NotFoundError(what + " private key: " + key.status().message());
  ERPSYNC_RETURN_IF_ERROR(CheckCertificateAndKey(*cert, cert_file, *key, key_file, NowUnix()));
  return KeyPair{*std::move(cert), *std::move(key)};
}

// The PEM CAs of `file`, read and checked (CheckCaCertificates).
Result<std::string> ReadCaFile(const std::string& file, const std::string& what) {
  auto ca = ReadSmallFile(file);
  if (!ca.ok()) return NotFoundError(what + ": " + ca.status().message());
  ERPSYNC_RETURN_IF_ERROR(CheckCaCertificates(*ca, file, what));
  return *std::move(ca);
}

Result<std::shared_ptr<grpc::ChannelCredentials>> MakeChannelCredentials(
    const ChannelOptions& options) {
  if (options.tls_cert_file.empty() != options.tls_key_file.empty()) {
    return InvalidArgumentError("a TLS client certificate needs both its certificate and its "
                                "private key file")
        .WithOrigin(ErrorOrigin::kTls);
  }
  if (options.tls_ca_file.empty()) {
    if (!options.tls_cert_file.empty()) {
      return InvalidArgumentError("a TLS client certificate needs TLS: give the CA of the "
                                  "server's certificate too")
          .WithOrigin(ErrorOrigin::kTls);
    }
    return grpc::InsecureChannelCredentials();
  }
  grpc::SslCredentialsOptions ssl;
  ERPSYNC_ASSIGN_OR_RETURN(ssl.pem_root_certs, ReadCaFile(options.tls_ca_file, "TLS CA file"));
  if (!options.tls_cert_file.empty()) {
    ERPSYNC_ASSIGN_OR_RETURN(KeyPair pair, ReadKeyPair(options.tls_cert_file,
                                                       options.tls_key_file, "TLS client"));
    ssl.pem_cert_chain = std::move(pair.cert);
    ssl.pem_private_key = std::move(pair.key);
  }
  return grpc::SslCredentials(ssl);
}

}  // namespace

Result<std::shared_ptr<grpc::Channel>> MakeChannel(const std::string& address,
                                                   const ChannelOptions& options) {
  grpc::ChannelArguments arguments;
  if (options.compress) arguments.SetCompressionAlgorithm(GRPC_COMPRESS_GZIP);
  if (options.keepalive_seconds > 0) {
    arguments.SetInt(GRPC_ARG_KEEPALIVE_TIME_MS, options.keepalive_seconds * 1000);
    arguments.SetInt(GRPC_ARG_KEEPALIVE_TIMEOUT_MS, 20000);
    arguments.SetInt(GRPC_ARG_KEEPALIVE_PERMIT_WITHOUT_CALLS, 1);
  }
  // The channel's own reconnects back off as the callers' do (common/backoff.h:
  // 1 s, at most 30 s); callers reset it before each attempt of theirs
  // (ResetReconnectBackoff), so their schedule decides when to connect.
  arguments.SetInt(GRPC_ARG_INITIAL_RECONNECT_BACKOFF_MS, 1000);
  arguments.SetInt(GRPC_ARG_MAX_RECONNECT_BACKOFF_MS, 30000);
  arguments.SetMaxReceiveMessageSize(64 * 1024 * 1024);
  std::string target = address;
  if (address.find(',') != std::string::npos) {
    ERPSYNC_ASSIGN_OR_RETURN(const std::vector<std::string> servers, SplitAddressList(address));
    ERPSYNC_ASSIGN_OR_RETURN(const std::vector<std::string> resolved, ResolveAddresses(servers));
    const bool any_v4 = std::any_of(resolved.begin(), resolved.end(),
                                    [](const std::string& ip) { return ip.front() != '['; });
    target = any_v4 ? "ipv4:" : "ipv6:";
    bool first = true;
    for (const std::string& ip : resolved) {
      if ((ip.front() != '[') != any_v4) continue;
      target += (first ? "" : ",") + ip;
      first = false;
    }
    // The name the servers' certificates are checked against, and the
    // :authority of the calls.
    arguments.SetSslTargetNameOverride(HostOf(servers.front()));
    arguments.SetString(GRPC_ARG_DEFAULT_AUTHORITY, servers.front());
  }
  ERPSYNC_ASSIGN_OR_RETURN(const std::shared_ptr<grpc::ChannelCredentials> credentials,
                           MakeChannelCredentials(options));
  return grpc::CreateCustomChannel(target, credentials, arguments);
}

void ConnectNow(grpc::Channel* channel, std::chrono::milliseconds wait) {
  grpc_connectivity_state state = channel->GetState(/*try_to_connect=*/true);
  if (state == GRPC_CHANNEL_READY) return;
  grpc::experimental::ChannelResetConnectionBackoff(channel);
  // A failed channel reports its last refusal to every fail-fast call until
  // an attempt ends: wait for one that starts after the reset to end.
  const auto deadline = std::chrono::system_clock::now() + wait;
  bool attempted = false;
  while (state != GRPC_CHANNEL_READY) {
    if (state == GRPC_CHANNEL_CONNECTING) {
      attempted = true;
    } else if (state == GRPC_CHANNEL_TRANSIENT_FAILURE && attempted) {
      return;
    }
    if (!channel->WaitForStateChange(state, deadline)) return;
    state = channel->GetState(/*try_to_connect=*/true);
  }
}

namespace {

void LogGrpcLine(gpr_log_func_args* args) {
  const std::string where = std::string(args->file != nullptr ? args->file : "?") + ":" +
                            std::to_string(args->line);
  const char* message = args->message != nullptr ? args->message : "";
  switch (args->severity) {
    case GPR_LOG_SEVERITY_DEBUG:
      ERPSYNC_LOG(kDebug) << "grpc: " << message << " (" << where << ")";
      break;
    case GPR_LOG_SEVERITY_INFO:
      ERPSYNC_LOG(kInfo) << "grpc: " << message << " (" << where << ")";
      break;
    case GPR_LOG_SEVERITY_ERROR:
      ERPSYNC_LOG(kError) << "grpc: " << message << " (" << where << ")";
      break;
  }
}

}  // namespace

void RouteGrpcLogging() {
  gpr_set_log_function(&LogGrpcLine);
  gpr_set_log_verbosity(GetLogLevel() <= LogLevel::kDebug ? GPR_LOG_SEVERITY_INFO
                                                          : GPR_LOG_SEVERITY_ERROR);
}

Result<std::shared_ptr<grpc::ServerCredentials>> MakeServerCredentials(
    const std::string& cert_file, const std::string& key_file, const std::string& client_ca_file) {
  if (cert_file.empty() && key_file.empty()) {
    if (!client_ca_file.empty()) {
      return InvalidArgumentError("a TLS client CA file needs TLS (a certificate and its key)");
    }
    return grpc::InsecureServerCredentials();
  }
  if (cert_file.empty() || key_file.empty()) {
    return InvalidArgumentError("TLS needs both a certificate and a private key file");
  }
  ERPSYNC_ASSIGN_OR_RETURN(KeyPair pair, ReadKeyPair(cert_file, key_file, "TLS"));
  grpc::SslServerCredentialsOptions ssl(
      client_ca_file.empty() ? GRPC_SSL_DONT_REQUEST_CLIENT_CERTIFICATE
                             : GRPC_SSL_REQUEST_AND_REQUIRE_CLIENT_CERTIFICATE_AND_VERIFY);
  if (!client_ca_file.empty()) {
    ERPSYNC_ASSIGN_OR_RETURN(ssl.pem_root_certs, ReadCaFile(client_ca_file, "TLS client CA file"));
  }
  ssl.pem_key_cert_pairs.push_back({std::move(pair.key), std::move(pair.cert)});
  return grpc::SslServerCredentials(ssl);
}

void AttachBearerToken(grpc::ClientContext* context, std::string_view token) {
  context->AddMetadata(std::string(kAuthorizationHeader), "Bearer " + std::string(token));
}

std::string BearerTokenOf(const grpc::ServerContextBase& context) {
  const auto& metadata = context.client_metadata();
  const auto it = metadata.find(grpc::string_ref(kAuthorizationHeader.data(),
                                                 kAuthorizationHeader.size()));
  if (it == metadata.end()) return "";
  const std::string_view value(it->second.data(), it->second.size());
  constexpr std::string_view kScheme = "Bearer ";
  if (value.substr(0, kScheme.size()) != kScheme) return "";
  return std::string(value.substr(kScheme.size()));
}

}  // namespace erpsync
