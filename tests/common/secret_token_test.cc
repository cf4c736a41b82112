#include "common/secret_token.h"

#include <gtest/gtest.h>

namespace erpsync {
namespace {

TEST(SecretTokenTest, GeneratesDistinctPrefixedTokens) {
  const std::string a = *GenerateSecretToken("esa");
  const std::string b = *GenerateSecretToken("esa");
  EXPECT_EQ(a.rfind("esa_", 0), 0u);
  EXPECT_EQ(a.size(), 4u + 43u);
  EXPECT_NE(a, b);
}

TEST(SecretTokenTest, HashIsSha256Hex) {
  EXPECT_EQ(HashSecretToken("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(SecretTokenTest, ConstantTimeEquals) {
  EXPECT_TRUE(ConstantTimeEquals("abc", "abc"));
  EXPECT_FALSE(ConstantTimeEquals("abc", "abd"));
  EXPECT_FALSE(ConstantTimeEquals("abc", "ab"));
}

}  // namespace
}  // namespace erpsync
