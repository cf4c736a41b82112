#include "common/packed_records.h"

#include <gtest/gtest.h>

#include <string>
#include <tuple>
#include <vector>

#include "tests/support/status_matchers.h"

namespace erpsync {
namespace {

using ::testing::Eq;
using ::testing::Not;

std::vector<std::tuple<std::string, std::string, bool>> ReadAll(PackedRecordReader& reader) {
  std::vector<std::tuple<std::string, std::string, bool>> records;
  PackedRecord record;
  while (reader.Next(&record)) {
    records.emplace_back(std::string(record.key), std::string(record.values), record.deleted);
  }
  return records;
}

TEST(PackedRecordsTest, RoundTripsCompressedAndPlain) {
  for (const int level : {0, 1, 3}) {
    PackedRecordWriter writer;
    writer.Add("J-1", std::string("\0\x01values", 8));
    writer.AddDeleted("J-2");
    writer.Add("J-3", "");
    EXPECT_EQ(writer.count(), 3u);
    std::string packed;
    ASSERT_OK(PackedCompressor(level).Compress(writer.TakeRaw(), &packed));
    EXPECT_EQ(writer.count(), 0u);
    PackedRecordReader reader;
    ASSERT_OK(reader.Open(packed, level > 0, 3)) << level;
    const auto records = ReadAll(reader);
    ASSERT_EQ(records.size(), 3u);
    EXPECT_EQ(records[0],
              std::make_tuple(std::string("J-1"), std::string("\0\x01values", 8), false));
    EXPECT_EQ(records[1], std::make_tuple(std::string("J-2"), std::string(), true));
    EXPECT_EQ(records[2], std::make_tuple(std::string("J-3"), std::string(), false));
  }
}

TEST(PackedRecordsTest, CompressesRepetitiveBatches) {
  PackedRecordWriter writer;
  for (int i = 0; i < 2000; ++i) writer.Add("key" + std::to_string(i), "AP cost|Job 100|Concrete");
  const size_t raw = writer.raw_bytes();
  std::string packed;
  ASSERT_OK(PackedCompressor(3).Compress(writer.TakeRaw(), &packed));
  EXPECT_LT(packed.size() * 5, raw);
}

TEST(PackedRecordsTest, TakeRawHandsOverThePlainBytesAndStartsOver) {
  PackedRecordWriter writer;
  writer.Add("J-1", "v");
  std::string plain;
  ASSERT_OK(PackedCompressor(0).Compress(writer.TakeRaw(), &plain));
  EXPECT_EQ(writer.count(), 0u);
  EXPECT_EQ(writer.raw_bytes(), 0u);
  PackedRecordReader reader;
  ASSERT_OK(reader.Open(plain, false, 1));
  PackedRecord record;
  ASSERT_TRUE(reader.Next(&record));
  EXPECT_EQ(record.key, "J-1");
  EXPECT_EQ(record.values, "v");
}

TEST(PackedRecordsTest, RefusesMalformedInput) {
  PackedRecordWriter writer;
  writer.Add("k", "v");
  const std::string packed = writer.TakeRaw();
  PackedRecordReader reader;
  EXPECT_EQ(reader.Open(packed, false, 2).message(),
            "packed records: record 1 of 2 is malformed or missing");
  EXPECT_EQ(reader.Open(packed + "x", false, 1).message(),
            "packed records: trailing bytes after 1 records");
  EXPECT_EQ(reader.Open(packed, true, 1).message(),
            "packed records: not a zstd frame with a known size");
  EXPECT_THAT(reader.Open(packed.substr(0, 2), false, 1), StatusIs(StatusCode::kInvalidArgument));
}

// Every Open starts over: the records of the last batch are gone, whether
// the new one opens or not.
TEST(PackedRecordsTest, OpenForgetsTheLastBatch) {
  PackedRecordWriter writer;
  writer.Add("A", "1");
  writer.Add("B", "2");
  std::string first;
  ASSERT_OK(PackedCompressor(1).Compress(writer.TakeRaw(), &first));
  writer.Add("C", "3");
  std::string second;
  ASSERT_OK(PackedCompressor(1).Compress(writer.TakeRaw(), &second));

  PackedRecordReader reader;
  ASSERT_OK(reader.Open(first, true, 2));
  PackedRecord record;
  ASSERT_TRUE(reader.Next(&record));
  ASSERT_OK(reader.Open(second, true, 1));
  EXPECT_EQ(ReadAll(reader),
            (std::vector<std::tuple<std::string, std::string, bool>>{{"C", "3", false}}));
  ASSERT_OK(reader.Open(first, true, 2));
  EXPECT_THAT(reader.Open("not zstd", true, 2), Not(IsOk()));
  EXPECT_FALSE(reader.Next(&record)) << "no record survives a failed Open";
  EXPECT_THAT(reader.Open(first, true, 3), Not(IsOk()));
  EXPECT_FALSE(reader.Next(&record)) << "nor one of a batch that is short of records";
}

TEST(PackedRecordsTest, RefusesFramesThatClaimTooMuch) {
  // A zstd frame header (magic, single segment, 8-byte content size)
  // claiming 1 TiB: refused before anything is allocated.
  std::string header = {'\x28', '\xb5', '\x2f', '\xfd', '\xe0'};
  for (int i = 0; i < 8; ++i) header.push_back(i == 5 ? '\x01' : '\0');
  PackedRecordReader reader;
  const Status status = reader.Open(header, true, 1);
  EXPECT_THAT(status,
              StatusIs(StatusCode::kInvalidArgument,
                       Eq("packed records: 1099511627776 bytes once decompressed, more than the " +
                          std::to_string(kMaxPackedBytes) + " allowed")));
}

}  // namespace
}  // namespace erpsync
