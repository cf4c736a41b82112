#include "common/varint.h"

#include <gtest/gtest.h>

#include <limits>

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

}  // namespace
}  // namespace erpsync
