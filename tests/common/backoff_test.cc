#include "common/backoff.h"

#include <gtest/gtest.h>

namespace erpsync {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

TEST(BackoffTest, AShortOutageIsRetriedPromptlyWithJitter) {
  Backoff backoff(BackoffPolicy{}, 7);
  // A server restart: retries every 0.5-1.5 s for the first 45 s.
  for (int i = 0; i < 60; ++i) {
    const int64_t delay = backoff.NextDelay(seconds(i * 3 / 4)).count();
    EXPECT_GE(delay, 500);
    EXPECT_LE(delay, 1500);
  }
}

TEST(BackoffTest, ALongOutageBacksOffToTheMaximumNeverBeyond) {
  Backoff backoff(BackoffPolicy{}, 7);
  const int64_t bases[] = {2000, 4000, 8000, 16000, 30000, 30000, 30000};
  for (int64_t base : bases) {
    const int64_t delay = backoff.NextDelay(seconds(46)).count();
    EXPECT_GE(delay, base / 2);
    EXPECT_LE(delay, std::min<int64_t>(30000, base * 3 / 2));
  }
  backoff.Reset();
  EXPECT_LE(backoff.NextDelay().count(), 1500);
}

TEST(BackoffTest, JitterSpreadsAgentsThatFailedTogether) {
  // Agents of one outage, seeded apart, do not retry in step.
  int64_t lowest = 1'000'000;
  int64_t highest = 0;
  for (uint64_t agent = 0; agent < 50; ++agent) {
    Backoff backoff(BackoffPolicy{}, agent);
    const int64_t delay = backoff.NextDelay(seconds(60)).count();
    lowest = std::min(lowest, delay);
    highest = std::max(highest, delay);
  }
  EXPECT_GT(highest - lowest, 1000);
}

TEST(BackoffTest, NoSteadyPhaseGrowsFromTheFirstAttempt) {
  Backoff backoff(BackoffPolicy{milliseconds(100), milliseconds(1000), 2.0, milliseconds(0), 0.5},
                  7);
  EXPECT_LE(backoff.NextDelay().count(), 300);
  EXPECT_GE(backoff.NextDelay().count(), 200);
}

}  // namespace
}  // namespace erpsync
