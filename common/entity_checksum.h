// The order-independent checksum of an entity's live records, computed the
// same way by the agent (from the ERP) and the server (from its store): the
// sum modulo 2^64 of XXH3-64(key, seed = content hash). Not thread-safe.
#ifndef ERPSYNC_COMMON_ENTITY_CHECKSUM_H_
#define ERPSYNC_COMMON_ENTITY_CHECKSUM_H_

#include <cstdint>
#include <string>
#include <string_view>

namespace erpsync {

// One record's term of the sum: XXH3-64(key, seed = content hash).
uint64_t ChecksumTerm(std::string_view key, uint64_t content_hash);

class EntityChecksum {
 public:
  void Add(std::string_view key, uint64_t content_hash);
  uint64_t value() const { return sum_; }
  uint64_t count() const { return count_; }

 private:
  uint64_t sum_ = 0;
  uint64_t count_ = 0;
};

// 16 lower-case hex digits.
std::string FormatChecksum(uint64_t checksum);

}  // namespace erpsync

#endif  // ERPSYNC_COMMON_ENTITY_CHECKSUM_H_
