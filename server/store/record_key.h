// How a record key is stored in the records table. A key that is a
// canonical decimal integer ("0", "42", "-7": no sign but '-', no leading
// zero, at most 18 digits) is stored as an SQLite INTEGER, any other key as
// TEXT; the key column has no type affinity, so each keeps its type. The
// text form round-trips exactly (SQLite renders such an INTEGER as the same
// digits), so readers see the key the agent sent.
//
// Why: most Sage keys are integer row ids (JC transactions' Row_ID), which
// the agent reads in numeric order. As TEXT they interleave ("5" < "50" <
// "6"), so a deep sync's first pass inserts all over the B-tree; as INTEGER
// it appends at its right edge (fewer page splits, no cell shifting, and a
// batch's commit writes few pages).
//
// Order (SQLite's, for values of mixed type): integers numerically, then
// texts bytewise. Key-ordered paging follows it.
//
// Pure functions and a value type; thread-compatible.
#ifndef ERPSYNC_SERVER_STORE_RECORD_KEY_H_
#define ERPSYNC_SERVER_STORE_RECORD_KEY_H_

#include <SQLiteCpp/Statement.h>

#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace erpsync::server::store_internal {

// The integer `key` stands for when it is stored as an INTEGER.
std::optional<int64_t> CanonicalIntegerKey(std::string_view key);

// A record key in its stored form; refers to the string it was made from,
// which must outlive it.
class StoredKey {
 public:
  explicit StoredKey(const std::string& key);

  // Binds the key to parameter `index`: an INTEGER, or the string as TEXT
  // without a copy (it must outlive the statement's execution).
  void Bind(SQLite::Statement& statement, int index) const;

  friend std::strong_ordering operator<=>(const StoredKey& a, const StoredKey& b);
  friend bool operator==(const StoredKey& a, const StoredKey& b) { return (a <=> b) == 0; }

 private:
  std::optional<int64_t> integer_;
  const std::string* text_;
};

// StoredKey(key).Bind(statement, index).
void BindRecordKey(SQLite::Statement& statement, int index, const std::string& key);

// Binds a value below every stored key (for "after the start" in paging).
void BindBeforeFirstKey(SQLite::Statement& statement, int index);

}  // namespace erpsync::server::store_internal

#endif  // ERPSYNC_SERVER_STORE_RECORD_KEY_H_
