// Shared fixtures of the store tests: a Store on each backend (a real
// SQLite file in a temp dir, or a fresh database of the tests' PostgreSQL
// cluster) with a pinned clock, and builders for schemas and records.
#ifndef ERPSYNC_TESTS_SERVER_STORE_STORE_TEST_UTIL_H_
#define ERPSYNC_TESTS_SERVER_STORE_STORE_TEST_UTIL_H_

#include <gtest/gtest.h>

#include <cstdint>
#include <functional>
#include <optional>
#include <ostream>
#include <memory>
#include <string>
#include <vector>

#include "common/record_codec.h"
#include "common/record_schema.h"
#include "server/store/postgres/postgres_store.h"
#include "server/store/sqlite/sqlite_store.h"
#include "server/store/store.h"
#include "server/store/store_options.h"
#include "server/store/store_types.h"
#include "tests/support/status_matchers.h"
#include "tests/support/temp_dir.h"
#include "tests/support/test_postgres.h"

namespace erpsync::server {

// GoogleTest prints a StoreKind parameter by name.
inline void PrintTo(StoreKind kind, std::ostream* out) { *out << StoreKindName(kind); }

}  // namespace erpsync::server

namespace erpsync::server::testing {

inline constexpr int64_t kStartUnix = 1'700'000'000;

// The backends every store test runs on.
inline constexpr StoreKind kStoreBackends[] = {StoreKind::kSqlite, StoreKind::kPostgresql};

// "Sqlite", "Postgresql": the test name suffix of a backend.
inline std::string StoreKindParamName(const ::testing::TestParamInfo<StoreKind>& info) {
  return info.param == StoreKind::kSqlite ? "Sqlite" : "Postgresql";
}

// Opens a fresh store of `kind` with `clock`: SQLite in `dir`, PostgreSQL
// in a new database of the tests' cluster (kept in `*postgres`, which must
// outlive the store).
inline Result<std::unique_ptr<Store>> OpenTestStore(
    StoreKind kind, const erpsync::testing::TempDir& dir, std::function<int64_t()> clock,
    std::optional<erpsync::testing::TestPostgresDatabase>* postgres) {
  if (kind == StoreKind::kSqlite) {
    DatabaseOptions options;
    options.clock = std::move(clock);
    ERPSYNC_ASSIGN_OR_RETURN(std::unique_ptr<SqliteStore> store,
                             SqliteStore::Open(dir.File("server.db"), options));
    return std::unique_ptr<Store>(std::move(store));
  }
  ERPSYNC_ASSIGN_OR_RETURN(erpsync::testing::TestPostgresDatabase database,
                           erpsync::testing::TestPostgresDatabase::Create());
  postgres->emplace(std::move(database));
  PostgresOptions options;
  options.dsn = (*postgres)->dsn();
  options.clock = std::move(clock);
  ERPSYNC_ASSIGN_OR_RETURN(std::unique_ptr<PostgresStore> store,
                           PostgresStore::Open(options, /*create=*/true));
  return std::unique_ptr<Store>(std::move(store));
}

// A fresh store per test on the backend of the test's parameter, with a
// clock the test moves by hand. Suites derived from it use TEST_P and
// INSTANTIATE_STORE_TEST_SUITE_P.
class StoreTest : public ::testing::TestWithParam<StoreKind> {
 protected:
  void SetUp() override {
    ASSERT_OK_AND_ASSIGN(stores_, OpenTestStore(GetParam(), dir_, [this] { return now_; },
                                               &postgres_));
  }

  // The SQLite file of a SQLite store.
  std::string path() const { return dir_.File("server.db"); }

  erpsync::testing::TempDir dir_;
  int64_t now_ = kStartUnix;
  // Before stores_: the database is dropped after the store is closed.
  std::optional<erpsync::testing::TestPostgresDatabase> postgres_;
  std::unique_ptr<Store> stores_;
};

// Runs the StoreTest suite `suite` on every backend.
#define INSTANTIATE_STORE_TEST_SUITE_P(suite)                                      \
  INSTANTIATE_TEST_SUITE_P(, suite,                                                \
                           ::testing::ValuesIn(::erpsync::server::testing::kStoreBackends), \
                           ::erpsync::server::testing::StoreKindParamName)


// Job (JC): key "job", a description and a money amount.
inline RecordSchema JobSchema(const std::string& entity_id = "jc_job") {
  RecordSchema schema(entity_id, "Job (JC)", "JC",
                      {{"job", FieldType::kText, 0},
                       {"description", FieldType::kText, 0},
                       {"amount", FieldType::kMoney, 2}},
                      {"job"});
  EXPECT_OK(schema.Finalize());
  return schema;
}

// A record that owns its bytes, for building batches in tests; Views()
// turns a batch into the IncomingRecords that ApplyBatch takes.
struct TestRecord {
  std::string key;
  std::string values;
  uint64_t content_hash = 0;
  bool deleted = false;
};

// Views of `records`, valid while they are.
inline std::vector<IncomingRecord> Views(const std::vector<TestRecord>& records) {
  std::vector<IncomingRecord> views;
  views.reserve(records.size());
  for (const TestRecord& record : records) {
    views.push_back({record.key, record.values, record.content_hash, record.deleted});
  }
  return views;
}

// A live record of JobSchema-like schemas (first three fields: text, text,
// money); extra fields of a wider schema are null.
inline TestRecord JobRecord(const RecordSchema& schema, const std::string& job,
                            const std::string& description, int64_t amount_cents = 0) {
  RecordWriter writer(&schema);
  writer.Begin();
  writer.PutText(job);
  writer.PutText(description);
  writer.PutInt(amount_cents);
  while (writer.fields_put() < schema.fields().size()) writer.PutNull();
  TestRecord record;
  record.key = job;
  record.values = std::string(writer.Finish());
  record.content_hash = ContentHash(schema, record.values);
  return record;
}

inline TestRecord DeletedRecord(const std::string& key) {
  TestRecord record;
  record.key = key;
  record.deleted = true;
  return record;
}

}  // namespace erpsync::server::testing

#endif  // ERPSYNC_TESTS_SERVER_STORE_STORE_TEST_UTIL_H_
