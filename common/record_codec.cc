#include "common/record_codec.h"

#include <xxhash.h>

#include <cassert>
#include <charconv>

#include "common/civil_time.h"
#include "common/decimal.h"
#include "common/varint.h"

namespace erpsync {
namespace {

uint64_t ZigZag(int64_t value) {
  return (static_cast<uint64_t>(value) << 1) ^ static_cast<uint64_t>(value >> 63);
}

int64_t UnZigZag(uint64_t value) {
  return static_cast<int64_t>(value >> 1) ^ -static_cast<int64_t>(value & 1);
}

// Sequential reader over an encoded record.
class Cursor {
 public:
  explicit Cursor(std::string_view data) : data_(data) {}

  bool ReadVarint(uint64_t* value) { return erpsync::ReadVarint(data_, &pos_, value); }
  bool ReadBytes(size_t n, std::string_view* bytes) {
    if (data_.size() - pos_ < n) return false;
    *bytes = data_.substr(pos_, n);
    pos_ += n;
    return true;
  }
  bool done() const { return pos_ == data_.size(); }

 private:
  std::string_view data_;
  size_t pos_ = 0;
};

size_t BitmapBytes(size_t fields) { return (fields + 7) / 8; }

// Walks an encoded record; calls `visit(index, value)` for every field with
// a value view (text as string_view, ints, bools) when Visit is non-null.
template <typename Visit>
Status Walk(const RecordSchema& schema, std::string_view encoded, Visit&& visit) {
  const auto& fields = schema.fields();
  const size_t bitmap_size = BitmapBytes(fields.size());
  const auto bad = [&](std::string_view why, size_t field) {
    std::string message = "record of entity '" + schema.entity_id() + "' does not match its schema";
    if (field < fields.size()) message += " at field '" + fields[field].name + "'";
    message += ": ";
    message += why;
    return InvalidArgumentError(std::move(message));
  };
  if (encoded.size() < bitmap_size) return bad("truncated null bitmap", fields.size());
  const std::string_view bitmap = encoded.substr(0, bitmap_size);
  Cursor cursor(encoded.substr(bitmap_size));
  for (size_t i = 0; i < fields.size(); ++i) {
    const bool is_null = (static_cast<uint8_t>(bitmap[i / 8]) >> (i % 8)) & 1;
    if (is_null) {
      visit(i, FieldValue());
      continue;
    }
    switch (fields[i].type) {
      case FieldType::kText: {
        uint64_t length = 0;
        std::string_view bytes;
        if (!cursor.ReadVarint(&length) || !cursor.ReadBytes(length, &bytes)) {
          return bad("truncated text", i);
        }
        visit(i, bytes);
        break;
      }
      case FieldType::kBoolean: {
        std::string_view byte;
        if (!cursor.ReadBytes(1, &byte)) return bad("truncated boolean", i);
        if (byte[0] != 0 && byte[0] != 1) return bad("boolean byte is not 0 or 1", i);
        visit(i, FieldValue(byte[0] == 1));
        break;
      }
      default: {
        uint64_t raw = 0;
        if (!cursor.ReadVarint(&raw)) return bad("truncated number", i);
        visit(i, FieldValue(UnZigZag(raw)));
        break;
      }
    }
  }
  if (!cursor.done()) return bad("trailing bytes", fields.size());
  // Bits beyond the last field must be clear so that one record has exactly
  // one encoding (and one hash).
  const size_t spare_bits = bitmap_size * 8 - fields.size();
  if (spare_bits > 0) {
    const auto last = static_cast<uint8_t>(bitmap[bitmap_size - 1]);
    if (last >> (8 - spare_bits) != 0) return bad("spare null bitmap bits set", fields.size());
  }
  return Status::Ok();
}

}  // namespace

void RecordWriter::Begin() {
  buffer_.assign(BitmapBytes(schema_->fields().size()), '\0');
  next_field_ = 0;
}

void RecordWriter::PutNull() {
  assert(next_field_ < schema_->fields().size());
  buffer_[next_field_ / 8] =
      static_cast<char>(static_cast<uint8_t>(buffer_[next_field_ / 8]) | (1u << (next_field_ % 8)));
  ++next_field_;
}

void RecordWriter::PutText(std::string_view text) {
  assert(next_field_ < schema_->fields().size());
  AppendVarint(text.size(), &buffer_);
  buffer_.append(text);
  ++next_field_;
}

void RecordWriter::PutInt(int64_t value) {
  assert(next_field_ < schema_->fields().size());
  AppendVarint(ZigZag(value), &buffer_);
  ++next_field_;
}

void RecordWriter::PutBool(bool value) {
  assert(next_field_ < schema_->fields().size());
  buffer_.push_back(value ? 1 : 0);
  ++next_field_;
}

void RecordWriter::Put(const FieldValue& value) {
  if (std::holds_alternative<std::monostate>(value)) {
    PutNull();
  } else if (const auto* i = std::get_if<int64_t>(&value)) {
    PutInt(*i);
  } else if (const auto* b = std::get_if<bool>(&value)) {
    PutBool(*b);
  } else {
    PutText(std::get<std::string>(value));
  }
}

std::string_view RecordWriter::Finish() const {
  assert(next_field_ == schema_->fields().size());
  return buffer_;
}

Status DecodeRecord(const RecordSchema& schema, std::string_view encoded,
                    std::vector<FieldValue>* values) {
  values->assign(schema.fields().size(), FieldValue());
  return Walk(schema, encoded, [&](size_t i, auto&& value) {
    using V = std::decay_t<decltype(value)>;
    if constexpr (std::is_same_v<V, std::string_view>) {
      (*values)[i] = std::string(value);
    } else {
      (*values)[i] = value;
    }
  });
}

Status ValidateRecord(const RecordSchema& schema, std::string_view encoded) {
  return Walk(schema, encoded, [](size_t, auto&&) {});
}

void AppendFieldValue(const FieldDef& field, const FieldValue& value, std::string* out) {
  if (std::holds_alternative<std::monostate>(value)) return;
  if (const auto* text = std::get_if<std::string>(&value)) {
    out->append(*text);
    return;
  }
  if (const auto* b = std::get_if<bool>(&value)) {
    out->append(*b ? "true" : "false");
    return;
  }
  const int64_t number = std::get<int64_t>(value);
  switch (field.type) {
    case FieldType::kDecimal:
    case FieldType::kMoney:
      AppendDecimal(number, field.scale, out);
      return;
    case FieldType::kDate:
      AppendDate(number, out);
      return;
    case FieldType::kTimestamp:
      AppendTimestamp(number, out);
      return;
    default: {
      char digits[24];
      const auto [end, ec] = std::to_chars(digits, digits + sizeof(digits), number);
      out->append(digits, static_cast<size_t>(end - digits));
      return;
    }
  }
}

std::string FormatFieldValue(const FieldDef& field, const FieldValue& value) {
  std::string out;
  AppendFieldValue(field, value, &out);
  return out;
}

uint64_t ContentHash(const RecordSchema& schema, std::string_view encoded) {
  return XXH3_64bits_withSeed(encoded.data(), encoded.size(), schema.fingerprint());
}

void AppendKeyPart(std::string_view part, bool first, std::string* key) {
  if (!first) key->push_back('|');
  for (char c : part) {
    if (c == '|' || c == '\\') key->push_back('\\');
    key->push_back(c);
  }
}

std::vector<std::string> SplitKey(std::string_view key) {
  std::vector<std::string> parts(1);
  for (size_t i = 0; i < key.size(); ++i) {
    const char c = key[i];
    if (c == '\\' && i + 1 < key.size()) {
      parts.back().push_back(key[++i]);
    } else if (c == '|') {
      parts.emplace_back();
    } else {
      parts.back().push_back(c);
    }
  }
  return parts;
}

}  // namespace erpsync
