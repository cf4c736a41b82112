#include "ctl/import_commands.h"

#include <iostream>

#include "common/exit_code.h"
#include "ctl/approval_command.h"
#include "ctl/client/ctl_client.h"
#include "ctl/item_names.h"
#include "ctl/item_printer.h"

namespace erpsync::ctl {
namespace po = boost::program_options;
namespace {


void AddConnection(po::options_description* description) {
  description->add_options()("connection", po::value<std::string>()->default_value(""),
                             "ERP connection (needed when the company has several)");
}

int List(const std::vector<std::string>& args) {
  po::options_description description("import list options");
  description.add_options()("type", po::value<std::string>()->required(), "job, sub-job or vendor")(
      "page-size", po::value<uint32_t>()->default_value(50), "records per page (1..500)")(
      "page-token", po::value<std::string>()->default_value(""), "from the previous page")(
      "hide-closed", po::bool_switch(), "jobs: leave out those Closed in the ERP");
  AddConnection(&description);
  ApprovalCommand command(
      "erpsync-ctl import list --type job|sub-job|vendor [--hide-closed] [--page-size N] "
      "[--page-token T] [--json]",
      &description);
  if (!command.Parse(args)) return command.exit_code();
  Result<v1::ItemType> type = ParseItemType(command.options().Get<std::string>("type"));
  if (!type.ok()) return command.UsageError("--type: " + type.status().message());
  const bool hide_closed = command.options().Get<bool>("hide-closed");
  if (hide_closed && *type != v1::JOB) {
    return command.UsageError("--hide-closed: only jobs are closed (--type job)");
  }
  v1::ListImportableRequest request;
  request.set_type(*type);
  request.set_connection(command.options().Get<std::string>("connection"));
  request.set_page_size(command.options().Get<uint32_t>("page-size"));
  request.set_page_token(command.options().Get<std::string>("page-token"));
  request.set_hide_closed(hide_closed);
  v1::ListImportableResponse response;
  const int code = command.Call([&](const CtlClient& client) {
    return client.ListImportable(request, &response);
  });
  if (code != kExitOk) return code;
  if (command.json()) {
    std::cout << ToJson(response) << "\n";
    return kExitOk;
  }
  std::cout << "key\tdescription\n";
  for (const v1::ImportableRecord& record : response.records()) {
    std::cout << record.key() << "\t" << record.description()
              << (record.closed() ? "\t(closed)" : "") << "\n";
  }
  if (!response.next_page_token().empty()) {
    std::cout << "(more: --page-token " << response.next_page_token() << ")\n";
  }
  return kExitOk;
}

int Import(v1::ItemType type, const std::vector<std::string>& args) {
  const std::string label = ItemTypeLabel(type);
  po::options_description description("import " + label + " options");
  description.add_options()("key", po::value<std::string>()->required(),
                            "the record's ERP key (as `import list` shows it)");
  AddConnection(&description);
  po::positional_options_description positional;
  positional.add("key", 1);
  ApprovalCommand command("erpsync-ctl import " + label + " KEY [--json]", &description);
  if (!command.Parse(args, &positional)) return command.exit_code();
  v1::ImportRecordRequest request;
  request.set_type(type);
  request.set_connection(command.options().Get<std::string>("connection"));
  request.set_key(command.options().Get<std::string>("key"));
  v1::Item item;
  const int code = command.Call([&](const CtlClient& client) {
    return client.ImportRecord(request, &item);
  });
  if (code != kExitOk) return code;
  for (const std::string& warning : item.warnings()) {
    std::cerr << kCtlProgram << ": warning: " << warning << "\n";
  }
  if (command.json()) {
    std::cout << ToJson(item) << "\n";
  } else {
    PrintItemSummary(item);
  }
  return kExitOk;
}

CommandSpec ImportSpec(v1::ItemType type, const std::string& summary) {
  return {"import " + ItemTypeLabel(type), summary,
          [type](const std::vector<std::string>& args) { return Import(type, args); }};
}

}  // namespace

std::vector<CommandSpec> ImportCommands() {
  return {
      {"import list", "Ready to Import: ERP jobs, sub jobs or vendors not linked yet", List},
      ImportSpec(v1::JOB, "import an ERP job as a project"),
      ImportSpec(v1::SUB_JOB, "import an ERP extra (JOB|EXTRA) as a sub job"),
      ImportSpec(v1::VENDOR, "import an ERP vendor as a company"),
      ImportSpec(v1::BUDGET, "import (or re-import) the budget of an ERP job from its estimates"),
  };
}

}  // namespace erpsync::ctl
