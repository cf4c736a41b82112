#include "common/varint.h"

namespace erpsync {

void AppendVarint(uint64_t value, std::string* out) {
  while (value >= 0x80) {
    out->push_back(static_cast<char>((value & 0x7f) | 0x80));
    value >>= 7;
  }
  out->push_back(static_cast<char>(value));
}

bool ReadVarint(std::string_view data, size_t* position, uint64_t* value) {
  uint64_t result = 0;
  for (int shift = 0; shift < 64 && *position < data.size(); shift += 7) {
    const auto byte = static_cast<uint8_t>(data[(*position)++]);
    result |= static_cast<uint64_t>(byte & 0x7f) << shift;
    if ((byte & 0x80) == 0) {
      *value = result;
      return true;
    }
  }
  return false;
}

}  // namespace erpsync
