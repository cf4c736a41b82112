#include "agent/cli/progress_printer.h"

#include <string>

namespace erpsync::agent {
namespace {

using Clock = std::chrono::steady_clock;

double Seconds(Clock::duration duration) { return std::chrono::duration<double>(duration).count(); }

}  // namespace

void ProgressPrinter::OnEntityStart(const EntityReport& entity) {
  entity_start_ = Clock::now();
  last_draw_ = Clock::time_point();
  if (entity.resumed_at > 0) {
    std::fprintf(out_, "%s: resuming at %s of %s\n", entity.display_name.c_str(),
                 WithThousands(entity.resumed_at).c_str(), WithThousands(entity.total).c_str());
  }
  Draw(entity, false);
}

void ProgressPrinter::OnProgress(const EntityReport& entity) {
  const auto now = Clock::now();
  const auto every = interactive_ ? std::chrono::milliseconds(200) : std::chrono::milliseconds(5000);
  if (now - last_draw_ < every) return;
  Draw(entity, false);
}

void ProgressPrinter::OnEntityDone(const EntityReport& entity) { Draw(entity, true); }

void ProgressPrinter::OnRetry(const Status& error, std::chrono::milliseconds delay, int attempt) {
  if (interactive_) std::fputc('\n', out_);
  // A server out of room answered; any other failure lost the connection.
  const char* what = error.code() == StatusCode::kResourceExhausted ? "the server cannot take the "
                                                                      "records now"
                                                                    : "connection lost";
  std::fprintf(out_, "%s (%s); retry %d in %.1f s\n", what, error.ToString().c_str(), attempt,
               static_cast<double>(delay.count()) / 1000.0);
  std::fflush(out_);
}

void ProgressPrinter::Draw(const EntityReport& entity, bool final) {
  last_draw_ = Clock::now();
  const double elapsed = Seconds(last_draw_ - entity_start_);
  const uint64_t done = entity.resumed_at + entity.acked;
  const double rate = elapsed > 0 ? static_cast<double>(entity.acked) / elapsed : 0;
  std::string line = "  " + entity.display_name;
  line.resize(std::max<size_t>(line.size() + 1, 34), ' ');
  if (entity.skipped) {
    line += "already done by the interrupted run";
  } else if (!entity.error.empty()) {
    line += "FAILED: " + entity.error;
  } else if (final && entity.total == 0 && entity.acked == 0) {
    line += "up to date";
  } else {
    line += WithThousands(done);
    if (entity.total > 0) {
      line += " / " + WithThousands(entity.total);
      const double percent = 100.0 * static_cast<double>(std::min(done, entity.total)) /
                             static_cast<double>(entity.total);
      char buffer[32];
      std::snprintf(buffer, sizeof(buffer), "  %3.0f%%", percent);
      line += buffer;
    }
    char buffer[64];
    std::snprintf(buffer, sizeof(buffer), "  %s rec/s", WithThousands(static_cast<uint64_t>(rate)).c_str());
    line += buffer;
    if (final) {
      std::snprintf(buffer, sizeof(buffer), "  %.1f s", elapsed);
      line += buffer;
    }
  }
  if (interactive_) {
    std::fprintf(out_, "\r\033[K%s%s", line.c_str(), final ? "\n" : "");
  } else if (final || done > 0) {
    std::fprintf(out_, "%s\n", line.c_str());
  }
  std::fflush(out_);
}

}  // namespace erpsync::agent
