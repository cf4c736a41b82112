#include "common/secret_token.h"

#include <openssl/evp.h>
#include <openssl/rand.h>

#include <array>
#include <cstdio>

namespace erpsync {

Result<std::string> GenerateSecretToken(std::string_view prefix) {
  std::array<unsigned char, 32> random{};
  if (RAND_bytes(random.data(), static_cast<int>(random.size())) != 1) {
    return InternalError("the system random generator failed");
  }
  static constexpr char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  std::string token(prefix);
  token.push_back('_');
  uint32_t bits = 0;
  int bit_count = 0;
  for (unsigned char byte : random) {
    bits = (bits << 8) | byte;
    bit_count += 8;
    while (bit_count >= 6) {
      bit_count -= 6;
      token.push_back(kAlphabet[(bits >> bit_count) & 0x3f]);
    }
  }
  if (bit_count > 0) token.push_back(kAlphabet[(bits << (6 - bit_count)) & 0x3f]);
  return token;
}

std::string HashSecretToken(std::string_view token) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  EVP_Digest(token.data(), token.size(), digest, &length, EVP_sha256(), nullptr);
  std::string hex;
  hex.reserve(length * 2);
  char pair[3];
  for (unsigned int i = 0; i < length; ++i) {
    std::snprintf(pair, sizeof(pair), "%02x", digest[i]);
    hex.append(pair, 2);
  }
  return hex;
}

bool ConstantTimeEquals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  unsigned char difference = 0;
  for (size_t i = 0; i < a.size(); ++i) {
    difference |= static_cast<unsigned char>(a[i] ^ b[i]);
  }
  return difference == 0;
}

}  // namespace erpsync
