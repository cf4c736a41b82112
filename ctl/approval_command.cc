#include "ctl/approval_command.h"

#include <google/protobuf/util/json_util.h>

#include "common/command_line.h"
#include "common/exit_code.h"

namespace erpsync::ctl {

bool ApprovalCommand::Parse(
    const std::vector<std::string>& args,
    const boost::program_options::positional_options_description* positional) {
  AddConnectionOptions(description_);
  if (!ParseCommandOptions(usage_, *description_, positional, args, &loader_, &exit_code_)) {
    return false;
  }
  Result<CtlClient> client = CtlClient::FromOptions(loader_);
  if (!client.ok()) {
    exit_code_ = CtlClient::ReportOptionsFailure(client.status());
    return false;
  }
  client_ = std::move(client).value();
  return true;
}

int ApprovalCommand::Call(const std::function<Status(const CtlClient&)>& call) {
  const Status status = call(*client_);
  if (!status.ok()) return ReportFailure(kCtlProgram, status);
  return kExitOk;
}

int ApprovalCommand::UsageError(const std::string& message) const {
  return ReportUsageError(kCtlProgram, message + " (usage: " + usage_ + ")");
}

std::string ToJson(const google::protobuf::Message& message) {
  google::protobuf::util::JsonPrintOptions options;
  options.preserve_proto_field_names = true;
  std::string json;
  // Printing a valid message cannot fail.
  (void)google::protobuf::util::MessageToJsonString(message, &json, options);
  return json;
}

Status FromJson(const std::string& what, const std::string& json,
                google::protobuf::Message* message) {
  const google::protobuf::util::Status parsed =
      google::protobuf::util::JsonStringToMessage(json, message);
  if (!parsed.ok()) {
    return InvalidArgumentError(what + ": " + std::string(parsed.message()));
  }
  return Status::Ok();
}

}  // namespace erpsync::ctl
