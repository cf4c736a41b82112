// Backoff between attempts after transient failures (an unreachable server,
// a busy database): jittered, prompt through a short outage and growing in
// a long one, so that thousands of agents never retry in step and a server
// that restarts gets its agents back within seconds. Not thread-safe.
//
// While the failures have lasted less than `steady_for`, every delay is
// `initial` (jittered): an outage such as a server restart ends with a
// retry within about `initial`. After that the delays grow by `multiplier`
// per attempt up to `maximum`. Every delay is jittered by +-`jitter` of its
// base and never above `maximum`.
#ifndef ERPSYNC_COMMON_BACKOFF_H_
#define ERPSYNC_COMMON_BACKOFF_H_

#include <chrono>
#include <cstdint>
#include <optional>
#include <random>

namespace erpsync {

struct BackoffPolicy {
  std::chrono::milliseconds initial{1000};
  std::chrono::milliseconds maximum{30000};
  double multiplier = 2.0;
  // Longer than a server restart (up to 30 s) plus the time to notice it.
  std::chrono::milliseconds steady_for{45000};
  double jitter = 0.5;
};

class Backoff {
 public:
  explicit Backoff(BackoffPolicy policy, uint64_t seed = std::random_device{}())
      : policy_(policy), random_(seed) {}

  // The delay before the next attempt, when the failures have lasted
  // `failing_for`.
  std::chrono::milliseconds NextDelay(std::chrono::milliseconds failing_for);
  // The same, measuring `failing_for` from the first call since
  // construction or Reset().
  std::chrono::milliseconds NextDelay();
  // After a success: the next failure starts over.
  void Reset() {
    attempts_ = 0;
    grown_ = 0;
    first_failure_.reset();
  }
  int attempts() const { return attempts_; }

 private:
  BackoffPolicy policy_;
  std::mt19937_64 random_;
  int attempts_ = 0;
  // Attempts since the steady phase ended.
  int grown_ = 0;
  std::optional<std::chrono::steady_clock::time_point> first_failure_;
};

}  // namespace erpsync

#endif  // ERPSYNC_COMMON_BACKOFF_H_
