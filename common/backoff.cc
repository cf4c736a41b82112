#include "common/backoff.h"

#include <algorithm>
#include <cmath>

namespace erpsync {

std::chrono::milliseconds Backoff::NextDelay() {
  const double ceiling =
      std::min(static_cast<double>(policy_.maximum.count()),
               static_cast<double>(policy_.initial.count()) * std::pow(policy_.multiplier, attempts_));
  ++attempts_;
  std::uniform_real_distribution<double> jitter(ceiling / 2, ceiling);
  return std::chrono::milliseconds(static_cast<int64_t>(jitter(random_)));
}

}  // namespace erpsync
