#include "common/page_token.h"

#include <xxhash.h>

#include <array>

namespace erpsync {
namespace {

constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
// Version, fingerprint, integrity check.
constexpr size_t kFixedBytes = 1 + 8 + 8;

void AppendLittleEndian(uint64_t value, std::string* out) {
  for (int i = 0; i < 8; ++i) out->push_back(static_cast<char>((value >> (8 * i)) & 0xff));
}

uint64_t ReadLittleEndian(std::string_view bytes) {
  uint64_t value = 0;
  for (int i = 7; i >= 0; --i) value = (value << 8) | static_cast<uint8_t>(bytes[i]);
  return value;
}

std::string Base64UrlEncode(std::string_view bytes) {
  std::string text;
  text.reserve((bytes.size() * 4 + 2) / 3);
  uint32_t bits = 0;
  int bit_count = 0;
  for (const char byte : bytes) {
    bits = (bits << 8) | static_cast<uint8_t>(byte);
    bit_count += 8;
    while (bit_count >= 6) {
      bit_count -= 6;
      text.push_back(kAlphabet[(bits >> bit_count) & 0x3f]);
    }
  }
  if (bit_count > 0) text.push_back(kAlphabet[(bits << (6 - bit_count)) & 0x3f]);
  return text;
}

// False unless `text` is canonical unpadded base64url (the unused low bits
// of the last character zero), so that a token has one spelling.
bool Base64UrlDecode(std::string_view text, std::string* bytes) {
  static const std::array<int8_t, 256> kValues = [] {
    std::array<int8_t, 256> values{};
    values.fill(-1);
    for (int i = 0; i < 64; ++i)
      values[static_cast<uint8_t>(kAlphabet[i])] = static_cast<int8_t>(i);
    return values;
  }();
  if (text.size() % 4 == 1) return false;
  bytes->clear();
  bytes->reserve(text.size() * 3 / 4);
  uint32_t bits = 0;
  int bit_count = 0;
  for (const char c : text) {
    const int8_t value = kValues[static_cast<uint8_t>(c)];
    if (value < 0) return false;
    bits = (bits << 6) | static_cast<uint32_t>(value);
    bit_count += 6;
    if (bit_count >= 8) {
      bit_count -= 8;
      bytes->push_back(static_cast<char>((bits >> bit_count) & 0xff));
    }
  }
  return (bits & ((1u << bit_count) - 1)) == 0;
}

Status Refused(const std::string& problem) {
  return InvalidArgumentError("page_token: " + problem);
}

}  // namespace

PageToken::PageToken(std::string_view kind) { Bind(kind); }

PageToken& PageToken::Bind(std::string_view value) {
  listing_.push_back('s');
  AppendLittleEndian(value.size(), &listing_);
  listing_.append(value);
  return *this;
}

PageToken& PageToken::Bind(int64_t value) {
  listing_.push_back('i');
  AppendLittleEndian(static_cast<uint64_t>(value), &listing_);
  return *this;
}

Result<std::string> PageToken::Encode(std::string_view position) const {
  if (position.size() > kMaxPositionBytes) {
    return FailedPreconditionError(
        "the last key of this page is " + std::to_string(position.size()) +
        " bytes; a page token carries at most " + std::to_string(kMaxPositionBytes));
  }
  std::string bytes;
  bytes.reserve(kFixedBytes + position.size());
  bytes.push_back(static_cast<char>(kVersion));
  AppendLittleEndian(XXH3_64bits(listing_.data(), listing_.size()), &bytes);
  bytes.append(position);
  AppendLittleEndian(XXH3_64bits_withSeed(bytes.data(), bytes.size(), kIntegritySeed), &bytes);
  return Base64UrlEncode(bytes);
}

Result<std::string> PageToken::Decode(std::string_view token) const {
  if (token.empty()) return std::string();
  if (token.size() > kMaxChars) {
    return Refused(std::to_string(token.size()) + " characters; a page token has at most " +
                   std::to_string(kMaxChars));
  }
  std::string bytes;
  if (!Base64UrlDecode(token, &bytes)) {
    return Refused("not a page token of this server (not base64url)");
  }
  if (bytes.size() < kFixedBytes) return Refused("not a page token of this server (too short)");
  const auto version = static_cast<uint8_t>(bytes[0]);
  if (version != kVersion) {
    return Refused("format version " + std::to_string(version) +
                   " is not known (this server writes version " + std::to_string(kVersion) + ")");
  }
  const size_t checked = bytes.size() - 8;
  if (ReadLittleEndian(std::string_view(bytes).substr(checked)) !=
      XXH3_64bits_withSeed(bytes.data(), checked, kIntegritySeed)) {
    return Refused("damaged (its integrity check fails)");
  }
  if (ReadLittleEndian(std::string_view(bytes).substr(1, 8)) !=
      XXH3_64bits(listing_.data(), listing_.size())) {
    return Refused(
        "belongs to another listing; pass a token only to the listing that returned it, with "
        "the same filters");
  }
  return bytes.substr(9, checked - 9);
}

}  // namespace erpsync
