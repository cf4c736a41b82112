// PgCopyText: the input of COPY ... FROM STDIN in PostgreSQL's text format
// (the default FORMAT text): one line per row, fields separated by tabs,
// NULL as \N, backslash escapes for backslash, tab, newline and carriage
// return. PostgreSQL parses each field as its column's type, so integers
// go into BIGINT, INTEGER, SMALLINT and (as 0 or 1) BOOLEAN columns alike.
// BYTEA fields are written in its hex form. Value type; thread-compatible.
#ifndef ERPSYNC_SERVER_STORE_COPY_PG_COPY_TEXT_H_
#define ERPSYNC_SERVER_STORE_COPY_PG_COPY_TEXT_H_

#include <cstdint>
#include <string>
#include <string_view>

namespace erpsync::server::store_copy {

class PgCopyText {
 public:
  void AddNull();
  void AddInt64(int64_t value);
  // Text in the database's encoding (UTF-8); must not hold a NUL byte,
  // which no PostgreSQL text can.
  void AddText(std::string_view text);
  // A BYTEA value, any bytes.
  void AddBytes(std::string_view bytes);
  // Ends the row of the fields added since the last one.
  void EndRow();

  int64_t rows() const { return rows_; }
  // Bytes written so far.
  size_t size() const { return data_.size(); }
  // The rows written so far (complete input of a COPY); the writer starts
  // over empty.
  std::string Take();

 private:
  void BeginField();

  std::string data_;
  bool first_field_ = true;
  int64_t rows_ = 0;
};

}  // namespace erpsync::server::store_copy

#endif  // ERPSYNC_SERVER_STORE_COPY_PG_COPY_TEXT_H_
