// CtlClient: erpsync-ctl's connection to the server: address, token and
// TLS from flags or the environment (ERPSYNC_SERVER, ERPSYNC_TOKEN,
// ERPSYNC_TOKEN_FILE, ERPSYNC_TLS_CA), and calls with deadlines. Not
// thread-safe.
#ifndef ERPSYNC_CTL_CTL_CLIENT_H_
#define ERPSYNC_CTL_CTL_CLIENT_H_

#include <grpcpp/grpcpp.h>

#include <boost/program_options.hpp>
#include <chrono>
#include <memory>
#include <string>

#include "common/options_loader.h"
#include "common/status.h"

namespace erpsync::ctl {

inline constexpr char kCtlProgram[] = "erpsync-ctl";

// Adds --server, --token, --token-file, --tls-ca, --timeout, --json.
void AddConnectionOptions(boost::program_options::options_description* description);

class CtlClient {
 public:
  // Resolves the options (flags, then environment). INVALID_ARGUMENT when no
  // token is given; NOT_FOUND for an unreadable token file.
  static Result<CtlClient> FromOptions(const OptionsLoader& options);

  const std::shared_ptr<grpc::Channel>& channel() const { return channel_; }
  // A context carrying the token and the deadline.
  std::unique_ptr<grpc::ClientContext> NewContext() const;
  bool json() const { return json_; }

 private:
  std::shared_ptr<grpc::Channel> channel_;
  std::string token_;
  std::chrono::seconds timeout_{30};
  bool json_ = false;
};

}  // namespace erpsync::ctl

#endif  // ERPSYNC_CTL_CTL_CLIENT_H_
