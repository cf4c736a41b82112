#include "server/app/server_metrics.h"

#include <gtest/gtest.h>

#include "server/approval/item_state_machine.h"
#include "tests/support/metrics_scrape.h"

namespace erpsync::server {
namespace {

using ::erpsync::testing::SampleValue;

double Value(const std::vector<CollectedGauge>& gauges, const std::string& name,
             const MetricLabels& labels) {
  for (const CollectedGauge& gauge : gauges) {
    if (gauge.name != name) continue;
    for (const CollectedGauge::Sample& sample : gauge.samples) {
      if (sample.labels == labels) return sample.value;
    }
  }
  return -1;
}

TEST(StoreGaugesTest, EveryStateOfACompanyWithItemsIsReportedZeroWhereItHasNone) {
  const std::vector<ItemStateCount> items = {
      {"Acme", v1::SENT, 4}, {"Acme", v1::FAILED_TO_EXPORT, 1}, {"Beta", v1::QUEUED_FOR_EXPORT, 7}};
  const std::vector<CollectedGauge> gauges = StoreGauges(items, OutboxCounts{2, 1, 9});
  const std::string name = "erpsync_server_approval_items";
  EXPECT_EQ(Value(gauges, name, {{"company", "Acme"}, {"state", "sent"}}), 4);
  EXPECT_EQ(Value(gauges, name, {{"company", "Acme"}, {"state", "failed_to_export"}}), 1);
  EXPECT_EQ(Value(gauges, name, {{"company", "Acme"}, {"state", "queued_for_export"}}), 0);
  EXPECT_EQ(Value(gauges, name, {{"company", "Beta"}, {"state", "queued_for_export"}}), 7);
  EXPECT_EQ(Value(gauges, name, {{"company", "Beta"}, {"state", "draft"}}), 0);
  size_t samples = 0;
  for (const CollectedGauge& gauge : gauges) {
    if (gauge.name == name) samples = gauge.samples.size();
  }
  EXPECT_EQ(samples, 2 * std::size(kAllItemStates));
  const std::string outbox = "erpsync_server_mail_outbox_messages";
  EXPECT_EQ(Value(gauges, outbox, {{"state", "queued"}}), 2);
  EXPECT_EQ(Value(gauges, outbox, {{"state", "retrying"}}), 1);
  EXPECT_EQ(Value(gauges, outbox, {{"state", "sent"}}), 9);
}

TEST(SyncMetricsTest, CountsBatchesRecordsChangesAndStreams) {
  MetricsRegistry registry;
  const SyncMetrics metrics(&registry);
  metrics.StreamOpened();
  metrics.BatchReceived("Acme", "cv_job", 1000);
  metrics.BatchStored("Acme", "cv_job", 10, ApplyCounts{6, 2, 1, 1, 0});
  metrics.DeletedByPass("Acme", "cv_job", 3);
  std::string text = registry.Serialize();
  EXPECT_EQ(SampleValue(text, "erpsync_server_sync_streams_active"), 1);
  EXPECT_EQ(
      SampleValue(text,
                  R"(erpsync_server_batches_received_total{company="Acme",record_type="cv_job"})"),
      1);
  EXPECT_EQ(SampleValue(text, R"(erpsync_server_received_bytes_total{company="Acme"})"), 1000);
  EXPECT_EQ(
      SampleValue(text,
                  R"(erpsync_server_records_received_total{company="Acme",record_type="cv_job"})"),
      10);
  const std::string applied = R"(erpsync_server_records_applied_total{change=")";
  EXPECT_EQ(SampleValue(text, applied + R"(inserted",company="Acme",record_type="cv_job"})"), 6);
  EXPECT_EQ(SampleValue(text, applied + R"(updated",company="Acme",record_type="cv_job"})"), 2);
  EXPECT_EQ(SampleValue(text, applied + R"(unchanged",company="Acme",record_type="cv_job"})"), 1);
  EXPECT_EQ(SampleValue(text, applied + R"(deleted",company="Acme",record_type="cv_job"})"), 4);
  metrics.StreamClosed();
  metrics.StreamEnded("Acme", "complete", 2.5);
  text = registry.Serialize();
  EXPECT_EQ(SampleValue(text, "erpsync_server_sync_streams_active"), 0);
  EXPECT_EQ(
      SampleValue(text, R"(erpsync_server_sync_runs_total{company="Acme",outcome="complete"})"), 1);
  EXPECT_EQ(SampleValue(text, R"(erpsync_server_sync_duration_seconds_sum{outcome="complete"})"),
            2.5);
}

}  // namespace
}  // namespace erpsync::server
