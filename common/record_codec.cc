#include "common/record_codec.h"

#include <xxhash.h>

#include <algorithm>
#include <charconv>
#include <cstring>
#include <type_traits>

#include "common/civil_time.h"
#include "common/decimal.h"
#include "common/text_encoding.h"
#include "common/varint.h"

namespace erpsync {
namespace {

size_t BitmapBytes(size_t fields) { return (fields + 7) / 8; }

// The error for bytes that do not match `schema`, blaming field `field`
// (none when it is fields().size()). Out of line: only errors pay for it.
[[gnu::cold, gnu::noinline]] Status Mismatch(const RecordSchema& schema, size_t field,
                                             std::string_view why) {
  std::string message = "record of entity '" + schema.entity_id() + "' does not match its schema";
  if (field < schema.fields().size()) message += " at field '" + schema.fields()[field].name + "'";
  message += ": ";
  message += why;
  return InvalidArgumentError(std::move(message));
}

// What Walk passes to its visitor.
enum class WalkValues {
  kAll,   // every value
  kText,  // text and booleans; numbers are checked, not decoded
};

// Walks an encoded record; calls `visit(index, value)` for every field, with
// std::monostate for null, std::string_view for text, bool, or int64_t for
// numbers (with WalkValues::kAll). A tight loop (the server validates every
// record it receives): null bits taken 64 at a time, no allocation, errors
// built out of line.
template <WalkValues kValues, typename Visit>
Status Walk(const RecordSchema& schema, std::string_view encoded, Visit&& visit) {
  const std::vector<FieldDef>& fields = schema.fields();
  const size_t count = fields.size();
  const size_t bitmap_size = BitmapBytes(count);
  if (encoded.size() < bitmap_size) return Mismatch(schema, count, "truncated null bitmap");
  const auto* bitmap = reinterpret_cast<const uint8_t*>(encoded.data());
  const std::string_view data = encoded.substr(bitmap_size);
  size_t position = 0;
  for (size_t base = 0; base < count; base += 64) {
    const size_t stop = std::min(count, base + 64);
    uint64_t nulls = 0;  // bit k: field base + k is null
    for (size_t byte = base / 8; byte < BitmapBytes(stop); ++byte) {
      nulls |= uint64_t{bitmap[byte]} << (8 * (byte - base / 8));
    }
    for (size_t i = base; i < stop; ++i, nulls >>= 1) {
      if (nulls & 1) {
        visit(i, std::monostate());
        continue;
      }
      switch (fields[i].type) {
        case FieldType::kText: {
          uint64_t length = 0;
          if (!ReadVarint(data, &position, &length) || length > data.size() - position) {
            return Mismatch(schema, i, "truncated text");
          }
          const std::string_view text(data.data() + position, length);
          if constexpr (kValues == WalkValues::kText) {
            // Validation: records carry UTF-8 only, so that every reader of
            // the store (the read API's proto strings) can take them.
            if (!IsValidUtf8(text)) {
              return Mismatch(schema, i,
                              "text is not valid UTF-8 (byte " +
                                  std::to_string(FindInvalidUtf8(text)) + " of the value)");
            }
          }
          visit(i, text);
          position += length;
          break;
        }
        case FieldType::kBoolean: {
          if (position == data.size()) return Mismatch(schema, i, "truncated boolean");
          const auto byte = static_cast<uint8_t>(data[position++]);
          if (byte > 1) return Mismatch(schema, i, "boolean byte is not 0 or 1");
          visit(i, byte == 1);
          break;
        }
        default: {
          if constexpr (kValues == WalkValues::kAll) {
            uint64_t raw = 0;
            if (!ReadVarint(data, &position, &raw)) return Mismatch(schema, i, "truncated number");
            visit(i, UnZigZag(raw));
          } else {
            const size_t length = VarintLength(data, position);
            if (length == 0) return Mismatch(schema, i, "truncated number");
            position += length;
          }
          break;
        }
      }
    }
  }
  if (position != data.size()) return Mismatch(schema, count, "trailing bytes");
  // Bits beyond the last field must be clear so that one record has exactly
  // one encoding (and one hash).
  const size_t spare_bits = bitmap_size * 8 - count;
  if (spare_bits > 0 && bitmap[bitmap_size - 1] >> (8 - spare_bits) != 0) {
    return Mismatch(schema, count, "spare null bitmap bits set");
  }
  return Status::Ok();
}

}  // namespace

void RecordWriter::Begin() {
  const size_t bitmap_size = BitmapBytes(schema_->fields().size());
  size_ = 0;
  std::memset(Room(bitmap_size), 0, bitmap_size);
  size_ = bitmap_size;
  next_field_ = 0;
  over_field_ = kNoField;
}

bool RecordWriter::RoomForText(size_t size) {
  if (size > max_text_size_) {
    if (over_field_ == kNoField) over_field_ = next_field_;
    *Room(1) = 0;  // an empty text
    ++size_;
    ++next_field_;
    return false;
  }
  Grow(kMaxVarintBytes + size);
  return true;
}

void RecordWriter::Grow(size_t bytes) {
  buffer_.resize(std::max({size_t{256}, 2 * buffer_.size(), size_ + bytes}));
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

Status DecodeRecord(const RecordSchema& schema, std::string_view encoded,
                    std::vector<FieldValue>* values) {
  values->assign(schema.fields().size(), FieldValue());
  return Walk<WalkValues::kAll>(schema, encoded, [&](size_t i, auto value) {
    if constexpr (std::is_same_v<decltype(value), std::string_view>) {
      (*values)[i] = std::string(value);
    } else {
      (*values)[i] = value;
    }
  });
}

Status ValidateRecord(const RecordSchema& schema, std::string_view encoded) {
  return Walk<WalkValues::kText>(schema, encoded, [](size_t, auto) {});
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
  // Appends runs without special characters whole: most parts are one run.
  size_t run = 0;
  for (size_t i = 0; i < part.size(); ++i) {
    if (part[i] == '|' || part[i] == '\\') {
      key->append(part.data() + run, i - run);
      key->push_back('\\');
      run = i;
    }
  }
  key->append(part.data() + run, part.size() - run);
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
