#include "common/backoff.h"

#include <gtest/gtest.h>

namespace erpsync {
namespace {

using std::chrono::milliseconds;

TEST(BackoffTest, GrowsWithJitterUpToTheMaximum) {
  Backoff backoff(BackoffPolicy{milliseconds(100), milliseconds(1000), 2.0}, 7);
  const int64_t ceilings[] = {100, 200, 400, 800, 1000, 1000};
  for (int64_t ceiling : ceilings) {
    const int64_t delay = backoff.NextDelay().count();
    EXPECT_GE(delay, ceiling / 2);
    EXPECT_LE(delay, ceiling);
  }
  EXPECT_EQ(backoff.attempts(), 6);
  backoff.Reset();
  EXPECT_LE(backoff.NextDelay().count(), 100);
}

}  // namespace
}  // namespace erpsync
