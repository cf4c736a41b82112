#include "agent/app/agent_metrics.h"

#include <gtest/gtest.h>

#include "tests/support/metrics_scrape.h"

namespace erpsync::agent {
namespace {

using ::erpsync::testing::SampleValue;
using ::erpsync::testing::SumSamples;

EntityReport Entity(const std::string& id, uint64_t sent, uint64_t quarantined,
                    const std::string& error = "", bool erp_failure = false) {
  EntityReport entity;
  entity.entity_id = id;
  entity.records_sent = sent;
  entity.quarantined = quarantined;
  entity.error = error;
  entity.erp_failure = erp_failure;
  return entity;
}

TEST(AgentMetricsTest, ARunSetsTheLastSuccessPerRecordTypeAndCountsWhatItSent) {
  MetricsRegistry registry;
  const AgentMetrics metrics(&registry);
  SyncReport report;
  report.seconds = 12;
  report.bytes_sent = 4096;
  report.reconnects = 2;
  report.entities = {Entity("cv_job", 20, 0), Entity("jc_transaction", 300, 0)};
  metrics.RunDone(/*deep=*/true, report, 1'700'000'000);
  const std::string text = registry.Serialize();
  EXPECT_EQ(SampleValue(text, R"(erpsync_agent_sync_runs_total{kind="deep",outcome="ok"})"), 1);
  EXPECT_EQ(SampleValue(text, R"(erpsync_agent_sync_duration_seconds_sum{kind="deep"})"), 12);
  EXPECT_EQ(
      SampleValue(
          text,
          R"(erpsync_agent_last_successful_sync_timestamp_seconds{record_type="jc_transaction"})"),
      1'700'000'000);
  EXPECT_EQ(SampleValue(text, R"(erpsync_agent_records_sent_total{record_type="jc_transaction"})"),
            300);
  EXPECT_EQ(SumSamples(text, "erpsync_agent_records_sent_total"), 320);
  EXPECT_EQ(SampleValue(text, "erpsync_agent_sent_bytes_total"), 4096);
  EXPECT_EQ(SampleValue(text, "erpsync_agent_reconnects_total"), 2);
  EXPECT_EQ(SampleValue(text, R"(erpsync_agent_quarantined_rows{record_type="cv_job"})"), 0);
}

TEST(AgentMetricsTest, FailuresAndQuarantineAreCountedAndKeepTheLastSuccess) {
  MetricsRegistry registry;
  const AgentMetrics metrics(&registry);
  SyncReport first;
  first.entities = {Entity("cv_job", 5, 0), Entity("ap_vendor", 5, 0)};
  metrics.RunDone(false, first, 100);
  SyncReport second;
  second.entities = {Entity("cv_job", 1, 3), Entity("ap_vendor", 0, 0, "ERP locked", true)};
  metrics.RunDone(false, second, 200);
  metrics.RunDone(false, Result<SyncReport>(UnavailableError("server unreachable")), 300);
  const std::string text = registry.Serialize();
  EXPECT_EQ(SampleValue(text, R"(erpsync_agent_sync_runs_total{kind="incremental",outcome="ok"})"),
            1);
  EXPECT_EQ(
      SampleValue(text, R"(erpsync_agent_sync_runs_total{kind="incremental",outcome="failed"})"),
      1);
  EXPECT_EQ(
      SampleValue(text, R"(erpsync_agent_sync_runs_total{kind="incremental",outcome="error"})"), 1);
  // Rows set aside still leave the record type synced.
  EXPECT_EQ(SampleValue(text, R"(erpsync_agent_quarantined_rows{record_type="cv_job"})"), 3);
  EXPECT_EQ(
      SampleValue(text,
                  R"(erpsync_agent_last_successful_sync_timestamp_seconds{record_type="cv_job"})"),
      200);
  // A failed record type keeps its last success.
  EXPECT_EQ(
      SampleValue(
          text, R"(erpsync_agent_last_successful_sync_timestamp_seconds{record_type="ap_vendor"})"),
      100);
  EXPECT_EQ(
      SampleValue(
          text, R"(erpsync_agent_record_type_failures_total{cause="erp",record_type="ap_vendor"})"),
      1);
}

TEST(AgentMetricsTest, ExportsAreCountedByOutcome) {
  MetricsRegistry registry;
  const AgentMetrics metrics(&registry);
  metrics.ExportDone(true);
  metrics.ExportDone(true);
  metrics.ExportDone(false);
  const std::string text = registry.Serialize();
  EXPECT_EQ(SampleValue(text, R"(erpsync_agent_exports_total{outcome="exported"})"), 2);
  EXPECT_EQ(SampleValue(text, R"(erpsync_agent_exports_total{outcome="failed"})"), 1);
}

}  // namespace
}  // namespace erpsync::agent
