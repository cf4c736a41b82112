#include "server/store/postgres/pg_binary.h"

#include <utility>

namespace erpsync::server::pg {
namespace {

// Type OIDs of the element types (pg_type.oid, fixed by PostgreSQL).
constexpr int32_t kByteaOid = 17;
constexpr int32_t kInt8Oid = 20;
constexpr int32_t kBoolOid = 16;

// The binary COPY header: signature, flags, header extension length.
constexpr std::string_view kCopySignature("PGCOPY\n\377\r\n\0", 11);

void AppendBigEndian(uint64_t value, int bytes, std::string* out) {
  for (int i = bytes - 1; i >= 0; --i) *out += static_cast<char>(value >> (8 * i));
}

// A value as array elements and COPY fields have it: its length, then its
// bytes.
void AppendBytesValue(std::string_view bytes, std::string* out) {
  AppendInt32(static_cast<int32_t>(bytes.size()), out);
  *out += bytes;
}

void AppendInt64Value(int64_t value, std::string* out) {
  AppendInt32(8, out);
  AppendInt64(value, out);
}

void AppendBoolValue(bool value, std::string* out) {
  AppendInt32(1, out);
  *out += value ? '\1' : '\0';
}

}  // namespace

void AppendInt16(int16_t value, std::string* out) {
  AppendBigEndian(static_cast<uint16_t>(value), 2, out);
}

void AppendInt32(int32_t value, std::string* out) {
  AppendBigEndian(static_cast<uint32_t>(value), 4, out);
}

void AppendInt64(int64_t value, std::string* out) {
  AppendBigEndian(static_cast<uint64_t>(value), 8, out);
}

void PgBinaryArray::AddBytes(std::string_view bytes) {
  AppendBytesValue(bytes, &elements_);
  ++size_;
}

void PgBinaryArray::AddInt64(int64_t value) {
  AppendInt64Value(value, &elements_);
  ++size_;
}

void PgBinaryArray::AddBool(bool value) {
  AppendBoolValue(value, &elements_);
  ++size_;
}

std::string PgBinaryArray::Finish() const {
  std::string array;
  array.reserve(20 + elements_.size());
  AppendInt32(size_ > 0 ? 1 : 0, &array);  // dimensions
  AppendInt32(0, &array);                  // no NULLs
  switch (element_) {
    case Element::kBytea: AppendInt32(kByteaOid, &array); break;
    case Element::kInt8: AppendInt32(kInt8Oid, &array); break;
    case Element::kBool: AppendInt32(kBoolOid, &array); break;
  }
  if (size_ > 0) {
    AppendInt32(size_, &array);  // length of the dimension
    AppendInt32(1, &array);      // its lower bound
  }
  array += elements_;
  return array;
}

PgCopyWriter::PgCopyWriter() {
  data_ += kCopySignature;
  AppendInt32(0, &data_);  // flags
  AppendInt32(0, &data_);  // header extension length
}

void PgCopyWriter::BeginRow(int16_t fields) {
  AppendInt16(fields, &data_);
  ++rows_;
}

void PgCopyWriter::AddBytes(std::string_view bytes) { AppendBytesValue(bytes, &data_); }

void PgCopyWriter::AddInt64(int64_t value) { AppendInt64Value(value, &data_); }

void PgCopyWriter::AddBool(bool value) { AppendBoolValue(value, &data_); }

std::string PgCopyWriter::Finish() {
  AppendInt16(-1, &data_);  // trailer
  return std::move(data_);
}

}  // namespace erpsync::server::pg
