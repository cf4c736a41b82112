#include "ctl/item_names.h"

#include <cctype>
#include <map>

namespace erpsync::ctl {
namespace {

// "sub-job" -> "SUB_JOB".
std::string EnumSpelling(std::string_view name) {
  std::string spelled;
  for (const char c : name) {
    spelled += (c == '-' || c == ' ') ? '_' : static_cast<char>(std::toupper(c));
  }
  return spelled;
}

// "SUB_JOB" -> "sub-job".
std::string Label(const std::string& enum_name) {
  std::string label;
  for (const char c : enum_name) {
    label += c == '_' ? '-' : static_cast<char>(std::tolower(c));
  }
  return label;
}

}  // namespace

Result<v1::ItemType> ParseItemType(std::string_view name) {
  static const std::map<std::string, v1::ItemType> kAliases = {
      {"CCO", v1::COMMITMENT_CHANGE_ORDER},
      {"PCCO", v1::PRIME_CONTRACT_CHANGE_ORDER},
      {"INVOICE", v1::SUBCONTRACTOR_INVOICE},
      {"SUBJOB", v1::SUB_JOB},
      {"COMPANY", v1::VENDOR},
      {"COMPANIES", v1::VENDOR},
      {"PROJECT", v1::JOB},
  };
  std::string spelled = EnumSpelling(name);
  for (int attempt = 0; attempt < 2; ++attempt) {
    v1::ItemType type = v1::ITEM_TYPE_UNSPECIFIED;
    if (v1::ItemType_Parse(spelled, &type) && type != v1::ITEM_TYPE_UNSPECIFIED) return type;
    if (auto it = kAliases.find(spelled); it != kAliases.end()) return it->second;
    if (spelled.empty() || spelled.back() != 'S') break;
    spelled.pop_back();  // a plural
  }
  return InvalidArgumentError(
      "'" + std::string(name) +
      "' is not an item type: job, sub-job, cost-code-update, budget, budget-change, "
      "commitment, cco (commitment-change-order), pcco (prime-contract-change-order), "
      "invoice (subcontractor-invoice), vendor");
}

Result<v1::Queue> ParseQueue(std::string_view name) {
  const std::string spelled = EnumSpelling(name);
  if (spelled == "ALL") return v1::QUEUE_UNSPECIFIED;
  v1::Queue queue = v1::QUEUE_UNSPECIFIED;
  if ((v1::Queue_Parse(spelled, &queue) || v1::Queue_Parse(spelled + "_QUEUE", &queue)) &&
      queue != v1::QUEUE_UNSPECIFIED) {
    return queue;
  }
  return InvalidArgumentError("'" + std::string(name) +
                              "' is not a queue: ready-to-export, ready-to-update, "
                              "failed-to-export, synced, archived, all");
}

Result<v1::ItemState> ParseItemState(std::string_view name) {
  v1::ItemState state = v1::ITEM_STATE_UNSPECIFIED;
  if (v1::ItemState_Parse(EnumSpelling(name), &state) && state != v1::ITEM_STATE_UNSPECIFIED) {
    return state;
  }
  return InvalidArgumentError("'" + std::string(name) +
                              "' is not a state: draft, sent, retrieved, rejected, "
                              "queued-for-export, export-delivered, synced, failed-to-export, "
                              "unlinked");
}

std::string ItemTypeLabel(v1::ItemType type) { return Label(v1::ItemType_Name(type)); }

std::string ItemStateLabel(v1::ItemState state) { return Label(v1::ItemState_Name(state)); }

}  // namespace erpsync::ctl
