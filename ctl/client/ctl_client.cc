#include "ctl/client/ctl_client.h"

#include <algorithm>
#include <cstdlib>

#include "common/command_line.h"
#include "common/exit_code.h"
#include "common/file_util.h"
#include "common/grpc/grpc_util.h"
#include "common/grpc/tls_failure.h"
#include "common/net_address.h"
#include "erpsync/v1/agents.grpc.pb.h"
#include "erpsync/v1/erp_integrations.grpc.pb.h"
#include "erpsync/v1/records.grpc.pb.h"

namespace erpsync::ctl {
namespace po = boost::program_options;
namespace {

std::string FlagOrEnv(const OptionsLoader& options, const char* flag, const char* env) {
  if (options.Has(flag)) return options.Get<std::string>(flag);
  const char* value = std::getenv(env);
  return value != nullptr ? value : "";
}

}  // namespace

struct CtlClient::Stubs {
  explicit Stubs(const std::shared_ptr<grpc::Channel>& channel)
      : agents(v1::AgentsService::NewStub(channel)),
        records(v1::RecordsService::NewStub(channel)),
        erp_integrations(v1::ErpIntegrations::NewStub(channel)) {}
  std::unique_ptr<v1::AgentsService::Stub> agents;
  std::unique_ptr<v1::RecordsService::Stub> records;
  std::unique_ptr<v1::ErpIntegrations::Stub> erp_integrations;
};

void AddConnectionOptions(po::options_description* description) {
  description->add_options()("server", po::value<std::string>(),
                             "server address host:port (env ERPSYNC_SERVER; "
                             "default 127.0.0.1:7443)")("token", po::value<std::string>(),
                                                        "user token (env ERPSYNC_TOKEN)")(
      "token-file", po::value<std::string>(),
      "file holding the user token (env ERPSYNC_TOKEN_FILE)")(
      "tls-ca", po::value<std::string>(),
      "PEM CA of the server (env ERPSYNC_TLS_CA); "
      "plaintext when absent")(
      "tls-cert", po::value<std::string>(),
      "PEM client certificate, for a server that requires one (env ERPSYNC_TLS_CERT); with "
      "--tls-key and --tls-ca")("tls-key", po::value<std::string>(),
                                "PEM private key of --tls-cert (env ERPSYNC_TLS_KEY)")(
      "allow-plaintext", po::bool_switch(),
      "allow plaintext to a server that is not on loopback (the token then crosses the "
      "network in clear)")("timeout", po::value<int>()->default_value(30),
                           "seconds to wait for the server")("json", po::bool_switch(),
                                                             "print JSON");
}

std::vector<std::string> ConnectionOptionsLast(std::vector<std::string> args) {
  po::options_description connection;
  AddConnectionOptions(&connection);
  size_t leading = 0;
  while (leading < args.size() && args[leading].rfind("--", 0) == 0) {
    const std::string& arg = args[leading];
    const size_t equals = arg.find('=');
    const std::string name = arg.substr(2, equals == std::string::npos ? equals : equals - 2);
    const po::option_description* option = connection.find_nothrow(name, /*approx=*/false);
    if (option == nullptr) break;
    const bool separate_value = equals == std::string::npos && option->semantic()->max_tokens() > 0;
    leading += separate_value ? 2 : 1;
  }
  leading = std::min(leading, args.size());
  std::vector<std::string> reordered(args.begin() + static_cast<long>(leading), args.end());
  reordered.insert(reordered.end(), args.begin(), args.begin() + static_cast<long>(leading));
  return reordered;
}

Result<CtlClient> CtlClient::FromOptions(const OptionsLoader& options) {
  CtlClient client;
  std::string address = FlagOrEnv(options, "server", "ERPSYNC_SERVER");
  if (address.empty()) address = "127.0.0.1:7443";
  client.token_ = FlagOrEnv(options, "token", "ERPSYNC_TOKEN");
  if (client.token_.empty()) {
    const std::string file = FlagOrEnv(options, "token-file", "ERPSYNC_TOKEN_FILE");
    if (file.empty()) {
      return InvalidArgumentError(
          "no token: pass --token or --token-file (or set ERPSYNC_TOKEN) "
          "with a token from `erpsync-server user add`");
    }
    ERPSYNC_ASSIGN_OR_RETURN(std::string token, ReadSmallFile(file));
    client.token_ = token.substr(0, token.find_first_of("\r\n"));
  }
  client.timeout_ = std::chrono::seconds(options.Get<int>("timeout"));
  client.json_ = options.Get<bool>("json");
  ChannelOptions channel_options;
  channel_options.tls_ca_file = FlagOrEnv(options, "tls-ca", "ERPSYNC_TLS_CA");
  channel_options.tls_cert_file = FlagOrEnv(options, "tls-cert", "ERPSYNC_TLS_CERT");
  channel_options.tls_key_file = FlagOrEnv(options, "tls-key", "ERPSYNC_TLS_KEY");
  channel_options.keepalive_seconds = 0;
  if (channel_options.tls_ca_file.empty() && !options.Get<bool>("allow-plaintext") &&
      !IsLoopbackAddressList(address)) {
    return InvalidArgumentError("--tls-ca: not given (plaintext) for the non-loopback server " +
                                address +
                                ": your token would cross the network in clear. Give the CA of "
                                "the server's certificate, or --allow-plaintext");
  }
  RouteGrpcLogging();
  ERPSYNC_ASSIGN_OR_RETURN(std::shared_ptr<grpc::Channel> channel,
                           MakeChannel(address, channel_options));
  client.stubs_ = std::make_shared<Stubs>(channel);
  client.tls_failures_ = std::make_shared<const TlsFailureExplainer>(
      address, channel_options, TlsSettingNames{"--server", "--tls-ca", "--tls-cert"});
  return client;
}

int CtlClient::ReportOptionsFailure(const Status& status) {
  if (status.code() == StatusCode::kInvalidArgument) {
    return ReportUsageError(kCtlProgram, status.message());
  }
  if (status.code() == StatusCode::kNotFound) {
    ReportFailure(kCtlProgram, status);
    return kExitNoInput;
  }
  return ReportFailure(kCtlProgram, status);
}

template <typename Method, typename Stub, typename Request, typename Response>
Status CtlClient::Call(Method method, Stub& stub, const Request& request,
                       Response* response) const {
  grpc::ClientContext context;
  AttachBearerToken(&context, token_);
  context.set_deadline(std::chrono::system_clock::now() + timeout_);
  return tls_failures_->Explain(FromGrpcStatus((stub.*method)(&context, request, response)));
}

Status CtlClient::ListAgents(const v1::ListAgentsRequest& request,
                             v1::ListAgentsResponse* response) const {
  return Call(&v1::AgentsService::Stub::ListAgents, *stubs_->agents, request, response);
}

Status CtlClient::RequestSync(const v1::RequestSyncRequest& request,
                              v1::SyncRequestState* response) const {
  return Call(&v1::AgentsService::Stub::RequestSync, *stubs_->agents, request, response);
}

Status CtlClient::GetSyncRequest(const v1::GetSyncRequestRequest& request,
                                 v1::SyncRequestState* response) const {
  return Call(&v1::AgentsService::Stub::GetSyncRequest, *stubs_->agents, request, response);
}

Status CtlClient::ListEntities(const v1::ListEntitiesRequest& request,
                               v1::ListEntitiesResponse* response) const {
  return Call(&v1::RecordsService::Stub::ListEntities, *stubs_->records, request, response);
}

Status CtlClient::ListRecords(const v1::ListRecordsRequest& request,
                              v1::ListRecordsResponse* response) const {
  return Call(&v1::RecordsService::Stub::ListRecords, *stubs_->records, request, response);
}

Status CtlClient::GetEntityChecksum(const v1::GetEntityChecksumRequest& request,
                                    v1::EntityChecksum* response) const {
  return Call(&v1::RecordsService::Stub::GetEntityChecksum, *stubs_->records, request, response);
}

Status CtlClient::VerifyEntities(const v1::VerifyEntitiesRequest& request,
                                 v1::VerifyEntitiesResponse* response) const {
  return Call(&v1::RecordsService::Stub::VerifyEntities, *stubs_->records, request, response);
}

Status CtlClient::CreateItem(const v1::CreateItemRequest& request, v1::Item* response) const {
  return Call(&v1::ErpIntegrations::Stub::CreateItem, *stubs_->erp_integrations, request, response);
}

Status CtlClient::UpdateItem(const v1::UpdateItemRequest& request, v1::Item* response) const {
  return Call(&v1::ErpIntegrations::Stub::UpdateItem, *stubs_->erp_integrations, request, response);
}

Status CtlClient::GetItem(const v1::GetItemRequest& request, v1::Item* response) const {
  return Call(&v1::ErpIntegrations::Stub::GetItem, *stubs_->erp_integrations, request, response);
}

Status CtlClient::ListItems(const v1::ListItemsRequest& request,
                            v1::ListItemsResponse* response) const {
  return Call(&v1::ErpIntegrations::Stub::ListItems, *stubs_->erp_integrations, request, response);
}

Status CtlClient::GetItemHistory(const v1::GetItemRequest& request,
                                 v1::ItemHistory* response) const {
  return Call(&v1::ErpIntegrations::Stub::GetItemHistory, *stubs_->erp_integrations, request,
              response);
}

Status CtlClient::Send(const v1::ItemActionRequest& request, v1::Item* response) const {
  return Call(&v1::ErpIntegrations::Stub::Send, *stubs_->erp_integrations, request, response);
}

Status CtlClient::Retrieve(const v1::ItemActionRequest& request, v1::Item* response) const {
  return Call(&v1::ErpIntegrations::Stub::Retrieve, *stubs_->erp_integrations, request, response);
}

Status CtlClient::Resend(const v1::ItemActionRequest& request, v1::Item* response) const {
  return Call(&v1::ErpIntegrations::Stub::Resend, *stubs_->erp_integrations, request, response);
}

Status CtlClient::Accept(const v1::AcceptRequest& request, v1::Item* response) const {
  return Call(&v1::ErpIntegrations::Stub::Accept, *stubs_->erp_integrations, request, response);
}

Status CtlClient::Reject(const v1::ItemActionRequest& request, v1::Item* response) const {
  return Call(&v1::ErpIntegrations::Stub::Reject, *stubs_->erp_integrations, request, response);
}

Status CtlClient::Unlink(const v1::ItemActionRequest& request, v1::Item* response) const {
  return Call(&v1::ErpIntegrations::Stub::Unlink, *stubs_->erp_integrations, request, response);
}

Status CtlClient::Archive(const v1::ItemActionRequest& request, v1::Item* response) const {
  return Call(&v1::ErpIntegrations::Stub::Archive, *stubs_->erp_integrations, request, response);
}

Status CtlClient::Unarchive(const v1::ItemActionRequest& request, v1::Item* response) const {
  return Call(&v1::ErpIntegrations::Stub::Unarchive, *stubs_->erp_integrations, request, response);
}

Status CtlClient::LockBudget(const v1::ItemActionRequest& request, v1::Item* response) const {
  return Call(&v1::ErpIntegrations::Stub::LockBudget, *stubs_->erp_integrations, request, response);
}

Status CtlClient::UnlockBudget(const v1::ItemActionRequest& request, v1::Item* response) const {
  return Call(&v1::ErpIntegrations::Stub::UnlockBudget, *stubs_->erp_integrations, request,
              response);
}

Status CtlClient::ListImportable(const v1::ListImportableRequest& request,
                                 v1::ListImportableResponse* response) const {
  return Call(&v1::ErpIntegrations::Stub::ListImportable, *stubs_->erp_integrations, request,
              response);
}

Status CtlClient::ImportRecord(const v1::ImportRecordRequest& request, v1::Item* response) const {
  return Call(&v1::ErpIntegrations::Stub::ImportRecord, *stubs_->erp_integrations, request,
              response);
}

Status CtlClient::GetSettings(const v1::GetSettingsRequest& request, v1::Settings* response) const {
  return Call(&v1::ErpIntegrations::Stub::GetSettings, *stubs_->erp_integrations, request,
              response);
}

Status CtlClient::UpdateSettings(const v1::UpdateSettingsRequest& request,
                                 v1::Settings* response) const {
  return Call(&v1::ErpIntegrations::Stub::UpdateSettings, *stubs_->erp_integrations, request,
              response);
}

Status CtlClient::GetNotificationPreferences(const v1::GetNotificationPreferencesRequest& request,
                                             v1::NotificationPreferences* response) const {
  return Call(&v1::ErpIntegrations::Stub::GetNotificationPreferences, *stubs_->erp_integrations,
              request, response);
}

Status CtlClient::SetNotificationPreferences(const v1::SetNotificationPreferencesRequest& request,
                                             v1::NotificationPreferences* response) const {
  return Call(&v1::ErpIntegrations::Stub::SetNotificationPreferences, *stubs_->erp_integrations,
              request, response);
}

}  // namespace erpsync::ctl
