#include "common/page_token.h"

#include <gtest/gtest.h>

#include <string>

#include "tests/support/status_matchers.h"

namespace erpsync {
namespace {

using ::testing::Eq;

PageToken Listing(int64_t company = 1, const std::string& entity = "cv_job") {
  PageToken tokens("records");
  tokens.Bind(company).Bind(entity);
  return tokens;
}

TEST(PageTokenTest, RoundTripsThePositionOfItsListing) {
  ASSERT_OK_AND_ASSIGN(const std::string token, Listing().Encode(std::string("24-101\0|x", 9)));
  ASSERT_OK_AND_ASSIGN(const std::string position, Listing().Decode(token));
  EXPECT_EQ(position, std::string("24-101\0|x", 9));
  ASSERT_OK_AND_ASSIGN(const std::string first, Listing().Decode(""));
  EXPECT_EQ(first, "") << "the first page";
  EXPECT_EQ(token.find("24-101"), std::string::npos);
  EXPECT_EQ(
      token.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"),
      std::string::npos)
      << token;
}

TEST(PageTokenTest, RefusesATokenOfAnotherListing) {
  ASSERT_OK_AND_ASSIGN(const std::string token, Listing(1, "cv_job").Encode("7"));
  const std::string message =
      "page_token: belongs to another listing; pass a token only to the listing that returned "
      "it, with the same filters";
  EXPECT_THAT(Listing(2, "cv_job").Decode(token),
              StatusIs(StatusCode::kInvalidArgument, Eq(message)));
  EXPECT_THAT(Listing(1, "vendor").Decode(token),
              StatusIs(StatusCode::kInvalidArgument, Eq(message)));
  PageToken items("items");
  items.Bind(1).Bind("cv_job");
  EXPECT_THAT(items.Decode(token), StatusIs(StatusCode::kInvalidArgument, Eq(message)));
  // Parts are delimited: ("ab", "c") is not ("a", "bc").
  PageToken split_one("records");
  split_one.Bind("ab").Bind("c");
  PageToken split_two("records");
  split_two.Bind("a").Bind("bc");
  ASSERT_OK_AND_ASSIGN(const std::string split, split_one.Encode("7"));
  EXPECT_THAT(split_two.Decode(split), StatusIs(StatusCode::kInvalidArgument, Eq(message)));
}

TEST(PageTokenTest, RefusesEveryDamagedToken) {
  ASSERT_OK_AND_ASSIGN(const std::string token, Listing().Encode("24-101"));
  for (size_t i = 0; i < token.size(); ++i) {
    for (const char c : {'A', 'z', '-'}) {
      if (token[i] == c) continue;
      std::string damaged = token;
      damaged[i] = c;
      EXPECT_THAT(Listing().Decode(damaged), StatusIs(StatusCode::kInvalidArgument))
          << "character " << i << " -> " << c;
    }
  }
  std::string tampered = token;
  tampered[12] = tampered[12] == 'A' ? 'B' : 'A';
  EXPECT_THAT(Listing().Decode(tampered),
              StatusIs(StatusCode::kInvalidArgument,
                       Eq("page_token: damaged (its integrity check fails)")));
  EXPECT_THAT(Listing().Decode(token.substr(0, token.size() - 4)),
              StatusIs(StatusCode::kInvalidArgument));
}

TEST(PageTokenTest, RefusesWhatIsNoTokenNamingWhy) {
  EXPECT_THAT(Listing().Decode("garbage!!"),
              StatusIs(StatusCode::kInvalidArgument,
                       Eq("page_token: not a page token of this server (not base64url)")));
  EXPECT_THAT(Listing().Decode("12345"),
              StatusIs(StatusCode::kInvalidArgument,
                       Eq("page_token: not a page token of this server (not base64url)")));
  EXPECT_THAT(Listing().Decode("AAAAAAAA"),
              StatusIs(StatusCode::kInvalidArgument,
                       Eq("page_token: not a page token of this server (too short)")));
  EXPECT_THAT(Listing().Decode(std::string(PageToken::kMaxChars + 1, 'A')),
              StatusIs(StatusCode::kInvalidArgument,
                       Eq("page_token: 4097 characters; a page token has at most 4096")));
  // Version 2 (first byte 0x02), well formed otherwise: "Ag" then zeros.
  EXPECT_THAT(Listing().Decode("AgAAAAAAAAAAAAAAAAAAAAAA"),
              StatusIs(StatusCode::kInvalidArgument,
                       Eq("page_token: format version 2 is not known (this server writes "
                          "version 1)")));
}

TEST(PageTokenTest, TheLongestPositionFitsTheLongestToken) {
  const std::string longest(PageToken::kMaxPositionBytes, 'k');
  ASSERT_OK_AND_ASSIGN(const std::string token, Listing().Encode(longest));
  EXPECT_LE(token.size(), PageToken::kMaxChars);
  ASSERT_OK_AND_ASSIGN(const std::string position, Listing().Decode(token));
  EXPECT_EQ(position, longest);
  EXPECT_THAT(Listing().Encode(longest + "k"),
              StatusIs(StatusCode::kFailedPrecondition,
                       Eq("the last key of this page is 3049 bytes; a page token carries at "
                          "most 3048")));
}

}  // namespace
}  // namespace erpsync
