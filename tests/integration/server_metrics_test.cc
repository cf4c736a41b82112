// The server's Prometheus endpoint after real syncs (an in-process server
// with its endpoint on an ephemeral loopback port, on both store backends):
// what it counts equals what the agent synced.
#include <gtest/gtest.h>

#include <string>

#include "tests/integration/sync_fixture.h"
#include "tests/support/metrics_scrape.h"
#include "tests/support/status_matchers.h"

namespace erpsync::testing {
namespace {

class ServerMetricsTest : public SyncFixture {
 protected:
  std::string Scrape() {
    const HttpResponse response = HttpGet(server_->metrics_port());
    EXPECT_EQ(response.status, 200);
    EXPECT_FALSE(response.body.empty());
    return response.body;
  }
};

TEST_P(ServerMetricsTest, CountsWhatADeepSyncSentPerRecordType) {
  StartAll(5, 1200, 7);
  ASSERT_GT(server_->metrics_port(), 0);
  const std::string before = Scrape();
  EXPECT_EQ(SampleValue(before, "erpsync_server_sync_streams_active"), 0);
  EXPECT_EQ(SumSamples(before, "erpsync_server_records_received_total"), 0);
  EXPECT_EQ(SampleValue(before, R"(erpsync_server_mail_outbox_messages{state="queued"})"), 0);
  EXPECT_EQ(SampleValue(before, R"(erpsync_server_mail_deliveries_total{outcome="failed"})"), 0);

  ASSERT_OK_AND_ASSIGN(const agent::SyncReport report, DeepSync());
  ASSERT_TRUE(report.ok());
  const std::string text = Scrape();
  uint64_t erp_rows = 0;
  for (const auto& [entity, figures] : ErpFigures()) {
    erp_rows += figures.count;
    const std::string labels = R"(company="Acme Builders",record_type=")" + entity + "\"";
    EXPECT_EQ(
        SampleValue(text, "erpsync_server_records_received_total{" + labels + "}").value_or(0),
        static_cast<double>(figures.count))
        << entity;
    EXPECT_EQ(SampleValue(
                  text, "erpsync_server_records_applied_total{change=\"inserted\"," + labels + "}")
                  .value_or(0),
              static_cast<double>(figures.count))
        << entity;
    if (figures.count > 0) {
      EXPECT_GE(
          SampleValue(text, "erpsync_server_batches_received_total{" + labels + "}").value_or(0), 1)
          << entity;
    }
  }
  ASSERT_GT(erp_rows, 1200u);
  EXPECT_EQ(SumSamples(text, "erpsync_server_records_received_total"), erp_rows);
  EXPECT_EQ(SumSamples(text, "erpsync_server_records_applied_total", R"(change="updated")"), 0);
  EXPECT_EQ(SumSamples(text, "erpsync_server_records_applied_total", R"(change="deleted")"), 0);
  const double bytes = SumSamples(text, "erpsync_server_received_bytes_total");
  EXPECT_GT(bytes, 0);
  EXPECT_LE(bytes, static_cast<double>(report.bytes_sent));
  EXPECT_EQ(
      SampleValue(text,
                  R"(erpsync_server_sync_runs_total{company="Acme Builders",outcome="complete"})"),
      1);
  EXPECT_EQ(SampleValue(text, R"(erpsync_server_sync_duration_seconds_count{outcome="complete"})"),
            1);
  EXPECT_EQ(SampleValue(text, "erpsync_server_sync_streams_active"), 0);

  // An incremental sync with nothing changed sends no records: one more
  // run, the same records.
  ASSERT_OK_AND_ASSIGN(const agent::SyncReport again, IncrementalSync());
  ASSERT_TRUE(again.ok());
  const std::string after = Scrape();
  EXPECT_EQ(
      SampleValue(after,
                  R"(erpsync_server_sync_runs_total{company="Acme Builders",outcome="complete"})"),
      2);
  EXPECT_EQ(SumSamples(after, "erpsync_server_records_received_total"), erp_rows);
  // The same figures without HTTP.
  EXPECT_EQ(SumSamples(server_->metrics().Serialize(), "erpsync_server_records_received_total"),
            erp_rows);
}

INSTANTIATE_BACKEND_TEST_SUITE_P(ServerMetricsTest);

}  // namespace
}  // namespace erpsync::testing
