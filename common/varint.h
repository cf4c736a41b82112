// Unsigned LEB128 varints: 7 bits per byte, low bits first, the high bit set
// on every byte but the last. Used by the record encoding and the packed
// record batches. Pure functions; thread-safe.
#ifndef ERPSYNC_COMMON_VARINT_H_
#define ERPSYNC_COMMON_VARINT_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace erpsync {

// Appends `value` to *out.
void AppendVarint(uint64_t value, std::string* out);

// Reads a varint of `data` at *position, advancing it. False when the data
// ends first or the varint is longer than 64 bits.
bool ReadVarint(std::string_view data, size_t* position, uint64_t* value);

}  // namespace erpsync

#endif  // ERPSYNC_COMMON_VARINT_H_
