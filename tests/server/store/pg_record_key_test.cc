#include "server/store/postgres/pg_record_key.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <string>
#include <vector>

#include "server/store/record_key.h"
#include "tests/support/status_matchers.h"

namespace erpsync::server::pg {
namespace {

using store_internal::StoredKey;
using ::testing::Eq;

// Keys in stored-key order (record_key.h): integers numerically, then
// texts bytewise, a prefix before what extends it.
const std::vector<std::string>& KeysInOrder() {
  static const std::vector<std::string> keys = {
      "-999999999999999999", "-256", "-255", "-1", "0", "1", "9", "10", "255", "256", "65536",
      "999999999999999999",
      std::string("\0", 1), std::string("\0\xff", 2), "-", "-0", "-1000000000000000000", "0.5",
      "007", "1000000000000000000", "16-001", "A", std::string("A\0", 2), "A-1", "A-10", "A-2",
      "AB", "a", "\x7f", "\x80", "\xff", "\xff\xff"};
  return keys;
}

TEST(PgRecordKeyTest, EncodedKeysSortBytewiseInStoredKeyOrder) {
  const std::vector<std::string>& keys = KeysInOrder();
  for (size_t i = 0; i + 1 < keys.size(); ++i) {
    ASSERT_LT(StoredKey(keys[i]), StoredKey(keys[i + 1])) << "the list is in stored-key order";
    EXPECT_LT(EncodeRecordKey(keys[i]), EncodeRecordKey(keys[i + 1]))
        << "'" << keys[i] << "' before '" << keys[i + 1] << "'";
  }
}

TEST(PgRecordKeyTest, OrderMatchesStoredKeyOnRandomKeys) {
  std::mt19937 random(17);
  const auto random_key = [&] {
    if (random() % 2 == 0) {
      return std::to_string(static_cast<int64_t>(random() % 2000001) - 1000000);
    }
    std::string key(1 + random() % 4, ' ');
    for (char& c : key) c = "019-Aaz\0\xff"[random() % 9];
    return key;
  };
  for (int i = 0; i < 5000; ++i) {
    const std::string a = random_key();
    const std::string b = random_key();
    const auto expected = StoredKey(a) <=> StoredKey(b);
    const int compared = EncodeRecordKey(a).compare(EncodeRecordKey(b));
    EXPECT_EQ(expected < 0, compared < 0) << "'" << a << "' vs '" << b << "'";
    EXPECT_EQ(expected == 0, compared == 0) << "'" << a << "' vs '" << b << "'";
  }
}

TEST(PgRecordKeyTest, RoundTripsEveryKeyExactly) {
  for (const std::string& key : KeysInOrder()) {
    ASSERT_OK_AND_ASSIGN(const std::string decoded, DecodeRecordKey(EncodeRecordKey(key)));
    EXPECT_EQ(decoded, key);
  }
}

TEST(PgRecordKeyTest, IntegerAndTextForms) {
  EXPECT_EQ(EncodeRecordKey("0"), std::string("\x00\x80\x00\x00\x00\x00\x00\x00\x00", 9));
  EXPECT_EQ(EncodeRecordKey("-1"), std::string("\x00\x7f\xff\xff\xff\xff\xff\xff\xff", 9));
  EXPECT_EQ(EncodeRecordKey("258"), std::string("\x00\x80\x00\x00\x00\x00\x00\x01\x02", 9));
  EXPECT_EQ(EncodeRecordKey("007"), std::string("\x01" "007", 4));
}

TEST(PgRecordKeyTest, RejectsWhatNoKeyEncodesTo) {
  const std::string too_short("\x00\x80\x00", 3);
  const std::string nineteen_digits("\x00\x8d\xe0\xb6\xb3\xa7\x64\x00\x00", 9);  // 10^18
  const std::string integer_as_text("\x01" "42", 3);
  for (const std::string& encoded :
       {std::string(), std::string("\x01"), std::string("\x02x"), too_short, nineteen_digits,
        integer_as_text}) {
    EXPECT_THAT(DecodeRecordKey(encoded), StatusIs(StatusCode::kInternal)) << encoded;
  }
  EXPECT_THAT(DecodeRecordKey(integer_as_text),
              StatusIs(StatusCode::kInternal, Eq("stored record key \\x013432 is malformed")));
}

}  // namespace
}  // namespace erpsync::server::pg
