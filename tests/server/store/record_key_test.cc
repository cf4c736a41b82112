#include "server/store/record_key.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

namespace erpsync::server::store_internal {
namespace {

TEST(CanonicalIntegerKeyTest, AcceptsCanonicalDecimalIntegers) {
  EXPECT_EQ(CanonicalIntegerKey("0"), 0);
  EXPECT_EQ(CanonicalIntegerKey("7"), 7);
  EXPECT_EQ(CanonicalIntegerKey("1000000"), 1000000);
  EXPECT_EQ(CanonicalIntegerKey("-42"), -42);
  EXPECT_EQ(CanonicalIntegerKey("999999999999999999"), 999999999999999999);
  EXPECT_EQ(CanonicalIntegerKey("-999999999999999999"), -999999999999999999);
}

TEST(CanonicalIntegerKeyTest, KeepsEveryOtherKeyText) {
  for (const char* key : {"", "-", "-0", "00", "007", "+5", " 5", "5 ", "1e3", "12a", "0x1F",
                          "16-001", "1.5", "1000000000000000000", "-1000000000000000000"}) {
    EXPECT_FALSE(CanonicalIntegerKey(key).has_value()) << "'" << key << "'";
  }
}

TEST(StoredKeyTest, OrdersIntegersNumericallyThenTextsBytewise) {
  const std::vector<std::string> keys = {"abc", "10", "007", "-3", "9", "0", "Zed", "100", "1e3"};
  std::vector<StoredKey> stored(keys.begin(), keys.end());
  std::sort(stored.begin(), stored.end());
  // The strings the sorted keys refer to, in order.
  std::vector<std::string> order;
  for (const StoredKey& key : stored) {
    for (const std::string& text : keys) {
      if (StoredKey(text) == key) order.push_back(text);
    }
  }
  EXPECT_EQ(order,
            (std::vector<std::string>{"-3", "0", "9", "10", "100", "007", "1e3", "Zed", "abc"}));
  const std::string ten = "10";
  const std::string padded = "010";
  EXPECT_NE(StoredKey(ten), StoredKey(padded)) << "different keys stay different";
}

}  // namespace
}  // namespace erpsync::server::store_internal
