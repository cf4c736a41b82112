// CtlClient: erpsync-ctl's connection to the server: address, token and
// TLS from flags or the environment (ERPSYNC_SERVER, ERPSYNC_TOKEN,
// ERPSYNC_TOKEN_FILE, ERPSYNC_TLS_CA), and one method per RPC the commands
// use, each a unary call carrying the token and the --timeout deadline.
// The only part of erpsync-ctl that sees gRPC: the commands see messages
// and Status. Not thread-safe.
#ifndef ERPSYNC_CTL_CTL_CLIENT_H_
#define ERPSYNC_CTL_CTL_CLIENT_H_

#include <boost/program_options.hpp>
#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "common/options_loader.h"
#include "common/status.h"
#include "erpsync/v1/agents.pb.h"
#include "erpsync/v1/erp_integrations.pb.h"
#include "erpsync/v1/records.pb.h"

namespace erpsync {
class TlsFailureExplainer;
}  // namespace erpsync

namespace erpsync::ctl {

inline constexpr char kCtlProgram[] = "erpsync-ctl";

// Adds --server, --token, --token-file, --tls-ca, --tls-cert, --tls-key,
// --allow-plaintext, --timeout, --json.
void AddConnectionOptions(boost::program_options::options_description* description);

// The arguments of erpsync-ctl (after the program name) with the
// connection options that come before the command ("erpsync-ctl --server
// cloud:7443 --token-file ops.token records count") moved after it, where
// every command parses them. Stops at the first argument that is not one of
// AddConnectionOptions' options (the command's first word, --help, or an
// unknown option, which the dispatcher then reports).
std::vector<std::string> ConnectionOptionsLast(std::vector<std::string> args);

class CtlClient {
 public:
  // Resolves the options (flags, then environment). INVALID_ARGUMENT when no
  // token is given, or for plaintext to a non-loopback server without
  // --allow-plaintext; NOT_FOUND for an unreadable token file or TLS file;
  // the errors of MakeChannel (origin ErrorOrigin::kTls) for TLS files that
  // do not hold what they should.
  static Result<CtlClient> FromOptions(const OptionsLoader& options);
  // Prints a FromOptions failure and returns its exit code: 64 for a usage
  // error (no token, plaintext off loopback), 66 for an unreadable token
  // file.
  static int ReportOptionsFailure(const Status& status);

  bool json() const { return json_; }

  // The RPCs. Each returns the server's status (UNAVAILABLE when it cannot
  // be reached, DEADLINE_EXCEEDED after --timeout; FAILED_PRECONDITION with
  // origin ErrorOrigin::kTls, exit 64, when the TLS set-up with it does not
  // work, named by TlsFailureExplainer) and fills `response` on success.
  // AgentsService (protos/erpsync/v1/agents.proto)
  Status ListAgents(const v1::ListAgentsRequest& request, v1::ListAgentsResponse* response) const;
  Status RequestSync(const v1::RequestSyncRequest& request, v1::SyncRequestState* response) const;
  Status GetSyncRequest(const v1::GetSyncRequestRequest& request,
                        v1::SyncRequestState* response) const;

  // RecordsService (protos/erpsync/v1/records.proto)
  Status ListEntities(const v1::ListEntitiesRequest& request,
                      v1::ListEntitiesResponse* response) const;
  Status ListRecords(const v1::ListRecordsRequest& request,
                     v1::ListRecordsResponse* response) const;
  Status GetEntityChecksum(const v1::GetEntityChecksumRequest& request,
                           v1::EntityChecksum* response) const;
  Status VerifyEntities(const v1::VerifyEntitiesRequest& request,
                        v1::VerifyEntitiesResponse* response) const;

  // ErpIntegrations (protos/erpsync/v1/erp_integrations.proto)
  Status CreateItem(const v1::CreateItemRequest& request, v1::Item* response) const;
  Status UpdateItem(const v1::UpdateItemRequest& request, v1::Item* response) const;
  Status GetItem(const v1::GetItemRequest& request, v1::Item* response) const;
  Status ListItems(const v1::ListItemsRequest& request, v1::ListItemsResponse* response) const;
  Status GetItemHistory(const v1::GetItemRequest& request, v1::ItemHistory* response) const;
  Status Send(const v1::ItemActionRequest& request, v1::Item* response) const;
  Status Retrieve(const v1::ItemActionRequest& request, v1::Item* response) const;
  Status Resend(const v1::ItemActionRequest& request, v1::Item* response) const;
  Status Accept(const v1::AcceptRequest& request, v1::Item* response) const;
  Status Reject(const v1::ItemActionRequest& request, v1::Item* response) const;
  Status Unlink(const v1::ItemActionRequest& request, v1::Item* response) const;
  Status Archive(const v1::ItemActionRequest& request, v1::Item* response) const;
  Status Unarchive(const v1::ItemActionRequest& request, v1::Item* response) const;
  Status LockBudget(const v1::ItemActionRequest& request, v1::Item* response) const;
  Status UnlockBudget(const v1::ItemActionRequest& request, v1::Item* response) const;
  Status ListImportable(const v1::ListImportableRequest& request,
                        v1::ListImportableResponse* response) const;
  Status ImportRecord(const v1::ImportRecordRequest& request, v1::Item* response) const;
  Status GetSettings(const v1::GetSettingsRequest& request, v1::Settings* response) const;
  Status UpdateSettings(const v1::UpdateSettingsRequest& request, v1::Settings* response) const;
  Status GetNotificationPreferences(const v1::GetNotificationPreferencesRequest& request,
                                    v1::NotificationPreferences* response) const;
  Status SetNotificationPreferences(const v1::SetNotificationPreferencesRequest& request,
                                    v1::NotificationPreferences* response) const;

 private:
  struct Stubs;
  // A unary call of `method` on `stub` with the token and the deadline.
  template <typename Method, typename Stub, typename Request, typename Response>
  Status Call(Method method, Stub& stub, const Request& request, Response* response) const;

  std::shared_ptr<Stubs> stubs_;
  std::shared_ptr<const TlsFailureExplainer> tls_failures_;
  std::string token_;
  std::chrono::seconds timeout_{30};
  bool json_ = false;
};

}  // namespace erpsync::ctl

#endif  // ERPSYNC_CTL_CTL_CLIENT_H_
