// AgentSummary: the figures the benchmark needs from `erpsync-agent sync
// --json` (agent/cli/report_printer.cc): totals over the record types of
// records sent, deletions sent, records acknowledged, and the agent's own
// count of bytes sent; and the row count of `erpsync-agent erp checksum
// --json`. Plain data and pure parsers; thread-safe.
#ifndef ERPSYNC_BENCH_AGENT_SUMMARY_H_
#define ERPSYNC_BENCH_AGENT_SUMMARY_H_

#include <cstdint>
#include <string>

#include "common/status.h"

namespace erpsync::bench {

struct AgentSummary {
  bool ok = false;
  int record_types = 0;
  uint64_t records_sent = 0;
  uint64_t deletions_sent = 0;
  uint64_t acknowledged = 0;
  // What the agent counted itself (before the channel's compression, as the
  // agent reports it); the proxy's count is what the benchmark reports.
  uint64_t agent_bytes_sent = 0;
  double agent_seconds = 0;
};

// Parses the JSON summary. INVALID_ARGUMENT (quoting the start of the text)
// when it has no "ok" member or no record types.
Result<AgentSummary> ParseAgentSummary(const std::string& json);

// The rows `erpsync-agent erp checksum --json` counted, over its record
// types. INVALID_ARGUMENT (quoting the start of the text) when it lists no
// record type.
Result<uint64_t> ParseChecksumRowCount(const std::string& json);

}  // namespace erpsync::bench

#endif  // ERPSYNC_BENCH_AGENT_SUMMARY_H_
