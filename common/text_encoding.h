// Text encodings of ERP data: what the ERP's text cells are in, and their
// conversion to the UTF-8 that records carry. Sage 300 CRE on Windows stores
// text in Windows-1252; the sample company (SQLite) stores UTF-8.
//
// ASCII, by far the most common text in an ERP, is recognised eight bytes
// at a time and passed through without a copy. Pure functions; thread-safe.
#ifndef ERPSYNC_COMMON_TEXT_ENCODING_H_
#define ERPSYNC_COMMON_TEXT_ENCODING_H_

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

#include "common/status.h"

namespace erpsync {

enum class TextEncoding { kUtf8, kWindows1252 };

// "utf-8" or "windows-1252" (also "utf8", "cp1252", any case).
// INVALID_ARGUMENT naming the accepted values otherwise.
Result<TextEncoding> ParseTextEncoding(std::string_view name);
// "utf-8", "windows-1252".
std::string_view TextEncodingName(TextEncoding encoding);

// The bytes of `text` OR-ed together (in some lanes of a word): its high
// bits (mask kNotAscii) are all clear exactly when `text` is ASCII. A
// handful of instructions for the short text most ERP cells hold (no loop
// below nine bytes); callers may OR several texts' words and test once.
inline uint64_t OrOfBytes(std::string_view text) {
  const char* data = text.data();
  size_t size = text.size();
  uint64_t bits = 0;
  for (; size > 8; data += 8, size -= 8) {
    uint64_t word;
    std::memcpy(&word, data, 8);
    bits |= word;
  }
  if (size >= 4) {
    // The first and the last four bytes cover 4..8 bytes.
    uint32_t head;
    uint32_t tail;
    std::memcpy(&head, data, 4);
    std::memcpy(&tail, data + size - 4, 4);
    bits |= head | tail;
  } else if (size > 0) {
    // Bytes 0, size / 2 and size - 1 cover 1..3 bytes.
    const auto* bytes = reinterpret_cast<const unsigned char*>(data);
    bits |= bytes[0] | bytes[size / 2] | bytes[size - 1];
  }
  return bits;
}
inline constexpr uint64_t kNotAscii = 0x8080808080808080ULL;

// Whether every byte of `text` is below 0x80.
inline bool IsAscii(std::string_view text) { return (OrOfBytes(text) & kNotAscii) == 0; }

// The offset of the first byte of `text` that does not start a valid UTF-8
// sequence (an unexpected continuation byte, a truncated sequence, an
// overlong form, a surrogate, a code point above U+10FFFF), or npos when
// `text` is valid UTF-8.
size_t FindInvalidUtf8(std::string_view text);
inline bool IsValidUtf8(std::string_view text) {
  return IsAscii(text) || FindInvalidUtf8(text) == std::string_view::npos;
}

// `text` itself when it is valid UTF-8, else a copy with each byte that
// starts no valid sequence replaced by U+FFFD: for readers that must never
// fail on data stored before it was checked.
std::string Utf8OrReplaced(std::string_view text);

// `text`, in `encoding`, as UTF-8: `text` itself when it needs no conversion
// (ASCII, or valid UTF-8 in kUtf8), else the converted text in `*scratch`
// (reused: the view is valid until the next call with the same scratch).
// INVALID_ARGUMENT "byte 0x81 at offset 3 is not Windows-1252" or "byte 0xC3
// at offset 0 starts no valid UTF-8 sequence" for text that is not valid in
// `encoding`.
Result<std::string_view> ToUtf8(TextEncoding encoding, std::string_view text,
                                std::string* scratch);

}  // namespace erpsync

#endif  // ERPSYNC_COMMON_TEXT_ENCODING_H_
