// Record keys as the PostgreSQL backend stores them (records.key, BYTEA):
// an order-preserving binary form, so that PostgreSQL's bytewise BYTEA
// order is the order of record_key.h (SQLite's): canonical integer keys
// first, numerically; then every other key bytewise.
//   integer key  0x00, then the 8 bytes big-endian of the value with its
//                sign bit flipped (so that negative values sort first)
//   other key    0x01, then the key's bytes
// Every encoded key is at least 2 bytes long, so the empty BYTEA sorts
// before all of them ("from the start" in paging). The form round-trips
// exactly: an integer key is canonical, so its decimal text is the key the
// agent sent. Pure functions; thread-safe.
#ifndef ERPSYNC_SERVER_STORE_POSTGRES_PG_RECORD_KEY_H_
#define ERPSYNC_SERVER_STORE_POSTGRES_PG_RECORD_KEY_H_

#include <string>
#include <string_view>

#include "common/status.h"
#include "server/store/record_key.h"

namespace erpsync::server::pg {

// Appends the stored form of `key` to `*out`.
void AppendEncodedRecordKey(const store_internal::StoredKey& key, std::string* out);

// The stored form of `key` (a non-empty key as the agent sent it).
std::string EncodeRecordKey(std::string_view key);

// The key a stored form stands for. INTERNAL when `encoded` is not one
// (naming its bytes in hex).
Result<std::string> DecodeRecordKey(std::string_view encoded);

}  // namespace erpsync::server::pg

#endif  // ERPSYNC_SERVER_STORE_POSTGRES_PG_RECORD_KEY_H_
