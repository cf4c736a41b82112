#include "server/store/postgres/pg_binary.h"

#include <algorithm>
#include <bit>
#include <cstring>
#include <utility>

namespace erpsync::server::pg {
namespace {

// Type OIDs of the element types (pg_type.oid, fixed by PostgreSQL).
constexpr int32_t kByteaOid = 17;
constexpr int32_t kInt8Oid = 20;
constexpr int32_t kBoolOid = 16;

// The binary COPY header: signature, flags, header extension length.
constexpr std::string_view kCopySignature("PGCOPY\n\377\r\n\0", 11);
// The binary COPY trailer: a field count of -1.
constexpr int kTrailerBytes = 2;

// The low `kBytes` bytes of `value`, big-endian, at `out`: one byte swap
// and one store.
template <int kBytes>
void StoreBigEndian(uint64_t value, char* out) {
  static_assert(kBytes == 2 || kBytes == 4 || kBytes == 8);
  // The eight bytes most significant first; the low ones are the last.
  const uint64_t big =
      std::endian::native == std::endian::little ? __builtin_bswap64(value) : value;
  std::memcpy(out, reinterpret_cast<const char*>(&big) + (8 - kBytes), kBytes);
}

// Each value goes into `out` with one append (PgCopyWriter, which a deep
// sync's batches go through, writes into its buffer directly): appending
// the bytes one by one cost the server a sixth of its CPU time in a deep
// sync.

// A value as array elements and COPY fields have it: its length, then its
// bytes.
void AppendBytesValue(std::string_view bytes, std::string* out) {
  AppendInt32(static_cast<int32_t>(bytes.size()), out);
  *out += bytes;
}

void AppendInt64Value(int64_t value, std::string* out) {
  char field[12];
  StoreBigEndian<4>(8, field);
  StoreBigEndian<8>(static_cast<uint64_t>(value), field + 4);
  out->append(field, sizeof(field));
}

void AppendBoolValue(bool value, std::string* out) {
  const char field[5] = {0, 0, 0, 1, value ? '\1' : '\0'};
  out->append(field, sizeof(field));
}

}  // namespace

void AppendInt16(int16_t value, std::string* out) {
  char bytes[2];
  StoreBigEndian<2>(static_cast<uint16_t>(value), bytes);
  out->append(bytes, sizeof(bytes));
}

void AppendInt32(int32_t value, std::string* out) {
  char bytes[4];
  StoreBigEndian<4>(static_cast<uint32_t>(value), bytes);
  out->append(bytes, sizeof(bytes));
}

void AppendInt64(int64_t value, std::string* out) {
  char bytes[8];
  StoreBigEndian<8>(static_cast<uint64_t>(value), bytes);
  out->append(bytes, sizeof(bytes));
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
    case Element::kBytea:
      AppendInt32(kByteaOid, &array);
      break;
    case Element::kInt8:
      AppendInt32(kInt8Oid, &array);
      break;
    case Element::kBool:
      AppendInt32(kBoolOid, &array);
      break;
  }
  if (size_ > 0) {
    AppendInt32(size_, &array);  // length of the dimension
    AppendInt32(1, &array);      // its lower bound
  }
  array += elements_;
  return array;
}

PgCopyWriter::PgCopyWriter() {
  std::memcpy(Room(kCopySignature.size()), kCopySignature.data(), kCopySignature.size());
  StoreBigEndian<4>(0, Room(4));  // flags
  StoreBigEndian<4>(0, Room(4));  // header extension length
}

char* PgCopyWriter::Room(size_t bytes) {
  if (data_.size() - used_ < bytes) data_.resize(std::max(2 * data_.size(), used_ + bytes));
  char* at = data_.data() + used_;
  used_ += bytes;
  return at;
}

void PgCopyWriter::Reserve(size_t bytes) {
  bytes += kTrailerBytes;
  if (data_.size() - used_ < bytes) data_.resize(used_ + bytes);
}

void PgCopyWriter::BeginRow(int16_t fields) {
  StoreBigEndian<2>(static_cast<uint16_t>(fields), Room(2));
  ++rows_;
}

void PgCopyWriter::AddBytes(std::string_view bytes) {
  char* at = Room(kFieldOverhead + bytes.size());
  StoreBigEndian<4>(static_cast<uint32_t>(bytes.size()), at);
  if (!bytes.empty()) std::memcpy(at + kFieldOverhead, bytes.data(), bytes.size());
}

void PgCopyWriter::AddInt64(int64_t value) {
  char* at = Room(kFieldOverhead + 8);
  StoreBigEndian<4>(8, at);
  StoreBigEndian<8>(static_cast<uint64_t>(value), at + kFieldOverhead);
}

void PgCopyWriter::AddBool(bool value) {
  char* at = Room(kFieldOverhead + 1);
  StoreBigEndian<4>(1, at);
  at[kFieldOverhead] = value ? '\1' : '\0';
}

std::string PgCopyWriter::Finish() {
  StoreBigEndian<kTrailerBytes>(static_cast<uint16_t>(-1), Room(kTrailerBytes));
  data_.resize(used_);
  used_ = 0;
  return std::move(data_);
}

}  // namespace erpsync::server::pg
