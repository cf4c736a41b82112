// Exponential backoff with full jitter for retrying transient failures
// (unreachable server, busy database). Not thread-safe.
#ifndef ERPSYNC_COMMON_BACKOFF_H_
#define ERPSYNC_COMMON_BACKOFF_H_

#include <chrono>
#include <cstdint>
#include <random>

namespace erpsync {

struct BackoffPolicy {
  std::chrono::milliseconds initial{250};
  std::chrono::milliseconds maximum{30000};
  double multiplier = 2.0;
};

class Backoff {
 public:
  explicit Backoff(BackoffPolicy policy, uint64_t seed = std::random_device{}())
      : policy_(policy), random_(seed) {}

  // The delay before the next attempt: uniform in [ceiling/2, ceiling] where
  // the ceiling grows by `multiplier` per call up to `maximum`.
  std::chrono::milliseconds NextDelay();
  // Back to the initial delay (after a success).
  void Reset() { attempts_ = 0; }
  int attempts() const { return attempts_; }

 private:
  BackoffPolicy policy_;
  std::mt19937_64 random_;
  int attempts_ = 0;
};

}  // namespace erpsync

#endif  // ERPSYNC_COMMON_BACKOFF_H_
