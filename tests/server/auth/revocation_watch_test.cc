#include "server/auth/revocation_watch.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <memory>

#include "common/secret_token.h"
#include "tests/server/store/second_server_store.h"
#include "tests/server/store/store_test_util.h"
#include "tests/support/status_matchers.h"
#include "tests/support/subprocess.h"

namespace erpsync::server {
namespace {

using testing::StoreTest;

class RevocationWatchTest : public StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    directory_ = &stores_->directory();
    Result<Company> company = directory_->AddCompany("Acme");
    ASSERT_OK(company);
    company_id_ = company->id;
  }

  int64_t Enroll(const std::string& token) {
    Result<int64_t> agent = directory_->AddAgent(company_id_, "sage300", HashSecretToken(token), "");
    EXPECT_OK(agent);
    return agent.ok() ? *agent : 0;
  }

  DirectoryStore* directory_ = nullptr;
  int64_t company_id_ = 0;
};

TEST_P(RevocationWatchTest, EndsTheStreamsOfRevokedAndRotatedTokensOnly) {
  const int64_t revoked = Enroll("esa_one");
  const int64_t rotated = Enroll("esa_two");
  Enroll("esa_three");
  RevocationWatch watch(directory_, std::chrono::hours(1));
  int ended_one = 0, ended_two = 0, ended_three = 0;
  watch.Watch("esa_one", [&] { ++ended_one; });
  watch.Watch("esa_one", [&] { ++ended_one; });
  watch.Watch("esa_two", [&] { ++ended_two; });
  watch.Watch("esa_three", [&] { ++ended_three; });
  EXPECT_EQ(watch.CheckNow(), 0);
  ASSERT_OK(directory_->RevokeAgent(revoked, "test"));
  ASSERT_OK(directory_->RotateAgentToken(rotated, HashSecretToken("esa_new"), "test"));
  EXPECT_EQ(watch.CheckNow(), 3);
  EXPECT_EQ(ended_one, 2);
  EXPECT_EQ(ended_two, 1);
  EXPECT_EQ(ended_three, 0);
  EXPECT_EQ(watch.size(), 1u);
  EXPECT_EQ(watch.CheckNow(), 0) << "each stream ends once";
}

TEST_P(RevocationWatchTest, UnwatchedStreamsAreNotEnded) {
  const int64_t agent = Enroll("esa_one");
  RevocationWatch watch(directory_, std::chrono::hours(1));
  bool ended = false;
  const RevocationWatch::Id id = watch.Watch("esa_one", [&] { ended = true; });
  watch.Unwatch(id);
  ASSERT_OK(directory_->RevokeAgent(agent, "test"));
  EXPECT_EQ(watch.CheckNow(), 0);
  EXPECT_FALSE(ended);
}

TEST_P(RevocationWatchTest, ItsThreadChecksEveryPeriod) {
  const int64_t agent = Enroll("esa_one");
  RevocationWatch watch(directory_, std::chrono::milliseconds(10));
  std::atomic<bool> ended{false};
  watch.Watch("esa_one", [&] { ended = true; });
  watch.Start();
  ASSERT_OK(directory_->RevokeAgent(agent, "test"));
  EXPECT_TRUE(erpsync::testing::WaitFor([&] { return ended.load(); }, std::chrono::seconds(5)));
  watch.Stop();
}

// Another server sharing the store revokes or rotates: this server's
// streams of those tokens end all the same.
TEST_P(RevocationWatchTest, EndsTheStreamsOfTokensRevokedByAnotherServer) {
  const int64_t revoked = Enroll("esa_one");
  const int64_t rotated = Enroll("esa_two");
  ASSERT_OK_AND_ASSIGN(
      std::unique_ptr<Store> other_server,
      testing::OpenSecondServerStore(GetParam(), path(), postgres_, [this] { return now_; }));
  RevocationWatch watch(&other_server->directory(), std::chrono::hours(1));
  int ended_one = 0, ended_two = 0;
  watch.Watch("esa_one", [&] { ++ended_one; });
  watch.Watch("esa_two", [&] { ++ended_two; });
  EXPECT_EQ(watch.CheckNow(), 0);
  ASSERT_OK(directory_->RevokeAgent(revoked, "test"));
  EXPECT_EQ(watch.CheckNow(), 1);
  EXPECT_EQ(ended_one, 1);
  EXPECT_EQ(ended_two, 0);
  ASSERT_OK(directory_->RotateAgentToken(rotated, HashSecretToken("esa_new"), "test"));
  EXPECT_EQ(watch.CheckNow(), 1);
  EXPECT_EQ(ended_two, 1);
  EXPECT_EQ(watch.size(), 0u);
}

}  // namespace
INSTANTIATE_STORE_TEST_SUITE_P(RevocationWatchTest);

}  // namespace erpsync::server
