// PostgreSQL's binary wire formats, built in memory for bulk statements:
// one-dimensional arrays (a statement parameter sent as PgParam::Bytes,
// e.g. "$3::bytea[]", which unnest() turns into rows) and COPY ... FROM
// STDIN (FORMAT binary) input. Only the element types the stores need:
// BYTEA, BIGINT and BOOLEAN, never NULL. Integers are big-endian on the
// wire. Value types; thread-compatible.
#ifndef ERPSYNC_SERVER_STORE_POSTGRES_PG_BINARY_H_
#define ERPSYNC_SERVER_STORE_POSTGRES_PG_BINARY_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace erpsync::server::pg {

// Appends `value` big-endian.
void AppendInt16(int16_t value, std::string* out);
void AppendInt32(int32_t value, std::string* out);
void AppendInt64(int64_t value, std::string* out);

// A one-dimensional array of one element type, in the binary format of
// array_send.
class PgBinaryArray {
 public:
  enum class Element { kBytea, kInt8, kBool };

  explicit PgBinaryArray(Element element) : element_(element) {}

  void AddBytes(std::string_view bytes);  // kBytea
  void AddInt64(int64_t value);           // kInt8
  void AddBool(bool value);               // kBool

  int size() const { return size_; }
  // The array's binary form (an empty array when nothing was added).
  std::string Finish() const;

 private:
  Element element_;
  std::string elements_;  // each: length, then the value
  int size_ = 0;
};

// The input of COPY ... FROM STDIN (FORMAT binary): a header, rows of
// fields, a trailer. Rows must have the fields of the statement's column
// list, in its order.
class PgCopyWriter {
 public:
  PgCopyWriter();

  // Room for `bytes` more of input (kRowOverhead a row, kFieldOverhead a
  // field, and the values' bytes), so that a large COPY is built without
  // reallocating.
  void Reserve(size_t bytes);
  // Starts a row of `fields` fields.
  void BeginRow(int16_t fields);
  void AddBytes(std::string_view bytes);  // BYTEA
  void AddInt64(int64_t value);           // BIGINT
  void AddBool(bool value);               // BOOLEAN

  int rows() const { return rows_; }
  // What a field takes besides its value's bytes (its length), and a row
  // besides its fields (its field count).
  static constexpr size_t kFieldOverhead = 4;
  static constexpr size_t kRowOverhead = 2;
  // The whole input, trailer included; the writer is spent.
  std::string Finish();

 private:
  // `bytes` more bytes of input to write, at the end of what is written.
  char* Room(size_t bytes);

  std::string data_;  // data_.size() is its capacity; used_ of it is written
  size_t used_ = 0;
  int rows_ = 0;
};

}  // namespace erpsync::server::pg

#endif  // ERPSYNC_SERVER_STORE_POSTGRES_PG_BINARY_H_
