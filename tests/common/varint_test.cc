#include "common/varint.h"

#include <gtest/gtest.h>

#include <limits>
#include <string>

namespace erpsync {
namespace {

TEST(VarintTest, RoundTripsAndAdvances) {
  std::string data;
  const uint64_t values[] = {0, 1, 127, 128, 300, std::numeric_limits<uint64_t>::max()};
  for (uint64_t value : values) AppendVarint(value, &data);
  EXPECT_EQ(data.size(), 1u + 1 + 1 + 2 + 2 + 10);
  size_t position = 0;
  for (uint64_t expected : values) {
    uint64_t value = 0;
    ASSERT_TRUE(ReadVarint(data, &position, &value));
    EXPECT_EQ(value, expected);
  }
  EXPECT_EQ(position, data.size());
}

TEST(VarintTest, WriteVarintWritesWhatAppendVarintAppends) {
  for (uint64_t value :
       {uint64_t{0}, uint64_t{127}, uint64_t{128}, uint64_t{16383}, uint64_t{16384},
        uint64_t{1} << 63, std::numeric_limits<uint64_t>::max()}) {
    std::string appended;
    AppendVarint(value, &appended);
    char written[kMaxVarintBytes];
    const char* end = WriteVarint(value, written);
    EXPECT_EQ(std::string(written, static_cast<size_t>(end - written)), appended) << value;
  }
}

TEST(VarintTest, ZigZagInterleavesSigns) {
  EXPECT_EQ(ZigZag(0), 0u);
  EXPECT_EQ(ZigZag(-1), 1u);
  EXPECT_EQ(ZigZag(1), 2u);
  EXPECT_EQ(ZigZag(-2), 3u);
  EXPECT_EQ(ZigZag(std::numeric_limits<int64_t>::max()), std::numeric_limits<uint64_t>::max() - 1);
  EXPECT_EQ(ZigZag(std::numeric_limits<int64_t>::min()), std::numeric_limits<uint64_t>::max());
  for (int64_t value : {int64_t{0}, int64_t{-1}, int64_t{63}, int64_t{-64}, int64_t{1} << 40,
                        std::numeric_limits<int64_t>::min(), std::numeric_limits<int64_t>::max()}) {
    EXPECT_EQ(UnZigZag(ZigZag(value)), value);
  }
}

TEST(VarintTest, TruncatedOrOverlongIsRefused) {
  std::string data;
  AppendVarint(300, &data);
  size_t position = 0;
  uint64_t value = 0;
  EXPECT_FALSE(ReadVarint(std::string_view(data).substr(0, 1), &position, &value));
  const std::string overlong(11, '\x80');
  position = 0;
  EXPECT_FALSE(ReadVarint(overlong, &position, &value));
  EXPECT_EQ(position, 0u) << "a refused varint leaves the position where it was";
}

// VarintLength finds where ReadVarint would stop, with and without the
// eight bytes its word-at-a-time path needs, and fails where it fails.
TEST(VarintTest, LengthAgreesWithRead) {
  for (uint64_t value :
       {uint64_t{0}, uint64_t{127}, uint64_t{128}, uint64_t{300}, uint64_t{1} << 35,
        uint64_t{1} << 56, std::numeric_limits<uint64_t>::max()}) {
    for (const std::string& tail : {std::string(), std::string(12, '\x01')}) {
      std::string data = "\x05";  // a varint before it: lengths are read at an offset
      AppendVarint(value, &data);
      data += tail;
      size_t position = 1;
      uint64_t read = 0;
      ASSERT_TRUE(ReadVarint(data, &position, &read)) << value;
      EXPECT_EQ(VarintLength(data, 1), position - 1) << value << " tail " << tail.size();
    }
  }
  EXPECT_EQ(VarintLength(std::string_view("\x80\x80", 2), 0), 0u);
  EXPECT_EQ(VarintLength(std::string(11, '\x80'), 0), 0u);
  EXPECT_EQ(VarintLength(std::string(11, '\x80'), 3), 0u);
}

}  // namespace
}  // namespace erpsync
