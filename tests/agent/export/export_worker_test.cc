#include "agent/export/export_worker.h"

#include <gtest/gtest.h>

#include <atomic>

#include "common/mutex.h"
#include "common/thread_annotations.h"
#include "tests/support/subprocess.h"

namespace erpsync::agent {
namespace {

v1::ExportItem Item(int64_t id, int64_t version = 1) {
  v1::ExportItem item;
  item.set_item_id(id);
  item.set_version(version);
  return item;
}

class ExportWorkerTest : public ::testing::Test {
 protected:
  std::vector<v1::ExportResult> Results() {
    MutexLock lock(mutex_);
    return results_;
  }
  ExportWorker::ReportFunction Report() {
    return [this](const v1::ExportResult& result) {
      MutexLock lock(mutex_);
      results_.push_back(result);
    };
  }
  static BackoffPolicy Fast() {
    return BackoffPolicy{std::chrono::milliseconds(5), std::chrono::milliseconds(20), 2.0};
  }
  Mutex mutex_;
  std::vector<v1::ExportResult> results_ ERPSYNC_GUARDED_BY(mutex_);
};

TEST_F(ExportWorkerTest, ATransientFaultIsRetriedWhileTheOthersGoOn) {
  std::atomic<int> busy_left{3};
  std::atomic<int> calls{0};
  ExportWorker worker(
      [&](const v1::ExportItem& item) {
        ++calls;
        if (item.item_id() == 1 && busy_left.fetch_sub(1) > 0) {
          return ExportOutcome::Transient("database is locked");
        }
        if (item.item_id() == 2) return ExportOutcome::Rejected("Vendor V9 does not exist");
        return ExportOutcome::Applied({"C-" + std::to_string(item.item_id())});
      },
      Report(), Fast());
  worker.Start();
  worker.Enqueue(Item(1));
  worker.Enqueue(Item(2));
  worker.Enqueue(Item(3));
  ASSERT_TRUE(testing::WaitFor([&] { return Results().size() == 3; }, std::chrono::seconds(10)));
  const auto results = Results();
  // Items 2 and 3 did not wait for item 1's retries.
  EXPECT_EQ(results[0].item_id(), 2);
  EXPECT_FALSE(results[0].ok());
  EXPECT_EQ(results[0].message(), "Vendor V9 does not exist");
  EXPECT_EQ(results[1].item_id(), 3);
  EXPECT_TRUE(results[1].ok());
  EXPECT_EQ(results[2].item_id(), 1);
  EXPECT_TRUE(results[2].ok());
  EXPECT_EQ(results[2].erp_keys(0), "C-1");
  EXPECT_EQ(calls.load(), 6);
  EXPECT_EQ(worker.pending(), 0u);
}

TEST_F(ExportWorkerTest, ARedeliveryOfAQueuedVersionIsIgnoredAndAlreadyAppliedIsOk) {
  std::atomic<int> calls{0};
  ExportWorker worker(
      [&](const v1::ExportItem&) {
        ++calls;
        return ExportOutcome::AlreadyApplied({"SC-1"});
      },
      Report(), Fast());
  worker.Enqueue(Item(7, 2));
  worker.Enqueue(Item(7, 2));
  EXPECT_EQ(worker.pending(), 1u);
  worker.Start();
  ASSERT_TRUE(testing::WaitFor([&] { return Results().size() == 1; }, std::chrono::seconds(10)));
  EXPECT_TRUE(Results()[0].ok());
  EXPECT_EQ(Results()[0].version(), 2);
  worker.Stop();
  EXPECT_EQ(calls.load(), 1);
}

}  // namespace
}  // namespace erpsync::agent
