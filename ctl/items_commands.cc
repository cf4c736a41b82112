#include "ctl/items_commands.h"

#include <iostream>

#include "common/exit_code.h"
#include "common/file_util.h"
#include "ctl/approval_command.h"
#include "ctl/item_names.h"
#include "ctl/item_printer.h"

namespace erpsync::ctl {
namespace po = boost::program_options;
namespace {


// Adds --file and --content (item content as JSON).
void AddContentOptions(po::options_description* description) {
  description->add_options()("file", po::value<std::string>(),
                             "the item's content as JSON, from this file")(
      "content", po::value<std::string>(), "the item's content as JSON, inline");
}

// The content of a `type` item from --file or --content: the JSON of the
// type's content message (e.g. CommitmentContent for a commitment).
Result<v1::ItemContent> ReadContent(const OptionsLoader& options, v1::ItemType type) {
  if (options.Has("file") == options.Has("content")) {
    return InvalidArgumentError(
        "give the item's content as JSON with --file PATH or --content "
        "JSON (one of them)");
  }
  std::string json;
  std::string what = "--content";
  if (options.Has("file")) {
    what = options.Get<std::string>("file");
    ERPSYNC_ASSIGN_OR_RETURN(json, ReadSmallFile(what));
  } else {
    json = options.Get<std::string>("content");
  }
  // The oneof's field numbers equal the ItemType numbers.
  const std::string field =
      v1::ItemContent::descriptor()->FindFieldByNumber(static_cast<int>(type))->name();
  v1::ItemContent content;
  ERPSYNC_RETURN_IF_ERROR(FromJson(what, "{\"" + field + "\":" + json + "}", &content));
  return content;
}

// Prints an item as JSON, in full, or as one line.
int PrintResult(const ApprovalCommand& command, const v1::Item& item, bool full) {
  if (command.json()) {
    std::cout << ToJson(item) << "\n";
  } else if (full) {
    PrintItem(item);
  } else {
    PrintItemSummary(item);
  }
  return kExitOk;
}

int Create(const std::vector<std::string>& args) {
  po::options_description description("items create options");
  description.add_options()("type", po::value<std::string>()->required(),
                            "item type, e.g. commitment, budget, cco")(
      "project", po::value<int64_t>()->default_value(0), "the project (job item id)")(
      "connection", po::value<std::string>()->default_value(""),
      "ERP connection (needed when the company has several)");
  AddContentOptions(&description);
  ApprovalCommand command(
      "erpsync-ctl items create --type TYPE [--project ID] (--file JSON_FILE | --content JSON)",
      &description);
  if (!command.Parse(args)) return command.exit_code();
  Result<v1::ItemType> type = ParseItemType(command.options().Get<std::string>("type"));
  if (!type.ok()) return command.UsageError("--type: " + type.status().message());
  Result<v1::ItemContent> content = ReadContent(command.options(), *type);
  if (!content.ok()) return ReportFailure(kCtlProgram, content.status());
  v1::CreateItemRequest request;
  request.set_type(*type);
  request.set_project_id(command.options().Get<int64_t>("project"));
  request.set_connection(command.options().Get<std::string>("connection"));
  *request.mutable_content() = *content;
  v1::Item item;
  const int code = command.Call([&](const CtlClient& client) {
    return client.CreateItem(request, &item);
  });
  return code != kExitOk ? code : PrintResult(command, item, false);
}

// The positional item id of `description`.
void AddItemId(po::options_description* description,
               po::positional_options_description* positional) {
  description->add_options()("id", po::value<int64_t>()->required(), "item id");
  positional->add("id", 1);
}

int Update(const std::vector<std::string>& args) {
  po::options_description description("items update options");
  po::positional_options_description positional;
  AddItemId(&description, &positional);
  description.add_options()("version", po::value<int64_t>()->default_value(0),
                            "the version you saw (refused if the item changed since)");
  AddContentOptions(&description);
  ApprovalCommand command(
      "erpsync-ctl items update ID (--file JSON_FILE | --content JSON) "
      "[--version V]",
      &description);
  if (!command.Parse(args, &positional)) return command.exit_code();
  v1::GetItemRequest get;
  get.set_item_id(command.options().Get<int64_t>("id"));
  v1::Item current;
  int code = command.Call([&](const CtlClient& client) {
    return client.GetItem(get, &current);
  });
  if (code != kExitOk) return code;
  Result<v1::ItemContent> content = ReadContent(command.options(), current.type());
  if (!content.ok()) return ReportFailure(kCtlProgram, content.status());
  v1::UpdateItemRequest request;
  request.set_item_id(current.id());
  request.set_expected_version(command.options().Get<int64_t>("version"));
  *request.mutable_content() = *content;
  v1::Item item;
  code = command.Call([&](const CtlClient& client) {
    return client.UpdateItem(request, &item);
  });
  return code != kExitOk ? code : PrintResult(command, item, false);
}

int Show(const std::vector<std::string>& args) {
  po::options_description description("items show options");
  po::positional_options_description positional;
  AddItemId(&description, &positional);
  ApprovalCommand command("erpsync-ctl items show ID [--json]", &description);
  if (!command.Parse(args, &positional)) return command.exit_code();
  v1::GetItemRequest request;
  request.set_item_id(command.options().Get<int64_t>("id"));
  v1::Item item;
  const int code = command.Call([&](const CtlClient& client) {
    return client.GetItem(request, &item);
  });
  return code != kExitOk ? code : PrintResult(command, item, true);
}

int History(const std::vector<std::string>& args) {
  po::options_description description("items history options");
  po::positional_options_description positional;
  AddItemId(&description, &positional);
  ApprovalCommand command("erpsync-ctl items history ID [--json]", &description);
  if (!command.Parse(args, &positional)) return command.exit_code();
  v1::GetItemRequest request;
  request.set_item_id(command.options().Get<int64_t>("id"));
  v1::ItemHistory history;
  const int code = command.Call([&](const CtlClient& client) {
    return client.GetItemHistory(request, &history);
  });
  if (code != kExitOk) return code;
  if (command.json()) {
    std::cout << ToJson(history) << "\n";
  } else {
    PrintHistory(history);
  }
  return kExitOk;
}

int List(const std::vector<std::string>& args) {
  po::options_description description("items list options");
  description.add_options()(
      "queue", po::value<std::string>()->default_value("all"),
      "ready-to-export, ready-to-update, failed-to-export, synced, archived, all")(
      "type", po::value<std::string>(), "only items of this type")(
      "project", po::value<int64_t>()->default_value(0),
      "only items of this project (job item id)")("state", po::value<std::string>(),
                                                  "only items in this state")(
      "page-size", po::value<uint32_t>()->default_value(50), "items per page (1..500)")(
      "page-token", po::value<std::string>()->default_value(""), "from the previous page")(
      "all-pages", po::bool_switch(), "follow the pages to the end");
  ApprovalCommand command(
      "erpsync-ctl items list [--queue Q] [--type T] [--project ID] "
      "[--state S] [--page-size N] [--page-token T] [--all-pages] [--json]",
      &description);
  if (!command.Parse(args)) return command.exit_code();
  const OptionsLoader& options = command.options();
  v1::ListItemsRequest request;
  Result<v1::Queue> queue = ParseQueue(options.Get<std::string>("queue"));
  if (!queue.ok()) return command.UsageError("--queue: " + queue.status().message());
  request.set_queue(*queue);
  if (options.Has("type")) {
    Result<v1::ItemType> type = ParseItemType(options.Get<std::string>("type"));
    if (!type.ok()) return command.UsageError("--type: " + type.status().message());
    request.set_type(*type);
  }
  if (options.Has("state")) {
    Result<v1::ItemState> state = ParseItemState(options.Get<std::string>("state"));
    if (!state.ok()) return command.UsageError("--state: " + state.status().message());
    request.set_state(*state);
  }
  request.set_project_id(options.Get<int64_t>("project"));
  request.set_page_size(options.Get<uint32_t>("page-size"));
  request.set_page_token(options.Get<std::string>("page-token"));
  v1::ListItemsResponse all;
  bool header = true;
  while (true) {
    v1::ListItemsResponse page;
    const int code = command.Call([&](const CtlClient& client) {
      return client.ListItems(request, &page);
    });
    if (code != kExitOk) return code;
    if (!command.json()) PrintItemTable(page, header);
    header = false;
    all.mutable_items()->MergeFrom(page.items());
    all.set_next_page_token(page.next_page_token());
    if (!options.Get<bool>("all-pages") || page.next_page_token().empty()) break;
    request.set_page_token(page.next_page_token());
  }
  if (command.json()) {
    std::cout << ToJson(all) << "\n";
  } else if (!all.next_page_token().empty()) {
    std::cout << "(more: --page-token " << all.next_page_token() << ")\n";
  }
  return kExitOk;
}

// What one action command calls.
using ActionCall = Status (CtlClient::*)(const v1::ItemActionRequest&, v1::Item*) const;

int Action(const std::string& name, ActionCall call, const std::vector<std::string>& args) {
  po::options_description description("items " + name + " options");
  po::positional_options_description positional;
  AddItemId(&description, &positional);
  description.add_options()("version", po::value<int64_t>()->default_value(0),
                            "the version you saw (refused if the item changed since)")(
      "comment", po::value<std::string>()->default_value(""), "kept in the item's history");
  ApprovalCommand command("erpsync-ctl items " + name + " ID [--version V] [--comment TEXT]",
                          &description);
  if (!command.Parse(args, &positional)) return command.exit_code();
  v1::ItemActionRequest request;
  request.set_item_id(command.options().Get<int64_t>("id"));
  request.set_expected_version(command.options().Get<int64_t>("version"));
  request.set_comment(command.options().Get<std::string>("comment"));
  v1::Item item;
  const int code = command.Call([&](const CtlClient& client) {
    return (client.*call)(request, &item);
  });
  return code != kExitOk ? code : PrintResult(command, item, false);
}

int Accept(const std::string& name, const std::vector<std::string>& args) {
  po::options_description description("items " + name + " options");
  po::positional_options_description positional;
  AddItemId(&description, &positional);
  description.add_options()("version", po::value<int64_t>()->default_value(0),
                            "the version you saw (refused if the item changed since)")(
      "comment", po::value<std::string>()->default_value(""), "kept in the item's history")(
      "transaction-date", po::value<std::string>()->default_value(""),
      "prime contract change orders: the ERP transaction date, YYYY-MM-DD");
  ApprovalCommand command(
      "erpsync-ctl items " + name + " ID [--version V] [--comment TEXT] [--transaction-date DATE]",
      &description);
  if (!command.Parse(args, &positional)) return command.exit_code();
  v1::AcceptRequest request;
  request.set_item_id(command.options().Get<int64_t>("id"));
  request.set_expected_version(command.options().Get<int64_t>("version"));
  request.set_comment(command.options().Get<std::string>("comment"));
  request.set_transaction_date(command.options().Get<std::string>("transaction-date"));
  v1::Item item;
  const int code = command.Call([&](const CtlClient& client) {
    return client.Accept(request, &item);
  });
  return code != kExitOk ? code : PrintResult(command, item, false);
}

CommandSpec ActionSpec(const std::string& name, const std::string& summary, ActionCall call) {
  return {"items " + name, summary,
          [name, call](const std::vector<std::string>& args) { return Action(name, call, args); }};
}

}  // namespace

std::vector<CommandSpec> ItemsCommands() {
  return {
      {"items create", "create an item (draft) from JSON content", Create},
      {"items update", "replace a draft's (or returned item's) content", Update},
      {"items list", "list a queue, filtered, newest first", List},
      {"items show", "show one item", Show},
      {"items history", "who did what to an item", History},
      ActionSpec("send", "send an item for accounting acceptance (it locks)", &CtlClient::Send),
      ActionSpec("retrieve", "take a sent item back before a decision", &CtlClient::Retrieve),
      ActionSpec("resend", "send a rejected or failed item again", &CtlClient::Resend),
      {"items accept", "accept an item: queue it for export (approvers)",
       [](const std::vector<std::string>& args) { return Accept("accept", args); }},
      {"items update-cost-codes", "update a project's new cost codes (approvers)",
       [](const std::vector<std::string>& args) { return Accept("update-cost-codes", args); }},
      ActionSpec("reject", "reject an item with a comment (approvers)", &CtlClient::Reject),
      ActionSpec("unlink", "unlink a synced item whose ERP record is gone (approvers)",
                 &CtlClient::Unlink),
      ActionSpec("archive", "hide an item from the queues", &CtlClient::Archive),
      ActionSpec("unarchive", "bring an archived item back", &CtlClient::Unarchive),
      ActionSpec("lock", "lock a budget (needed to send it)", &CtlClient::LockBudget),
      ActionSpec("unlock", "unlock a budget to change it", &CtlClient::UnlockBudget),
  };
}

}  // namespace erpsync::ctl
