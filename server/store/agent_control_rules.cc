#include "server/store/agent_control_rules.h"

namespace erpsync::server {

std::string_view SyncRequestStateName(SyncRequestState state) {
  switch (state) {
    case SyncRequestState::kQueued: return "queued";
    case SyncRequestState::kSent: return "sent";
    case SyncRequestState::kDone: return "done";
    case SyncRequestState::kFailed: return "failed";
  }
  return "queued";
}

namespace store_internal {

std::string JoinIds(const std::vector<std::string>& ids) {
  std::string joined;
  for (size_t i = 0; i < ids.size(); ++i) {
    if (i > 0) joined.push_back(',');
    joined += ids[i];
  }
  return joined;
}

std::vector<std::string> SplitIds(const std::string& joined) {
  std::vector<std::string> ids;
  size_t start = 0;
  while (start < joined.size()) {
    size_t comma = joined.find(',', start);
    if (comma == std::string::npos) comma = joined.size();
    ids.push_back(joined.substr(start, comma - start));
    start = comma + 1;
  }
  return ids;
}

SyncRequestState SyncRequestStateFromName(const std::string& name) {
  if (name == "sent") return SyncRequestState::kSent;
  if (name == "done") return SyncRequestState::kDone;
  if (name == "failed") return SyncRequestState::kFailed;
  return SyncRequestState::kQueued;
}

}  // namespace store_internal
}  // namespace erpsync::server
