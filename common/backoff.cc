#include "common/backoff.h"

#include <algorithm>
#include <cmath>

namespace erpsync {

std::chrono::milliseconds Backoff::NextDelay(std::chrono::milliseconds failing_for) {
  ++attempts_;
  const double initial = static_cast<double>(policy_.initial.count());
  const double maximum = static_cast<double>(policy_.maximum.count());
  double base = initial;
  if (failing_for >= policy_.steady_for) {
    ++grown_;
    base = std::min(maximum, initial * std::pow(policy_.multiplier, grown_));
  }
  std::uniform_real_distribution<double> jitter(base * (1 - policy_.jitter),
                                                base * (1 + policy_.jitter));
  return std::chrono::milliseconds(static_cast<int64_t>(std::min(maximum, jitter(random_))));
}

std::chrono::milliseconds Backoff::NextDelay() {
  const auto now = std::chrono::steady_clock::now();
  if (!first_failure_) first_failure_ = now;
  return NextDelay(std::chrono::duration_cast<std::chrono::milliseconds>(now - *first_failure_));
}

}  // namespace erpsync
