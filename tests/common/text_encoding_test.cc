#include "common/text_encoding.h"

#include <gtest/gtest.h>

#include <string>

namespace erpsync {
namespace {

TEST(TextEncodingTest, ParsesNamesAndAliases) {
  EXPECT_EQ(*ParseTextEncoding("utf-8"), TextEncoding::kUtf8);
  EXPECT_EQ(*ParseTextEncoding("UTF8"), TextEncoding::kUtf8);
  EXPECT_EQ(*ParseTextEncoding("Windows-1252"), TextEncoding::kWindows1252);
  EXPECT_EQ(*ParseTextEncoding("cp1252"), TextEncoding::kWindows1252);
  const Result<TextEncoding> latin = ParseTextEncoding("latin1");
  ASSERT_FALSE(latin.ok());
  EXPECT_EQ(latin.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(latin.status().message(),
            "unknown text encoding 'latin1' (utf-8 or windows-1252)");
}

TEST(TextEncodingTest, AsciiPassesThroughWithoutACopy) {
  std::string scratch;
  const std::string text = "24-101 Concrete, 2nd floor (east wing)";
  for (TextEncoding encoding : {TextEncoding::kUtf8, TextEncoding::kWindows1252}) {
    const Result<std::string_view> converted = ToUtf8(encoding, text, &scratch);
    ASSERT_TRUE(converted.ok());
    EXPECT_EQ(converted->data(), text.data());
  }
  EXPECT_TRUE(scratch.empty());
}

TEST(TextEncodingTest, ConvertsWindows1252ExactlyIncludingTheHighPunctuation) {
  std::string scratch;
  // "Café – 12 €" in Windows-1252, and its curly quotes and the y-diaeresis.
  const std::string text = "Caf\xE9 \x96 12 \x80 \x93ok\x94 \x9F";
  const Result<std::string_view> converted = ToUtf8(TextEncoding::kWindows1252, text, &scratch);
  ASSERT_TRUE(converted.ok());
  EXPECT_EQ(*converted, "Caf\u00E9 \u2013 12 \u20AC \u201Cok\u201D \u0178");
  EXPECT_TRUE(IsValidUtf8(*converted));
}

TEST(TextEncodingTest, RefusesTheFiveBytesWindows1252LeavesUndefined) {
  std::string scratch;
  for (const unsigned char byte : {0x81, 0x8D, 0x8F, 0x90, 0x9D}) {
    const std::string text = std::string("ab") + static_cast<char>(byte);
    const Result<std::string_view> converted =
        ToUtf8(TextEncoding::kWindows1252, text, &scratch);
    ASSERT_FALSE(converted.ok()) << static_cast<int>(byte);
    EXPECT_EQ(converted.status().code(), StatusCode::kInvalidArgument);
    EXPECT_NE(converted.status().message().find("at offset 2 is not Windows-1252"),
              std::string::npos)
        << converted.status().message();
  }
}

TEST(TextEncodingTest, Utf8IsCheckedNotConverted) {
  std::string scratch;
  const std::string valid = "Stra\xC3\x9F" "e \xE2\x82\xAC \xF0\x9F\x8F\x97";
  const Result<std::string_view> same = ToUtf8(TextEncoding::kUtf8, valid, &scratch);
  ASSERT_TRUE(same.ok());
  EXPECT_EQ(same->data(), valid.data());

  const Result<std::string_view> bad = ToUtf8(TextEncoding::kUtf8, "ok \xC3(", &scratch);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(bad.status().message(), "byte 0xC3 at offset 3 starts no valid UTF-8 sequence");
}

TEST(TextEncodingTest, FindsEveryKindOfInvalidUtf8) {
  EXPECT_EQ(FindInvalidUtf8("plain"), std::string_view::npos);
  EXPECT_EQ(FindInvalidUtf8("a\x80"), 1u);                   // lone continuation byte
  EXPECT_EQ(FindInvalidUtf8("ab\xE2\x82"), 2u);              // truncated sequence
  EXPECT_EQ(FindInvalidUtf8("\xC0\xAF"), 0u);                // overlong '/'
  EXPECT_EQ(FindInvalidUtf8("\xE0\x80\xAF"), 0u);            // overlong, three bytes
  EXPECT_EQ(FindInvalidUtf8("x\xED\xA0\x80"), 1u);           // surrogate U+D800
  EXPECT_EQ(FindInvalidUtf8("\xF4\x90\x80\x80"), 0u);        // above U+10FFFF
  EXPECT_EQ(FindInvalidUtf8("\xFF"), 0u);
  EXPECT_EQ(FindInvalidUtf8("\xF4\x8F\xBF\xBF"), std::string_view::npos);  // U+10FFFF
  EXPECT_FALSE(IsValidUtf8("\xC3\x28"));
  EXPECT_TRUE(IsValidUtf8(""));
}

TEST(TextEncodingTest, AsciiCheckLooksAtEveryByteOfLongAndShortText) {
  EXPECT_TRUE(IsAscii(""));
  EXPECT_TRUE(IsAscii(std::string(33, 'a')));
  for (size_t size = 1; size <= 20; ++size) {
    EXPECT_TRUE(IsAscii(std::string(size, 'a'))) << size;
    for (size_t at = 0; at < size; ++at) {
      std::string text(size, 'a');
      text[at] = '\xE9';
      EXPECT_FALSE(IsAscii(text)) << size << " " << at;
    }
  }
}

TEST(TextEncodingTest, ReplacesWhatIsNotUtf8ForReadersThatMustNotFail) {
  EXPECT_EQ(Utf8OrReplaced("plain \xC3\xA9"), "plain \xC3\xA9");
  EXPECT_EQ(Utf8OrReplaced("a\xC3(b\xFF"), "a\xEF\xBF\xBD(b\xEF\xBF\xBD");
  EXPECT_TRUE(IsValidUtf8(Utf8OrReplaced("\xE2\x82")));
}

}  // namespace
}  // namespace erpsync
