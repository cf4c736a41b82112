#include "common/entity_checksum.h"

#include <xxhash.h>

#include <cstdio>

namespace erpsync {

uint64_t ChecksumTerm(std::string_view key, uint64_t content_hash) {
  return XXH3_64bits_withSeed(key.data(), key.size(), content_hash);
}

void EntityChecksum::Add(std::string_view key, uint64_t content_hash) {
  sum_ += ChecksumTerm(key, content_hash);
  ++count_;
}

std::string FormatChecksum(uint64_t checksum) {
  char buffer[17];
  std::snprintf(buffer, sizeof(buffer), "%016llx", static_cast<unsigned long long>(checksum));
  return buffer;
}

}  // namespace erpsync
