#include "ctl/agents_commands.h"

#include <google/protobuf/util/json_util.h>

#include <chrono>
#include <iostream>
#include <thread>

#include "common/civil_time.h"
#include "common/clock.h"
#include "common/command_line.h"
#include "common/exit_code.h"
#include "common/human_format.h"
#include "ctl/client/ctl_client.h"
#include "erpsync/v1/agents.pb.h"

namespace erpsync::ctl {
namespace po = boost::program_options;
namespace {

std::string When(int64_t unix_seconds) {
  if (unix_seconds == 0) return "never";
  const LocalDateTime local = ToLocalDateTime(unix_seconds);
  return local.date + " " + local.time;
}

std::string ToJson(const google::protobuf::Message& message) {
  std::string json;
  google::protobuf::util::JsonPrintOptions options;
  options.always_print_primitive_fields = true;
  options.preserve_proto_field_names = true;
  (void)google::protobuf::util::MessageToJsonString(message, &json, options);
  return json;
}

void PrintRequest(const v1::SyncRequestState& state, bool json) {
  if (json) {
    std::cout << ToJson(state) << "\n";
    return;
  }
  std::cout << state.request_id() << "  " << state.state();
  if (!state.message().empty()) std::cout << "  " << state.message();
  std::cout << "\n";
}

bool Load(const std::string& usage, po::options_description& description,
          const po::positional_options_description* positional, const std::vector<std::string>& args,
          OptionsLoader* loader, int* exit_code) {
  AddConnectionOptions(&description);
  return ParseCommandOptions(usage, description, positional, args, loader, exit_code);
}

}  // namespace

int AgentsStatusCommand(const std::vector<std::string>& args) {
  po::options_description description("agents status options");
  OptionsLoader loader(&description);
  int exit_code = 0;
  if (!Load("erpsync-ctl agents status [--json]", description, nullptr, args, &loader, &exit_code)) {
    return exit_code;
  }
  Result<CtlClient> client = CtlClient::FromOptions(loader);
  if (!client.ok()) return CtlClient::ReportOptionsFailure(client.status());
  v1::ListAgentsResponse response;
  const Status status =
      client->ListAgents(v1::ListAgentsRequest(), &response);
  if (!status.ok()) return ReportFailure(kCtlProgram, status);
  if (client->json()) {
    std::cout << ToJson(response) << "\n";
    return kExitOk;
  }
  if (response.agents().empty()) std::cout << "no agents enrolled\n";
  for (const v1::AgentSummary& agent : response.agents()) {
    const v1::AgentStatus& s = agent.status();
    std::cout << "agent " << agent.agent_id() << " (" << agent.connection() << ")"
              << (agent.description().empty() ? "" : " " + agent.description()) << ": "
              << (agent.connected() ? "connected" : "offline") << ", last seen "
              << When(agent.last_seen_unix()) << "\n";
    if (agent.status_unix() == 0) {
      std::cout << "  no status reported yet\n";
      continue;
    }
    std::cout << "  host " << s.hostname() << ", version " << s.agent_version() << ", "
              << s.activity() << "\n"
              << "  last run " << When(s.last_run_unix()) << ", next incremental "
              << When(s.next_incremental_unix()) << ", next deep " << When(s.next_deep_unix())
              << "\n";
    if (!s.last_error().empty()) std::cout << "  last error: " << s.last_error() << "\n";
    for (const v1::EntityStatus& entity : s.entities()) {
      std::string name = "    " + entity.display_name();
      name.resize(std::max<size_t>(name.size() + 1, 36), ' ');
      std::cout << name << WithThousands(entity.records()) << " records, synced "
                << When(entity.last_sync_unix()) << ", deep " << When(entity.last_deep_sync_unix())
                << (entity.needs_deep_sync() ? ", NEEDS A DEEP SYNC" : "")
                << (entity.last_error().empty() ? "" : ", error: " + entity.last_error()) << "\n";
    }
  }
  return kExitOk;
}

int SyncRequestCommand(const std::vector<std::string>& args) {
  po::options_description description("sync request options");
  description.add_options()
      ("connection", po::value<std::string>()->default_value(""), "ERP connection")
      ("entities", po::value<std::string>()->default_value(""),
       "comma-separated mapping ids (default: every enabled one)")
      ("deep", po::bool_switch(), "a deep sync")
      ("since", po::value<std::string>()->default_value(""),
       "deep sync timeframe: beginning, today, week, month, year or YYYY-MM-DD")
      ("wait", po::bool_switch(), "wait until the agent has run it")
      ("wait-seconds", po::value<int>()->default_value(600), "give up waiting after this long");
  OptionsLoader loader(&description);
  int exit_code = 0;
  if (!Load("erpsync-ctl sync request [--entities IDS] [--deep [--since WHEN]] [--wait] [--json]",
            description, nullptr, args, &loader, &exit_code)) {
    return exit_code;
  }
  Result<CtlClient> client = CtlClient::FromOptions(loader);
  if (!client.ok()) return CtlClient::ReportOptionsFailure(client.status());
  v1::RequestSyncRequest request;
  request.set_connection(loader.Get<std::string>("connection"));
  const std::string entities = loader.Get<std::string>("entities");
  for (size_t start = 0; start < entities.size();) {
    size_t comma = entities.find(',', start);
    if (comma == std::string::npos) comma = entities.size();
    if (comma > start) request.add_entity_ids(entities.substr(start, comma - start));
    start = comma + 1;
  }
  request.set_deep(loader.Get<bool>("deep"));
  request.set_since(loader.Get<std::string>("since"));
  v1::SyncRequestState state;
  Status status = client->RequestSync(request, &state);
  if (!status.ok()) return ReportFailure(kCtlProgram, status);
  if (loader.Get<bool>("wait")) {
    const auto deadline =
        std::chrono::steady_clock::now() + std::chrono::seconds(loader.Get<int>("wait-seconds"));
    while (state.state() == "queued" || state.state() == "sent") {
      if (std::chrono::steady_clock::now() >= deadline) {
        PrintRequest(state, client->json());
        return ReportFailure(kCtlProgram,
                             Status(StatusCode::kDeadlineExceeded,
                                    "the agent has not run request " + state.request_id() +
                                        " yet (is it connected? see `erpsync-ctl agents status`)"));
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(200));
      v1::GetSyncRequestRequest get;
      get.set_request_id(state.request_id());
      status = client->GetSyncRequest(get, &state);
      if (!status.ok()) return ReportFailure(kCtlProgram, status);
    }
  }
  PrintRequest(state, client->json());
  return state.state() == "failed" ? kExitFailure : kExitOk;
}

int SyncShowCommand(const std::vector<std::string>& args) {
  po::options_description description("sync show options");
  description.add_options()("id", po::value<std::string>()->required(), "request id");
  po::positional_options_description positional;
  positional.add("id", 1);
  OptionsLoader loader(&description);
  int exit_code = 0;
  if (!Load("erpsync-ctl sync show ID [--json]", description, &positional, args, &loader, &exit_code)) {
    return exit_code;
  }
  Result<CtlClient> client = CtlClient::FromOptions(loader);
  if (!client.ok()) return CtlClient::ReportOptionsFailure(client.status());
  v1::GetSyncRequestRequest request;
  request.set_request_id(loader.Get<std::string>("id"));
  v1::SyncRequestState state;
  const Status status = client->GetSyncRequest(request, &state);
  if (!status.ok()) return ReportFailure(kCtlProgram, status);
  PrintRequest(state, client->json());
  return kExitOk;
}

}  // namespace erpsync::ctl
