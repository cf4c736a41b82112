// Shared fixtures of the store tests: a Database on a real SQLite file in a
// temp dir with a pinned clock, and builders for schemas and records.
#ifndef ERPSYNC_TESTS_SERVER_STORE_STORE_TEST_UTIL_H_
#define ERPSYNC_TESTS_SERVER_STORE_STORE_TEST_UTIL_H_

#include <gtest/gtest.h>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "common/record_codec.h"
#include "common/record_schema.h"
#include "server/store/database.h"
#include "server/store/store_types.h"
#include "tests/support/status_matchers.h"
#include "tests/support/temp_dir.h"

namespace erpsync::server::testing {

inline constexpr int64_t kStartUnix = 1'700'000'000;

// A fresh database file per test, with a clock the test moves by hand.
class StoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    DatabaseOptions options;
    options.clock = [this] { return now_; };
    ASSERT_OK_AND_ASSIGN(database_, Database::Open(path(), options));
  }

  std::string path() const { return dir_.File("server.db"); }

  erpsync::testing::TempDir dir_;
  int64_t now_ = kStartUnix;
  std::unique_ptr<Database> database_;
};

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
