#include "server/sync/sync_stream_loop.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <deque>
#include <functional>
#include <vector>

#include "common/mutex.h"
#include "common/sync_protocol.h"
#include "tests/server/sync/sync_stream_fixture.h"
#include "tests/support/status_matchers.h"

namespace erpsync::server {
namespace {

using ::testing::Eq;
using ::testing::HasSubstr;

// The agent's side, scripted: the messages it sends, then its side closed
// (or, held open, a Read that waits until the server interrupts the call,
// as an agent waiting for answers does; false after 30 s without one).
class ScriptedIo : public SyncStreamIo {
 public:
  explicit ScriptedIo(std::vector<v1::SyncRequest> requests, bool held_open = false)
      : requests_(requests.begin(), requests.end()), held_open_(held_open) {}
  // Runs `action` before the Read that returns message `index` (from 0).
  void Before(size_t index, std::function<void()> action) {
    before_index_ = index;
    before_ = std::move(action);
  }
  bool Read(v1::SyncRequest* request) override {
    if (before_ && reads_ == before_index_) before_();
    ++reads_;
    if (requests_.empty()) {
      if (!held_open_) return false;
      MutexLock lock(mutex_);
      interrupt_.WaitFor(mutex_, std::chrono::seconds(30),
                         [this]() ERPSYNC_REQUIRES(mutex_) { return interrupted_; });
      return false;
    }
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
  void Interrupt() override {
    {
      MutexLock lock(mutex_);
      interrupted_ = true;
    }
    interrupt_.NotifyAll();
  }
  std::vector<v1::SyncResponse> responses() {
    MutexLock lock(mutex_);
    return responses_;
  }
  bool interrupted() {
    MutexLock lock(mutex_);
    return interrupted_;
  }

 private:
  std::deque<v1::SyncRequest> requests_;
  const bool held_open_;
  size_t reads_ = 0;
  size_t before_index_ = 0;
  std::function<void()> before_;
  Mutex mutex_;
  CondVar interrupt_;
  std::vector<v1::SyncResponse> responses_ ERPSYNC_GUARDED_BY(mutex_);
  bool interrupted_ ERPSYNC_GUARDED_BY(mutex_) = false;
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
  ScriptedIo io(
      {Start(), Open(false), Packed(1, {"V1", "V2"}), Packed(2, {"V3"}), End(), SyncEnd()});
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
  EXPECT_THAT(
      RunSyncStream(handler_.get(), &io, SyncLimits{}, shutting_down_),
      StatusIs(StatusCode::kInvalidArgument, Eq("sync protocol: the stream ended before SyncEnd")));
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

TEST_P(SyncStreamLoopTest, AStoreFailureInterruptsAStreamWaitingForTheAgent) {
  // The agent sent a batch and waits for its answer before sending more;
  // meanwhile another stream took the pass over, so the store refuses the
  // batch. The call is interrupted at once, not left to the agent's
  // deadline.
  ScriptedIo io({Start(), Open(true), Packed(1, {"V1"})}, /*held_open=*/true);
  SyncStreamHandler other(records_, agent_);
  io.Before(2, [&] {
    ASSERT_OK(other.Handle(Start()));
    ASSERT_OK(other.Handle(Open(true)));
  });
  const auto began = std::chrono::steady_clock::now();
  EXPECT_THAT(RunSyncStream(handler_.get(), &io, SyncLimits{}, shutting_down_),
              StatusIs(StatusCode::kAborted, HasSubstr("was taken over by another stream")));
  EXPECT_TRUE(io.interrupted());
  EXPECT_LT(std::chrono::steady_clock::now() - began, std::chrono::seconds(10));
  EXPECT_EQ(io.responses().size(), 2u);  // started, entity started; no ack
}

TEST_P(SyncStreamLoopTest, AnAgentOfProtocol3IsToldWhatFailedBeforeTheCallEnds) {
  v1::SyncRequest start = Start();
  start.mutable_start()->set_protocol_version(kSyncFailedProtocolVersion);
  ScriptedIo io({start, Open(true), Packed(1, {"V1"})}, /*held_open=*/true);
  SyncStreamHandler other(records_, agent_);
  io.Before(2, [&] {
    ASSERT_OK(other.Handle(Start()));
    ASSERT_OK(other.Handle(Open(true)));
  });
  EXPECT_THAT(RunSyncStream(handler_.get(), &io, SyncLimits{}, shutting_down_),
              StatusIs(StatusCode::kAborted, HasSubstr("was taken over by another stream")));
  EXPECT_TRUE(io.interrupted());
  const std::vector<v1::SyncResponse> responses = io.responses();
  ASSERT_EQ(responses.size(), 3u);
  const v1::SyncResponse& failed = responses[2];
  ASSERT_TRUE(failed.has_failed()) << failed.ShortDebugString();
  EXPECT_EQ(failed.failed().code(), static_cast<int>(StatusCode::kAborted));
  EXPECT_THAT(failed.failed().message(), HasSubstr("was taken over by another stream"));
}

}  // namespace
INSTANTIATE_STORE_TEST_SUITE_P(SyncStreamLoopTest);

}  // namespace erpsync::server
