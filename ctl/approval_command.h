// What every erpsync-ctl ERP Integrations command (items, import, settings,
// notifications) shares: option parsing with the connection options, the
// client, a call with its failure reported, and JSON output
// of protobuf messages (proto field names, enum names, exact decimals as
// the server's strings). Not thread-safe (runs in main).
#ifndef ERPSYNC_CTL_APPROVAL_COMMAND_H_
#define ERPSYNC_CTL_APPROVAL_COMMAND_H_

#include <google/protobuf/message.h>

#include <boost/program_options.hpp>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/options_loader.h"
#include "common/status.h"
#include "ctl/client/ctl_client.h"

namespace erpsync::ctl {

// One parsed command with its connection to the server.
class ApprovalCommand {
 public:
  // `description` gets the connection options; it must outlive the command.
  ApprovalCommand(std::string usage, boost::program_options::options_description* description)
      : usage_(std::move(usage)), description_(description), loader_(description) {}

  // Parses the arguments (`positional` may be null) and connects. False when
  // the command is done (help printed, or a usage or connection error
  // reported); exit_code() says how it ended.
  bool Parse(const std::vector<std::string>& args,
             const boost::program_options::positional_options_description* positional = nullptr);

  const OptionsLoader& options() const { return loader_; }
  bool json() const { return client_->json(); }
  int exit_code() const { return exit_code_; }

  // Runs `call` (one CtlClient RPC) and reports a failure on stderr.
  // Returns the exit code: 0, or the one of the failure.
  int Call(const std::function<Status(const CtlClient&)>& call);

  // Prints a usage error (exit 64).
  int UsageError(const std::string& message) const;

 private:
  std::string usage_;
  boost::program_options::options_description* description_;
  OptionsLoader loader_;
  std::optional<CtlClient> client_;
  int exit_code_ = 0;
};

// The message as one line of JSON (proto field names, enum names).
std::string ToJson(const google::protobuf::Message& message);
// Parses JSON (proto or lowerCamel field names) into `message`.
// INVALID_ARGUMENT with the parser's reason, prefixed by `what`.
Status FromJson(const std::string& what, const std::string& json,
                google::protobuf::Message* message);

}  // namespace erpsync::ctl

#endif  // ERPSYNC_CTL_APPROVAL_COMMAND_H_
