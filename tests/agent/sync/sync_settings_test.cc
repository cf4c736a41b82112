#include "agent/sync/sync_settings.h"

#include <gtest/gtest.h>

namespace erpsync::agent {
namespace {

TEST(SyncSettingsTest, TheDefaultsFitTheDefaultServerAsTheyAre) {
  const SyncSettings settings;
  const SyncSettings fitted = FitToServer(settings, SyncLimits{});
  EXPECT_EQ(fitted.batch_bytes, settings.batch_bytes);
  EXPECT_EQ(fitted.batch_records, settings.batch_records);
  EXPECT_EQ(fitted.max_record_bytes, settings.max_record_bytes);
}

TEST(SyncSettingsTest, BatchesAndRecordsAreCutToWhatTheServerTakes) {
  SyncSettings settings;
  settings.batch_bytes = 64u << 20;
  settings.batch_records = 100'000;
  settings.max_record_bytes = 16u << 20;
  SyncLimits limits;
  limits.max_batch_bytes = 4u << 20;
  limits.max_record_bytes = 1u << 20;
  limits.max_batch_records = 500;
  const SyncSettings fitted = FitToServer(settings, limits);
  EXPECT_EQ(fitted.batch_records, 500);
  EXPECT_LT(fitted.max_record_bytes, limits.max_record_bytes);
  // The largest batch: batch_bytes, then one more record, with its key.
  EXPECT_LE(fitted.batch_bytes + fitted.max_record_bytes + (64u << 10), limits.max_batch_bytes);
  EXPECT_GT(fitted.batch_bytes, 0u);
}

}  // namespace
}  // namespace erpsync::agent
