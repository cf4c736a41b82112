#include "common/mutex.h"

#include <gtest/gtest.h>

#include <chrono>
#include <stdexcept>
#include <thread>

namespace erpsync {
namespace {

using std::chrono::milliseconds;

struct Shared {
  Mutex mu;
  CondVar changed;
  int value ERPSYNC_GUARDED_BY(mu) = 0;
};

TEST(MutexTest, WaitWithPredicateSeesTheChangeOfAnotherThread) {
  Shared shared;
  std::thread writer([&] {
    MutexLock lock(shared.mu);
    shared.value = 1;
    shared.changed.NotifyAll();
  });
  {
    MutexLock lock(shared.mu);
    shared.changed.Wait(shared.mu, [&]() ERPSYNC_REQUIRES(shared.mu) { return shared.value == 1; });
    EXPECT_EQ(shared.value, 1);
  }
  writer.join();
}

TEST(MutexTest, UnlockLetsAnotherThreadInAndLockTakesItBack) {
  Shared shared;
  MutexLock lock(shared.mu);
  lock.Unlock();
  std::thread writer([&] {
    MutexLock inner(shared.mu);
    shared.value = 2;
  });
  writer.join();
  lock.Lock();
  EXPECT_EQ(shared.value, 2);
}

TEST(MutexTest, WaitForTimesOutWhenNotReady) {
  Shared shared;
  MutexLock lock(shared.mu);
  EXPECT_FALSE(shared.changed.WaitFor(shared.mu, milliseconds(20),
                                      [&]() ERPSYNC_REQUIRES(shared.mu) { return shared.value; }));
  EXPECT_EQ(shared.changed.WaitFor(shared.mu, milliseconds(1)), std::cv_status::timeout);
  EXPECT_EQ(shared.changed.WaitUntil(shared.mu, std::chrono::steady_clock::now() + milliseconds(1)),
            std::cv_status::timeout);
  // Still held after the waits: this thread may write.
  shared.value = 3;
  EXPECT_TRUE(shared.changed.WaitFor(shared.mu, milliseconds(20),
                                     [&]() ERPSYNC_REQUIRES(shared.mu) { return shared.value; }));
}

TEST(MutexTest, WaitForReturnsOnceReady) {
  Shared shared;
  std::thread writer([&] {
    std::this_thread::sleep_for(milliseconds(10));
    MutexLock lock(shared.mu);
    shared.value = 4;
    shared.changed.NotifyOne();
  });
  {
    MutexLock lock(shared.mu);
    EXPECT_TRUE(shared.changed.WaitFor(shared.mu, std::chrono::seconds(30),
                                       [&]() ERPSYNC_REQUIRES(shared.mu) { return shared.value; }));
  }
  writer.join();
}

TEST(MutexTest, ThrowingPredicateLeavesTheLockToItsOwner) {
  Shared shared;
  EXPECT_THROW(
      {
        MutexLock lock(shared.mu);
        shared.changed.Wait(shared.mu, []() -> bool { throw std::runtime_error("predicate"); });
      },
      std::runtime_error);
  // Unlocked once, by the MutexLock: another thread can take it.
  std::thread other([&] {
    MutexLock lock(shared.mu);
    shared.value = 5;
  });
  other.join();
  MutexLock lock(shared.mu);
  EXPECT_EQ(shared.value, 5);
}

}  // namespace
}  // namespace erpsync
