#include "server/store/agent_control_rules.h"

#include "common/secret_token.h"

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

Result<SyncRequestRow> NewSyncRequest(int64_t connection_id,
                                      const std::vector<std::string>& entity_ids, bool deep,
                                      const std::string& since, const std::string& requested_by,
                                      int64_t now) {
  ERPSYNC_ASSIGN_OR_RETURN(const std::string token, GenerateSecretToken("sr"));
  SyncRequestRow request;
  request.id = token.substr(0, 19);  // "sr_" + 16 random characters
  request.connection_id = connection_id;
  request.entity_ids = entity_ids;
  request.deep = deep;
  request.since = since;
  request.requested_by = requested_by;
  request.created_unix = request.updated_unix = now;
  return request;
}

}  // namespace store_internal
}  // namespace erpsync::server
