#include "server/store/postgres/pg_record_key.h"

#include <cstdint>

namespace erpsync::server::pg {
namespace {

constexpr char kIntegerTag = '\x00';
constexpr char kTextTag = '\x01';
constexpr size_t kIntegerSize = 1 + 8;
constexpr uint64_t kSignBit = uint64_t{1} << 63;

std::string Hex(std::string_view bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string hex;
  hex.reserve(bytes.size() * 2);
  for (const char c : bytes) {
    const auto byte = static_cast<unsigned char>(c);
    hex += kDigits[byte >> 4];
    hex += kDigits[byte & 0xF];
  }
  return hex;
}

}  // namespace

void AppendEncodedRecordKey(const store_internal::StoredKey& key, std::string* out) {
  if (!key.is_integer()) {
    out->reserve(out->size() + 1 + key.text().size());
    *out += kTextTag;
    *out += key.text();
    return;
  }
  const uint64_t biased = static_cast<uint64_t>(key.integer()) ^ kSignBit;
  char bytes[kIntegerSize];
  bytes[0] = kIntegerTag;
  for (int i = 0; i < 8; ++i) bytes[1 + i] = static_cast<char>(biased >> (56 - 8 * i));
  out->append(bytes, kIntegerSize);
}

std::string EncodeRecordKey(std::string_view key) {
  std::string encoded;
  AppendEncodedRecordKey(store_internal::StoredKey(key), &encoded);
  return encoded;
}

Result<std::string> DecodeRecordKey(std::string_view encoded) {
  if (encoded.size() >= 2 && encoded.front() == kTextTag) {
    std::string_view text = encoded.substr(1);
    if (!store_internal::CanonicalIntegerKey(text)) return std::string(text);
  } else if (encoded.size() == kIntegerSize && encoded.front() == kIntegerTag) {
    uint64_t biased = 0;
    for (size_t i = 1; i < kIntegerSize; ++i) {
      biased = (biased << 8) | static_cast<unsigned char>(encoded[i]);
    }
    std::string text = std::to_string(static_cast<int64_t>(biased ^ kSignBit));
    if (store_internal::CanonicalIntegerKey(text)) return text;
  }
  return InternalError("stored record key \\x" + Hex(encoded) + " is malformed");
}

}  // namespace erpsync::server::pg
