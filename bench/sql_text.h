// Text helpers for the SQL the benchmark hands to the sqlite3 CLI, psql and
// pgloader, and for reading their counts back. Pure functions; thread-safe.
#ifndef ERPSYNC_BENCH_SQL_TEXT_H_
#define ERPSYNC_BENCH_SQL_TEXT_H_

#include <cstdint>
#include <string>

namespace erpsync::bench {

// The number at the start of `text` (a CLI's output of a count), 0 when
// there is none.
uint64_t ParseCount(const std::string& text);

// `text` as an SQL string literal: 'it''s'.
std::string SqlString(const std::string& text);

}  // namespace erpsync::bench

#endif  // ERPSYNC_BENCH_SQL_TEXT_H_
