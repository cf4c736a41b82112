#include "ctl/item_printer.h"

#include <iostream>

#include "common/civil_time.h"
#include "ctl/approval_command.h"
#include "ctl/item_names.h"

namespace erpsync::ctl {
namespace {

void Field(const char* name, const std::string& value) {
  if (value.empty()) return;
  std::string label = std::string(name) + ":";
  label.resize(14, ' ');
  std::cout << "  " << label << value << "\n";
}

std::string Time(int64_t unix_seconds) { return FormatTimestamp(unix_seconds) + " UTC"; }

}  // namespace

void PrintItem(const v1::Item& item) {
  std::cout << "item " << item.id() << ": " << ItemTypeLabel(item.type()) << ", "
            << ItemStateLabel(item.state()) << (item.archived() ? " (archived)" : "")
            << ", version " << item.version() << "\n";
  Field("title", item.title());
  Field("project", item.project_id() == 0 ? "" : std::to_string(item.project_id()));
  Field("connection", item.connection());
  Field("origin", item.origin() == v1::IMPORTED ? "imported from the ERP" : "created");
  Field("locked", item.locked() ? "yes" : "no");
  Field("created by", item.created_by() + ", " + Time(item.created_unix()));
  Field("updated", Time(item.updated_unix()));
  Field("erp key", item.erp_key());
  std::string keys;
  for (const std::string& key : item.erp_keys()) keys += (keys.empty() ? "" : ", ") + key;
  Field("erp keys", keys);
  Field("erp message", item.erp_message());
  Field("rejected", item.decision_comment());
  Field("content", ToJson(item.content()));
}

void PrintItemSummary(const v1::Item& item) {
  std::cout << "item " << item.id() << ": " << item.title() << " is "
            << ItemStateLabel(item.state()) << (item.archived() ? " (archived)" : "")
            << (item.type() == v1::BUDGET ? (item.locked() ? ", locked" : ", unlocked") : "")
            << " (version " << item.version() << ")\n";
}

void PrintItemTable(const v1::ListItemsResponse& page, bool header) {
  if (header) std::cout << "id\ttype\tstate\tversion\tproject\ttitle\n";
  for (const v1::Item& item : page.items()) {
    std::cout << item.id() << "\t" << ItemTypeLabel(item.type()) << "\t"
              << ItemStateLabel(item.state()) << "\t" << item.version() << "\t"
              << (item.project_id() == 0 ? "-" : std::to_string(item.project_id())) << "\t"
              << item.title() << "\n";
  }
}

void PrintHistory(const v1::ItemHistory& history) {
  std::cout << "version\ttime\tactor\taction\tstate\tcomment\n";
  for (const v1::HistoryEntry& entry : history.entries()) {
    std::cout << entry.version() << "\t" << Time(entry.created_unix()) << "\t" << entry.actor()
              << "\t" << entry.action() << "\t"
              << (entry.from_state() == v1::ITEM_STATE_UNSPECIFIED
                      ? ""
                      : ItemStateLabel(entry.from_state()) + " -> ")
              << ItemStateLabel(entry.to_state()) << "\t" << entry.comment() << "\n";
  }
}

}  // namespace erpsync::ctl
