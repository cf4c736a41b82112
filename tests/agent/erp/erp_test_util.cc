#include "tests/agent/erp/erp_test_util.h"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <memory>

#include "tests/support/status_matchers.h"
#include "tests/support/temp_dir.h"

namespace erpsync::agent::testing {

SampleCompanyOptions SmallCompanyOptions() {
  SampleCompanyOptions options;
  options.jobs = 3;
  options.transactions = 600;
  options.seed = 7;
  return options;
}

const std::string& SharedSampleCompany() {
  static erpsync::testing::TempDir directory;
  static const std::string path = [] {
    std::string file = directory.File("shared.db");
    const auto created = CreateSampleCompany(file, SmallCompanyOptions());
    EXPECT_OK(created);
    return file;
  }();
  return path;
}

Result<std::vector<TextRow>> ReadAll(ErpSource& source, const TableRead& read) {
  ERPSYNC_ASSIGN_OR_RETURN(std::unique_ptr<RowCursor> cursor, source.Read(read));
  std::vector<TextRow> rows;
  for (;;) {
    ERPSYNC_ASSIGN_OR_RETURN(const bool more, cursor->Next());
    if (!more) break;
    TextRow row;
    for (int i = 0; i < static_cast<int>(read.columns.size()); ++i) {
      if (cursor->Kind(i) == CellKind::kNull) {
        row.emplace_back(std::nullopt);
      } else {
        row.emplace_back(std::string(cursor->Text(i)));
      }
    }
    rows.push_back(std::move(row));
  }
  return rows;
}

std::vector<TextRow> Query(const std::string& path, const std::string& sql) {
  sqlite3* raw = nullptr;
  const int open_rc = sqlite3_open_v2(path.c_str(), &raw, SQLITE_OPEN_READONLY, nullptr);
  std::unique_ptr<sqlite3, decltype(&sqlite3_close_v2)> db(raw, &sqlite3_close_v2);
  std::vector<TextRow> rows;
  if (open_rc != SQLITE_OK) {
    ADD_FAILURE() << "opening " << path << ": " << sqlite3_errstr(open_rc);
    return rows;
  }
  sqlite3_busy_timeout(db.get(), 5000);
  sqlite3_stmt* stmt = nullptr;
  if (sqlite3_prepare_v2(db.get(), sql.c_str(), -1, &stmt, nullptr) != SQLITE_OK) {
    ADD_FAILURE() << sql << ": " << sqlite3_errmsg(db.get());
    return rows;
  }
  int rc;
  while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
    TextRow row;
    for (int i = 0; i < sqlite3_column_count(stmt); ++i) {
      if (sqlite3_column_type(stmt, i) == SQLITE_NULL) {
        row.emplace_back(std::nullopt);
      } else {
        row.emplace_back(reinterpret_cast<const char*>(sqlite3_column_text(stmt, i)));
      }
    }
    rows.push_back(std::move(row));
  }
  if (rc != SQLITE_DONE) ADD_FAILURE() << sql << ": " << sqlite3_errmsg(db.get());
  sqlite3_finalize(stmt);
  return rows;
}

int64_t QueryInteger(const std::string& path, const std::string& sql) {
  const std::vector<TextRow> rows = Query(path, sql);
  if (rows.size() != 1 || rows[0].size() != 1 || !rows[0][0].has_value()) {
    ADD_FAILURE() << sql << " did not return one value";
    return -1;
  }
  return std::stoll(*rows[0][0]);
}

}  // namespace erpsync::agent::testing
