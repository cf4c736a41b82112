#include "bench/agent_summary.h"

#include <regex>

namespace erpsync::bench {
namespace {

// Sum of the unsigned values of every `"key":N` member.
uint64_t SumOf(const std::string& json, const std::string& key, int* count = nullptr) {
  const std::regex member("\"" + key + "\":([0-9]+)");
  uint64_t sum = 0;
  int found = 0;
  for (auto it = std::sregex_iterator(json.begin(), json.end(), member);
       it != std::sregex_iterator(); ++it) {
    sum += std::stoull((*it)[1]);
    ++found;
  }
  if (count != nullptr) *count = found;
  return sum;
}

}  // namespace

Result<AgentSummary> ParseAgentSummary(const std::string& json) {
  std::smatch match;
  const std::regex ok_member(R"re("ok":(true|false))re");
  if (!std::regex_search(json, match, ok_member)) {
    return InvalidArgumentError("not an erpsync-agent sync --json summary: " + json.substr(0, 200));
  }
  AgentSummary summary;
  summary.ok = match[1] == "true";
  summary.records_sent = SumOf(json, "records_sent", &summary.record_types);
  if (summary.record_types == 0) {
    return InvalidArgumentError("erpsync-agent sync --json summary lists no record types: " +
                                json.substr(0, 200));
  }
  summary.deletions_sent = SumOf(json, "deletions_sent");
  summary.acknowledged = SumOf(json, "acknowledged");
  // The run's own members come before the per-record-type array.
  const std::string run = json.substr(0, json.find("\"entities\""));
  summary.agent_bytes_sent = SumOf(run, "bytes_sent");
  const std::regex seconds_member(R"re("seconds":([0-9.]+))re");
  if (std::regex_search(run, match, seconds_member)) summary.agent_seconds = std::stod(match[1]);
  return summary;
}

Result<uint64_t> ParseChecksumRowCount(const std::string& json) {
  int record_types = 0;
  const uint64_t rows = SumOf(json, "count", &record_types);
  if (record_types == 0) {
    return InvalidArgumentError("not an erpsync-agent erp checksum --json output: " +
                                json.substr(0, 200));
  }
  return rows;
}

}  // namespace erpsync::bench
