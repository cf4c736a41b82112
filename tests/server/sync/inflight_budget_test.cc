#include "server/sync/inflight_budget.h"

#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "tests/support/status_matchers.h"

namespace erpsync::server {
namespace {

using ::testing::HasSubstr;
using std::chrono::milliseconds;

TEST(InflightBudgetTest, ReservationsAreGivenBackWhenDestroyedOrReset) {
  InflightBudget budget(100, 10, milliseconds(1));
  {
    ASSERT_OK_AND_ASSIGN(InflightBudget::Reservation a, budget.Acquire(60));
    EXPECT_EQ(budget.in_use(), 60u);
    ASSERT_OK_AND_ASSIGN(InflightBudget::Reservation b, budget.Acquire(40));
    EXPECT_EQ(budget.in_use(), 100u);
    b.Reset();
    EXPECT_EQ(budget.in_use(), 60u);
    InflightBudget::Reservation moved = std::move(a);
    EXPECT_EQ(budget.in_use(), 60u);
  }
  EXPECT_EQ(budget.in_use(), 0u);
}

TEST(InflightBudgetTest, AFullBudgetWaitsThenIsResourceExhausted) {
  InflightBudget budget(100, 10, milliseconds(20));
  ASSERT_OK_AND_ASSIGN(InflightBudget::Reservation held, budget.Acquire(80));
  EXPECT_THAT(budget.Acquire(30),
              StatusIs(StatusCode::kResourceExhausted,
                       HasSubstr("80 of 100 bytes of batches in flight (server.max_inflight_bytes)")));
  EXPECT_THAT(budget.Acquire(101), StatusIs(StatusCode::kInvalidArgument,
                                            HasSubstr("more than the server's whole budget")));
}

TEST(InflightBudgetTest, AWaitingBatchGetsTheRoomGivenBack) {
  InflightBudget budget(100, 10, std::chrono::seconds(30));
  Result<InflightBudget::Reservation> held = budget.Acquire(80);
  ASSERT_OK(held);
  std::thread giver([&] {
    std::this_thread::sleep_for(milliseconds(50));
    held->Reset();
  });
  const auto start = std::chrono::steady_clock::now();
  EXPECT_OK(budget.Acquire(50));
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(10));
  giver.join();
}

TEST(InflightBudgetTest, StreamsOverTheLimitAreResourceExhausted) {
  InflightBudget budget(100, 2);
  ASSERT_OK_AND_ASSIGN(InflightBudget::StreamSlot a, budget.OpenStream());
  {
    ASSERT_OK_AND_ASSIGN(InflightBudget::StreamSlot b, budget.OpenStream());
    EXPECT_THAT(budget.OpenStream(),
                StatusIs(StatusCode::kResourceExhausted,
                         HasSubstr("2 sync streams open (server.max_sync_streams)")));
  }
  EXPECT_OK(budget.OpenStream());
}

}  // namespace
}  // namespace erpsync::server
