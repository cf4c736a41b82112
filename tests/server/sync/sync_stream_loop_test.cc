#include "server/sync/sync_stream_loop.h"

#include <gtest/gtest.h>

#include <atomic>
#include <deque>
#include <vector>

#include "common/mutex.h"
#include "tests/server/sync/sync_stream_fixture.h"
#include "tests/support/status_matchers.h"

namespace erpsync::server {
namespace {

using ::testing::Eq;
using ::testing::HasSubstr;

// The agent's side, scripted: the messages it sends, then its side closed.
class ScriptedIo : public SyncStreamIo {
 public:
  explicit ScriptedIo(std::vector<v1::SyncRequest> requests)
      : requests_(requests.begin(), requests.end()) {}
  bool Read(v1::SyncRequest* request) override {
    if (requests_.empty()) return false;
    *request = std::move(requests_.front());
    requests_.pop_front();
    return true;
  }
  bool Write(const v1::SyncResponse& response) override {
    MutexLock lock(mutex_);
    responses_.push_back(response);
    return true;
  }
  bool Cancelled() const override { return false; }
  std::vector<v1::SyncResponse> responses() {
    MutexLock lock(mutex_);
    return responses_;
  }

 private:
  std::deque<v1::SyncRequest> requests_;
  Mutex mutex_;
  std::vector<v1::SyncResponse> responses_ ERPSYNC_GUARDED_BY(mutex_);
};

class SyncStreamLoopTest : public SyncStreamFixture {
 protected:
  v1::SyncRequest SyncEnd() {
    v1::SyncRequest request;
    request.mutable_end();
    return request;
  }
  std::atomic<bool> shutting_down_{false};
};

TEST_P(SyncStreamLoopTest, AnswersEveryMessageInOrderAndEndsWithSyncEnd) {
  ScriptedIo io({Start(), Open(false), Packed(1, {"V1", "V2"}), Packed(2, {"V3"}), End(),
                 SyncEnd()});
  ASSERT_OK(RunSyncStream(handler_.get(), &io, SyncLimits{}, shutting_down_));
  const std::vector<v1::SyncResponse> responses = io.responses();
  ASSERT_EQ(responses.size(), 6u);
  EXPECT_TRUE(responses[1].has_entity_started());
  EXPECT_EQ(responses[2].batch_ack().sequence(), 1u);
  EXPECT_EQ(responses[3].batch_ack().sequence(), 2u);
  EXPECT_EQ(responses[4].entity_ended().record_count(), 3u);
}

TEST_P(SyncStreamLoopTest, AStreamEndingBeforeSyncEndIsInvalidAfterItsBatchesAreStored) {
  ScriptedIo io({Start(), Open(false), Packed(1, {"V1", "V2"})});
  EXPECT_THAT(RunSyncStream(handler_.get(), &io, SyncLimits{}, shutting_down_),
              StatusIs(StatusCode::kInvalidArgument,
                       Eq("sync protocol: the stream ended before SyncEnd")));
  ASSERT_EQ(io.responses().size(), 3u);
  EXPECT_EQ(io.responses()[2].batch_ack().inserted(), 2u);
}

TEST_P(SyncStreamLoopTest, AMessageOverTheLimitIsRefusedNamingIt) {
  SyncLimits limits;
  limits.max_message_bytes = 64;
  ScriptedIo io({Start(), Batch(1, {"V1", "V2", "V3", "V4", "V5"})});
  EXPECT_THAT(RunSyncStream(handler_.get(), &io, limits, shutting_down_),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("(max_message_bytes)")));
}

TEST_P(SyncStreamLoopTest, AServerShuttingDownEndsTheStreamAsUnavailable) {
  shutting_down_.store(true);
  ScriptedIo io({Start()});
  EXPECT_THAT(RunSyncStream(handler_.get(), &io, SyncLimits{}, shutting_down_),
              StatusIs(StatusCode::kUnavailable, Eq("the server is shutting down; retry")));
}

}  // namespace
INSTANTIATE_STORE_TEST_SUITE_P(SyncStreamLoopTest);

}  // namespace erpsync::server
