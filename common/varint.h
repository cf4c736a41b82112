// Unsigned LEB128 varints: 7 bits per byte, low bits first, the high bit set
// on every byte but the last, and the zigzag mapping that stores signed
// values in them. Used by the record encoding and the packed record
// batches. Pure functions; thread-safe.
//
// Inline, with a one-byte fast path: a deep sync encodes and decodes tens of
// millions of them (every number and every text length of every record),
// and many (text lengths, flags, small numbers) fit one byte.
#ifndef ERPSYNC_COMMON_VARINT_H_
#define ERPSYNC_COMMON_VARINT_H_

#include <algorithm>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

namespace erpsync {

// The longest varint of a 64-bit value.
inline constexpr size_t kMaxVarintBytes = 10;

// Writes `value` at `out`, which must have room for kMaxVarintBytes, and
// returns the end of what it wrote.
inline char* WriteVarint(uint64_t value, char* out) {
  while (value >= 0x80) {
    *out++ = static_cast<char>((value & 0x7f) | 0x80);
    value >>= 7;
  }
  *out++ = static_cast<char>(value);
  return out;
}

// Appends `value` to *out.
inline void AppendVarint(uint64_t value, std::string* out) {
  if (value < 0x80) {
    out->push_back(static_cast<char>(value));
    return;
  }
  char bytes[kMaxVarintBytes];
  out->append(bytes, static_cast<size_t>(WriteVarint(value, bytes) - bytes));
}

// Signed values as varints: 0, -1, 1, -2, ... become 0, 1, 2, 3, ..., so
// small magnitudes of either sign take few bytes.
inline uint64_t ZigZag(int64_t value) {
  return (static_cast<uint64_t>(value) << 1) ^ static_cast<uint64_t>(value >> 63);
}
inline int64_t UnZigZag(uint64_t value) {
  return static_cast<int64_t>(value >> 1) ^ -static_cast<int64_t>(value & 1);
}

// Reads a varint of `data` at *position, advancing it. False when the data
// ends first or the varint is longer than 64 bits (*position unchanged).
inline bool ReadVarint(std::string_view data, size_t* position, uint64_t* value) {
  size_t at = *position;
  if (at < data.size() && static_cast<uint8_t>(data[at]) < 0x80) {
    *value = static_cast<uint8_t>(data[at]);
    *position = at + 1;
    return true;
  }
  uint64_t result = 0;
  for (int shift = 0; shift < 64 && at < data.size(); shift += 7) {
    const auto byte = static_cast<uint8_t>(data[at++]);
    result |= static_cast<uint64_t>(byte & 0x7f) << shift;
    if ((byte & 0x80) == 0) {
      *value = result;
      *position = at;
      return true;
    }
  }
  return false;
}

// How many bytes the varint at data[position] takes, or 0 where ReadVarint
// fails (the data ends first, or no byte of the ten a 64-bit value may take
// ends it). Cheaper than reading it: with eight bytes at hand, one load and
// a bit scan find its end.
inline size_t VarintLength(std::string_view data, size_t position) {
  const size_t available = data.size() - position;
  if constexpr (std::endian::native == std::endian::little) {
    if (available >= sizeof(uint64_t)) {
      uint64_t word = 0;
      std::memcpy(&word, data.data() + position, sizeof(word));
      const uint64_t ends = ~word & 0x8080808080808080u;  // bytes with the high bit clear
      if (ends != 0) return static_cast<size_t>(std::countr_zero(ends)) / 8 + 1;
    }
  }
  for (size_t n = 0; n < std::min(available, kMaxVarintBytes); ++n) {
    if ((static_cast<uint8_t>(data[position + n]) & 0x80) == 0) return n + 1;
  }
  return 0;
}

}  // namespace erpsync

#endif  // ERPSYNC_COMMON_VARINT_H_
