#include "ctl/ctl_client.h"

#include <cstdlib>

#include "common/file_util.h"
#include "common/grpc_util.h"

namespace erpsync::ctl {
namespace po = boost::program_options;
namespace {

std::string FlagOrEnv(const OptionsLoader& options, const char* flag, const char* env) {
  if (options.Has(flag)) return options.Get<std::string>(flag);
  const char* value = std::getenv(env);
  return value != nullptr ? value : "";
}

}  // namespace

void AddConnectionOptions(po::options_description* description) {
  description->add_options()
      ("server", po::value<std::string>(), "server address host:port (env ERPSYNC_SERVER; "
                                           "default 127.0.0.1:7443)")
      ("token", po::value<std::string>(), "user token (env ERPSYNC_TOKEN)")
      ("token-file", po::value<std::string>(), "file holding the user token (env ERPSYNC_TOKEN_FILE)")
      ("tls-ca", po::value<std::string>(), "PEM CA of the server (env ERPSYNC_TLS_CA); "
                                           "plaintext when absent")
      ("timeout", po::value<int>()->default_value(30), "seconds to wait for the server")
      ("json", po::bool_switch(), "print JSON");
}

Result<CtlClient> CtlClient::FromOptions(const OptionsLoader& options) {
  CtlClient client;
  std::string address = FlagOrEnv(options, "server", "ERPSYNC_SERVER");
  if (address.empty()) address = "127.0.0.1:7443";
  client.token_ = FlagOrEnv(options, "token", "ERPSYNC_TOKEN");
  if (client.token_.empty()) {
    const std::string file = FlagOrEnv(options, "token-file", "ERPSYNC_TOKEN_FILE");
    if (file.empty()) {
      return InvalidArgumentError("no token: pass --token or --token-file (or set ERPSYNC_TOKEN) "
                                  "with a token from `erpsync-server user add`");
    }
    ERPSYNC_ASSIGN_OR_RETURN(std::string token, ReadSmallFile(file));
    client.token_ = token.substr(0, token.find_first_of("\r\n"));
  }
  client.timeout_ = std::chrono::seconds(options.Get<int>("timeout"));
  client.json_ = options.Get<bool>("json");
  ChannelOptions channel_options;
  channel_options.tls_ca_file = FlagOrEnv(options, "tls-ca", "ERPSYNC_TLS_CA");
  channel_options.keepalive_seconds = 0;
  ERPSYNC_ASSIGN_OR_RETURN(client.channel_, MakeChannel(address, channel_options));
  return client;
}

std::unique_ptr<grpc::ClientContext> CtlClient::NewContext() const {
  auto context = std::make_unique<grpc::ClientContext>();
  AttachBearerToken(context.get(), token_);
  context->set_deadline(std::chrono::system_clock::now() + timeout_);
  return context;
}

}  // namespace erpsync::ctl
