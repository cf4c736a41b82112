#include "bench/agent_summary.h"

#include <gtest/gtest.h>

#include "tests/support/status_matchers.h"

namespace erpsync::bench {
namespace {

using ::testing::HasSubstr;

TEST(AgentSummaryTest, SumsTheSyncSummary) {
  const Result<AgentSummary> summary = ParseAgentSummary(
      R"({"run_id":"r","ok":true,"seconds":2.5,"bytes_sent":900,"entities":[)"
      R"({"id":"a","records_sent":3,"deletions_sent":1,"acknowledged":4,"bytes_sent":5},)"
      R"({"id":"b","records_sent":7,"deletions_sent":0,"acknowledged":7}]})");
  ASSERT_OK(summary);
  EXPECT_TRUE(summary->ok);
  EXPECT_EQ(summary->record_types, 2);
  EXPECT_EQ(summary->records_sent, 10u);
  EXPECT_EQ(summary->deletions_sent, 1u);
  EXPECT_EQ(summary->acknowledged, 11u);
  EXPECT_EQ(summary->agent_bytes_sent, 900u);
  EXPECT_DOUBLE_EQ(summary->agent_seconds, 2.5);
}

TEST(AgentSummaryTest, RefusesTextThatIsNoSummary) {
  EXPECT_THAT(ParseAgentSummary("error: no server"), StatusIs(StatusCode::kInvalidArgument));
  EXPECT_THAT(ParseAgentSummary(R"({"ok":true,"entities":[]})"),
              StatusIs(StatusCode::kInvalidArgument));
}

TEST(AgentSummaryTest, CountsTheChecksumRows) {
  const Result<uint64_t> rows =
      ParseChecksumRowCount(R"({"entities":[{"id":"vendor","count":250,"checksum":"e7"},)"
                            R"({"id":"jc_transaction","count":100000,"checksum":"22"}]})");
  ASSERT_OK(rows);
  EXPECT_EQ(*rows, 100250u);
  const Result<uint64_t> empty = ParseChecksumRowCount("{}");
  EXPECT_THAT(empty, StatusIs(StatusCode::kInvalidArgument, HasSubstr("erp checksum")));
}

}  // namespace
}  // namespace erpsync::bench
