// How a record key is stored and ordered, on both backends. A key that is a
// canonical decimal integer ("0", "42", "-7": no sign but '-', no leading
// zero, at most 18 digits) is stored as an integer, any other key as text
// (SQLite: an INTEGER or a TEXT in a column without type affinity, see
// sqlite/stored_key_binding.h; PostgreSQL: see postgres/). The text form
// round-trips exactly, so readers see the key the agent sent.
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

#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace erpsync::server::store_internal {

// The integer `key` stands for when it is stored as an INTEGER.
std::optional<int64_t> CanonicalIntegerKey(std::string_view key);

// A record key in its stored form; refers to the bytes it was made from,
// which must outlive it. Ordered as SQLite orders stored keys; comparisons
// are inline and cheap (a batch of thousands is sorted, or checked to be in
// order, by them).
class StoredKey {
 public:
  explicit StoredKey(std::string_view key) : text_(key) {
    const std::optional<int64_t> integer = CanonicalIntegerKey(key);
    is_integer_ = integer.has_value();
    integer_ = integer.value_or(0);
  }

  bool is_integer() const { return is_integer_; }
  // The integer when is_integer(); 0 otherwise.
  int64_t integer() const { return integer_; }
  // The key as the agent sent it.
  std::string_view text() const { return text_; }

  friend std::strong_ordering operator<=>(const StoredKey& a, const StoredKey& b) {
    if (a.is_integer_ && b.is_integer_) return a.integer_ <=> b.integer_;
    if (a.is_integer_ != b.is_integer_) {
      return a.is_integer_ ? std::strong_ordering::less : std::strong_ordering::greater;
    }
    return a.text_ <=> b.text_;
  }
  friend bool operator==(const StoredKey& a, const StoredKey& b) {
    if (a.is_integer_ || b.is_integer_) {
      return a.is_integer_ == b.is_integer_ && a.integer_ == b.integer_;
    }
    return a.text_ == b.text_;
  }

 private:
  std::string_view text_;
  int64_t integer_ = 0;  // when is_integer_
  bool is_integer_ = false;
};

}  // namespace erpsync::server::store_internal

#endif  // ERPSYNC_SERVER_STORE_RECORD_KEY_H_
