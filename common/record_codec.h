// The canonical binary encoding of one record's values (see Record.values in
// protos/erpsync/v1/sync.proto), its decoding, and the content hash.
//
// The agent encodes rows with RecordWriter, hashes the bytes, and sends them
// as they are; the server validates and stores the same bytes, so both sides
// hash identical input. RecordWriter and decoded values are not thread-safe;
// the free functions are.
#ifndef ERPSYNC_COMMON_RECORD_CODEC_H_
#define ERPSYNC_COMMON_RECORD_CODEC_H_

#include <cassert>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "common/record_schema.h"
#include "common/status.h"
#include "common/varint.h"

namespace erpsync {

// A decoded value; which alternative is used follows the field's type:
// TEXT -> string; BOOLEAN -> bool; everything else -> int64_t (the integer,
// the scaled decimal, days since 1970-01-01, or seconds since 1970-01-01).
// monostate is null.
using FieldValue = std::variant<std::monostate, int64_t, bool, std::string>;

// Builds one encoded record. Call Begin(), then one Put* per field in schema
// order, then Finish(). The buffer is reused across records.
//
// The Put* are inline (the agent calls one per field of every row it reads)
// and write straight into a buffer kept larger than the record: one room
// check per value, no std::string append.
class RecordWriter {
 public:
  explicit RecordWriter(const RecordSchema* schema) : schema_(schema) {}

  void Begin();
  void PutNull() {
    assert(next_field_ < schema_->fields().size());
    buffer_[next_field_ / 8] |= static_cast<char>(1u << (next_field_ % 8));
    ++next_field_;
  }
  // A text longer than max_text_size() is not copied: the field is left
  // empty and over_field() names it.
  [[gnu::always_inline]] void PutText(std::string_view text) {
    assert(next_field_ < schema_->fields().size());
    if (buffer_.size() - size_ < kMaxVarintBytes + text.size()) [[unlikely]] {
      // (Only a text that does not fit the buffer can be too long, so the
      // limit costs nothing on the common path.)
      if (!RoomForText(text.size())) return;
    }
    char* out = WriteVarint(text.size(), buffer_.data() + size_);
    CopyBytes(out, text.data(), text.size());
    size_ = static_cast<size_t>(out - buffer_.data()) + text.size();
    ++next_field_;
  }
  // INTEGER value, DECIMAL/MONEY scaled value, DATE days or TIMESTAMP seconds.
  void PutInt(int64_t value) {
    assert(next_field_ < schema_->fields().size());
    size_ = static_cast<size_t>(WriteVarint(ZigZag(value), Room(kMaxVarintBytes)) - buffer_.data());
    ++next_field_;
  }
  void PutBool(bool value) {
    assert(next_field_ < schema_->fields().size());
    *Room(1) = value ? 1 : 0;
    ++size_;
    ++next_field_;
  }
  void Put(const FieldValue& value);
  // The encoded record; valid until the next Begin(). Every field must have
  // been put.
  std::string_view Finish() const {
    assert(next_field_ == schema_->fields().size());
    return std::string_view(buffer_.data(), size_);
  }
  size_t fields_put() const { return next_field_; }

  // Texts longer than this are not copied (PutText); the default has no
  // limit.
  void set_max_text_size(size_t bytes) { max_text_size_ = bytes; }
  static constexpr size_t kNoField = SIZE_MAX;
  // The first field whose text PutText refused since Begin(), or kNoField.
  size_t over_field() const { return over_field_; }

 private:
  // memcpy, inline for the short texts of most ERP cells (a call of the
  // library's memcpy costs more than the copy itself): fixed-size moves of
  // the first and the last bytes, which overlap in the middle.
  static void CopyBytes(char* out, const char* in, size_t size) {
    if (size > 16) {
      std::memcpy(out, in, size);
    } else if (size >= 8) {
      uint64_t head;
      uint64_t tail;
      std::memcpy(&head, in, 8);
      std::memcpy(&tail, in + size - 8, 8);
      std::memcpy(out, &head, 8);
      std::memcpy(out + size - 8, &tail, 8);
    } else if (size >= 4) {
      uint32_t head;
      uint32_t tail;
      std::memcpy(&head, in, 4);
      std::memcpy(&tail, in + size - 4, 4);
      std::memcpy(out, &head, 4);
      std::memcpy(out + size - 4, &tail, 4);
    } else if (size > 0) {
      out[0] = in[0];
      out[size / 2] = in[size / 2];
      out[size - 1] = in[size - 1];
    }
  }

  // Where the next byte of the record goes, with room for `bytes` more.
  char* Room(size_t bytes) {
    if (buffer_.size() - size_ < bytes) [[unlikely]] {
      Grow(bytes);
    }
    return buffer_.data() + size_;
  }
  // Enlarges the buffer (at least doubling it) to hold `bytes` more.
  void Grow(size_t bytes);
  // PutText's room for a text of `size` bytes: grows the buffer, or (over
  // max_text_size_) puts an empty text, marks over_field_ and returns false.
  bool RoomForText(size_t size);

  const RecordSchema* schema_;
  // The record is buffer_[0, size_); the rest is room for what follows.
  std::string buffer_;
  size_t size_ = 0;
  size_t next_field_ = 0;
  size_t max_text_size_ = SIZE_MAX;
  size_t over_field_ = kNoField;
};

// Decodes `encoded` into one value per field. INVALID_ARGUMENT when the bytes
// do not match the schema (truncated, trailing bytes, bad boolean, invalid
// UTF-8 is not checked).
Status DecodeRecord(const RecordSchema& schema, std::string_view encoded,
                    std::vector<FieldValue>* values);

// Checks that `encoded` matches the schema without allocating.
Status ValidateRecord(const RecordSchema& schema, std::string_view encoded);

// Canonical text of a value for keys and display: decimals with their scale,
// dates YYYY-MM-DD, timestamps YYYY-MM-DD HH:MM:SS, booleans true/false,
// null as the empty string.
std::string FormatFieldValue(const FieldDef& field, const FieldValue& value);
void AppendFieldValue(const FieldDef& field, const FieldValue& value, std::string* out);

// XXH3-64 of the encoded values seeded with the schema fingerprint.
uint64_t ContentHash(const RecordSchema& schema, std::string_view encoded);

// Appends one key part, escaping '|' and '\' with '\', preceded by '|' unless
// it is the first part.
void AppendKeyPart(std::string_view part, bool first, std::string* key);
// Splits a key built by AppendKeyPart back into its parts.
std::vector<std::string> SplitKey(std::string_view key);

}  // namespace erpsync

#endif  // ERPSYNC_COMMON_RECORD_CODEC_H_
