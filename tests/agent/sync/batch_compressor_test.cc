#include "agent/sync/batch_compressor.h"

#include <gtest/gtest.h>

#include <string>

#include "common/packed_records.h"
#include "tests/support/status_matchers.h"

namespace erpsync::agent {
namespace {

// Packs `count` records whose keys start with `prefix`.
std::string PackRaw(const std::string& prefix, int count) {
  PackedRecordWriter writer;
  for (int i = 0; i < count; ++i) writer.Add(prefix + std::to_string(i), "AP cost|Job 100");
  return writer.TakeRaw();
}

TEST(BatchCompressorTest, HandsBackEachBatchCompressedInTurn) {
  BatchCompressor compressor(3);
  EXPECT_FALSE(compressor.pending());
  for (const std::string prefix : {"a", "b", "c"}) {
    const std::string raw = PackRaw(prefix, 500);
    compressor.Submit(raw, 500);
    EXPECT_TRUE(compressor.pending());
    Result<v1::RecordBatch> batch = compressor.Wait();
    ASSERT_OK(batch);
    EXPECT_FALSE(compressor.pending());
    EXPECT_EQ(batch->packed_count(), 500u);
    EXPECT_EQ(batch->packed_codec(), v1::PACKED_CODEC_ZSTD);
    EXPECT_LT(batch->packed_records().size(), raw.size() / 4);

    PackedRecordReader reader;
    ASSERT_OK(reader.Open(batch->packed_records(), true, 500));
    PackedRecord first;
    ASSERT_TRUE(reader.Next(&first));
    EXPECT_EQ(first.key, prefix + "0");
  }
}

TEST(BatchCompressorTest, LevelZeroSendsTheBytesAsTheyAre) {
  BatchCompressor compressor(0);
  const std::string raw = PackRaw("k", 3);
  compressor.Submit(raw, 3);
  Result<v1::RecordBatch> batch = compressor.Wait();
  ASSERT_OK(batch);
  EXPECT_EQ(batch->packed_codec(), v1::PACKED_CODEC_NONE);
  EXPECT_EQ(batch->packed_records(), raw);
}

TEST(BatchCompressorTest, DestroyedWithABatchInHandOrUnusedStopsCleanly) {
  { BatchCompressor unused(3); }
  BatchCompressor compressor(3);
  compressor.Submit(PackRaw("x", 2000), 2000);
  // The destructor finishes the batch in hand and joins the worker.
}

}  // namespace
}  // namespace erpsync::agent
