#include "server/sync/store_stage.h"

#include <gtest/gtest.h>

#include <atomic>

#include "common/mutex.h"
#include "common/thread_annotations.h"
#include "tests/server/sync/sync_stream_fixture.h"
#include "tests/support/status_matchers.h"

namespace erpsync::server {
namespace {

using ::testing::Eq;
using ::testing::HasSubstr;

class StoreStageTest : public SyncStreamFixture {
 protected:
  void SetUp() override {
    SyncStreamFixture::SetUp();
    ASSERT_OK(Send(Start()));
    ASSERT_OK(Send(Open(true)));
  }

  // What the stage answered, in order (written on the stage's thread).
  StoreStage::Respond Collect() {
    return [this](const v1::SyncResponse& response) {
      MutexLock lock(mu_);
      acks_.push_back(response.batch_ack().sequence());
      return writable_.load();
    };
  }
  // Counts the stage's calls of its failure callback.
  StoreStage::Failed CountFailures() {
    return [this](const Status&) { ++failures_; };
  }
  std::vector<uint64_t> Acks() {
    MutexLock lock(mu_);
    return acks_;
  }

  // Reads `request` into a spare batch of `stage` and prepares it.
  std::unique_ptr<PreparedBatch> Prepared(StoreStage& stage, v1::SyncRequest request) {
    std::unique_ptr<PreparedBatch> batch = stage.Spare();
    batch->request = std::move(request);
    const Status prepared = handler_->PrepareBatch(batch->request.batch(), batch.get());
    EXPECT_OK(prepared);
    return batch;
  }

  uint64_t StoredCount() { return records_->GetEntity(agent_.connection_id, "vendor")->live_count; }

  Mutex mu_;
  std::vector<uint64_t> acks_ ERPSYNC_GUARDED_BY(mu_);
  std::atomic<bool> writable_{true};
  std::atomic<int> failures_{0};
};

TEST_P(StoreStageTest, StoresEveryBatchInOrderAndAnswersEach) {
  StoreStage stage(handler_.get(), Collect(), CountFailures(), 2);
  for (uint64_t sequence = 1; sequence <= 20; ++sequence) {
    const std::string key = "V" + std::to_string(sequence);
    ASSERT_OK(stage.Submit(Prepared(stage, Packed(sequence, {key + "a", key + "b"}))));
  }
  ASSERT_OK(stage.Drain());
  std::vector<uint64_t> expected;
  for (uint64_t sequence = 1; sequence <= 20; ++sequence) expected.push_back(sequence);
  EXPECT_EQ(Acks(), expected);
  EXPECT_EQ(StoredCount(), 40u);
  // Once drained, the handler takes the other messages again.
  EXPECT_EQ(Send(End())->entity_ended().record_count(), 40u);
  EXPECT_EQ(failures_.load(), 0);
}

TEST_P(StoreStageTest, AStoreFailureStopsTheStageAndIsReturned) {
  StoreStage stage(handler_.get(), Collect(), CountFailures(), 1);
  ASSERT_OK(stage.Submit(Prepared(stage, Batch(1, {"V1"}))));
  // A record the store refuses (PrepareBatch would have refused it first).
  std::unique_ptr<PreparedBatch> bad = Prepared(stage, Batch(2, {"V2"}));
  bad->records[0].key = "";
  ASSERT_OK(stage.Submit(std::move(bad)));
  const Status drained = stage.Drain();
  EXPECT_THAT(drained, StatusIs(StatusCode::kInvalidArgument, HasSubstr("has an empty key")));
  EXPECT_THAT(stage.Submit(Prepared(stage, Batch(3, {"V3"}))),
              StatusIs(StatusCode::kInvalidArgument));
  EXPECT_EQ(Acks(), std::vector<uint64_t>{1});
  EXPECT_EQ(StoredCount(), 1u);
  // Told once, as it happened (to end the stream's reading).
  EXPECT_EQ(failures_.load(), 1);
}

TEST_P(StoreStageTest, AGoneAgentIsCancelledAndNothingMoreIsStored) {
  writable_ = false;
  StoreStage stage(handler_.get(), Collect(), CountFailures(), 1);
  ASSERT_OK(stage.Submit(Prepared(stage, Batch(1, {"V1"}))));
  const Status drained = stage.Drain();
  EXPECT_THAT(drained, StatusIs(StatusCode::kCancelled, Eq("the agent went away")));
  EXPECT_THAT(stage.Submit(Prepared(stage, Batch(2, {"V2"}))), StatusIs(StatusCode::kCancelled));
  EXPECT_EQ(StoredCount(), 1u);  // stored and committed before its answer failed
  EXPECT_EQ(failures_.load(), 1);
}

TEST_P(StoreStageTest, DestroyingTheStageStoresWhatWasSubmitted) {
  {
    StoreStage stage(handler_.get(), Collect(), CountFailures(), 4);
    for (uint64_t sequence = 1; sequence <= 4; ++sequence) {
      ASSERT_OK(stage.Submit(Prepared(stage, Batch(sequence, {"V" + std::to_string(sequence)}))));
    }
  }
  EXPECT_EQ(Acks(), (std::vector<uint64_t>{1, 2, 3, 4}));
  EXPECT_EQ(StoredCount(), 4u);
}

TEST_P(StoreStageTest, SpareBatchesAreReused) {
  StoreStage stage(handler_.get(), Collect(), CountFailures(), 1);
  std::unique_ptr<PreparedBatch> batch = Prepared(stage, Packed(1, {"V1"}));
  const PreparedBatch* address = batch.get();
  ASSERT_OK(stage.Submit(std::move(batch)));
  ASSERT_OK(stage.Drain());
  std::unique_ptr<PreparedBatch> spare = stage.Spare();
  EXPECT_EQ(spare.get(), address);
  EXPECT_TRUE(spare->records.empty());
}

}  // namespace
INSTANTIATE_STORE_TEST_SUITE_P(StoreStageTest);

}  // namespace erpsync::server
