// Helpers shared by the ERP tests: small sample companies, reading every row
// of a cursor as text, and plain SQL queries against a company file.
// Not thread-safe; tests of one binary run sequentially.
#ifndef ERPSYNC_TESTS_AGENT_ERP_ERP_TEST_UTIL_H_
#define ERPSYNC_TESTS_AGENT_ERP_ERP_TEST_UTIL_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "agent/erp/erp_source.h"
#include "agent/erp/sample/sample_company.h"
#include "common/status.h"

namespace erpsync::agent::testing {

// A row as text; nullopt for NULL.
using TextRow = std::vector<std::optional<std::string>>;

// Options of a small company that every test can afford (a fraction of a
// second to create).
SampleCompanyOptions SmallCompanyOptions();

// A small company created once per test binary and shared read-only by the
// tests (never mutate it).
const std::string& SharedSampleCompany();

// Every row of `read` from `source`, cells as Text() or nullopt for NULL.
Result<std::vector<TextRow>> ReadAll(ErpSource& source, const TableRead& read);

// Runs `sql` on the SQLite file at `path` (read-only) and returns its rows
// as text.
std::vector<TextRow> Query(const std::string& path, const std::string& sql);

// The single integer `sql` returns.
int64_t QueryInteger(const std::string& path, const std::string& sql);

}  // namespace erpsync::agent::testing

#endif  // ERPSYNC_TESTS_AGENT_ERP_ERP_TEST_UTIL_H_
