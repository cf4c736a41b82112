#include "common/entity_checksum.h"

#include <gtest/gtest.h>

namespace erpsync {
namespace {

TEST(EntityChecksumTest, IsIndependentOfOrder) {
  EntityChecksum forward;
  forward.Add("a", 1);
  forward.Add("b", 2);
  forward.Add("c", 3);
  EntityChecksum backward;
  backward.Add("c", 3);
  backward.Add("b", 2);
  backward.Add("a", 1);
  EXPECT_EQ(forward.value(), backward.value());
  EXPECT_EQ(forward.count(), 3u);
}

TEST(EntityChecksumTest, DetectsAChangedHashOrKey) {
  EntityChecksum base;
  base.Add("a", 1);
  base.Add("b", 2);
  EntityChecksum changed_hash;
  changed_hash.Add("a", 1);
  changed_hash.Add("b", 3);
  EntityChecksum changed_key;
  changed_key.Add("a", 1);
  changed_key.Add("c", 2);
  EXPECT_NE(base.value(), changed_hash.value());
  EXPECT_NE(base.value(), changed_key.value());
}

TEST(EntityChecksumTest, FormatsSixteenHexDigits) {
  EXPECT_EQ(FormatChecksum(0), "0000000000000000");
  EXPECT_EQ(FormatChecksum(0xdeadbeefULL), "00000000deadbeef");
}

}  // namespace
}  // namespace erpsync
