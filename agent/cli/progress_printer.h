// ProgressPrinter: shows a sync's progress on stderr. On a terminal one
// line per entity is redrawn in place (records done of total, percent,
// records/s); otherwise a log line is written at most every few seconds.
// Used from the sync thread only.
#ifndef ERPSYNC_AGENT_CLI_PROGRESS_PRINTER_H_
#define ERPSYNC_AGENT_CLI_PROGRESS_PRINTER_H_

#include <chrono>
#include <cstdio>

#include "agent/sync/sync_report.h"
#include "common/human_format.h"

namespace erpsync::agent {

class ProgressPrinter : public ProgressListener {
 public:
  // `interactive`: redraw lines in place (stderr is a terminal).
  explicit ProgressPrinter(bool interactive, std::FILE* out = stderr)
      : interactive_(interactive), out_(out) {}

  void OnEntityStart(const EntityReport& entity) override;
  void OnProgress(const EntityReport& entity) override;
  void OnEntityDone(const EntityReport& entity) override;
  void OnRetry(const Status& error, std::chrono::milliseconds delay, int attempt) override;

 private:
  void Draw(const EntityReport& entity, bool final);

  bool interactive_;
  std::FILE* out_;
  std::chrono::steady_clock::time_point entity_start_;
  std::chrono::steady_clock::time_point last_draw_;
};

}  // namespace erpsync::agent

#endif  // ERPSYNC_AGENT_CLI_PROGRESS_PRINTER_H_
