// Running SQL on an SQLite file from a test: corrupting an ERP or a store on
// purpose, or setting one up. Thread-safe (a connection per call).
#ifndef ERPSYNC_TESTS_SUPPORT_SQLITE_EXEC_H_
#define ERPSYNC_TESTS_SUPPORT_SQLITE_EXEC_H_

#include <string>

namespace erpsync::testing {

// Runs `sql` (one or more statements) on the SQLite file at `path`, waiting
// up to 5 s for a lock another process holds. A failure is a GoogleTest
// failure naming the error and the SQL.
void ExecSql(const std::string& path, const std::string& sql);

}  // namespace erpsync::testing

#endif  // ERPSYNC_TESTS_SUPPORT_SQLITE_EXEC_H_
