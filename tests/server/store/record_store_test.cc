#include "server/store/record_store.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <map>
#include <memory>
#include <ostream>
#include <random>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "common/entity_checksum.h"
#include "common/record_codec.h"
#include "server/store/directory_store.h"
#include "tests/server/store/second_server_store.h"
#include "tests/server/store/store_test_util.h"
#include "tests/support/status_matchers.h"

namespace erpsync::server {

// gtest finds it by argument-dependent lookup.
void PrintTo(const ApplyCounts& counts, std::ostream* out) {
  *out << "{inserted " << counts.inserted << ", updated " << counts.updated << ", unchanged "
       << counts.unchanged << ", deleted " << counts.deleted << "}";
}

namespace {

using ::testing::Eq;

using testing::DeletedRecord;
using testing::JobRecord;
using testing::JobSchema;
using testing::StoreTest;
using testing::TestRecord;
using testing::Views;

ApplyCounts Counts(uint32_t inserted, uint32_t updated, uint32_t unchanged, uint32_t deleted) {
  ApplyCounts counts;
  counts.inserted = inserted;
  counts.updated = updated;
  counts.unchanged = unchanged;
  counts.deleted = deleted;
  return counts;
}

class RecordStoreTest : public StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    DirectoryStore& directory = stores_->directory();
    Result<Company> company = directory.AddCompany("Acme");
    ASSERT_OK(company);
    Result<Connection> connection = directory.EnsureConnection(company->id, "sage300");
    ASSERT_OK(connection);
    connection_id_ = connection->id;
    store_ = &stores_->records();
    schema_ = JobSchema();
    ASSERT_OK_AND_ASSIGN(entity_, store_->OpenEntity(connection_id_, schema_));
  }

  ApplyCounts MustApply(const std::vector<TestRecord>& records) {
    Result<ApplyCounts> counts = store_->ApplyBatch(entity_.id, entity_.schema_id, Views(records));
    EXPECT_OK(counts);
    return counts.ok() ? *counts : ApplyCounts{};
  }

  EntityState MustGetEntity() {
    Result<EntityState> entity = store_->GetEntity(connection_id_, schema_.entity_id());
    EXPECT_OK(entity);
    return entity.ok() ? *entity : EntityState{};
  }

  // The keys of the live records, read page by page.
  std::vector<std::string> LiveKeysByPages(int page_size) {
    std::vector<std::string> keys;
    std::string after;
    do {
      Result<RecordPage> page = store_->ListRecords(entity_.id, after, page_size, false);
      EXPECT_OK(page);
      if (!page.ok()) break;
      for (const StoredRecord& record : page->records) keys.push_back(record.key);
      after = page->next_after_key;
    } while (!after.empty());
    return keys;
  }

  std::vector<StoredRecord> AllRecords(bool include_deleted = true) {
    Result<RecordPage> page =
        store_->ListRecords(entity_.id, "", RecordStore::kMaxPageSize, include_deleted);
    EXPECT_OK(page);
    return page.ok() ? page->records : std::vector<StoredRecord>{};
  }

  // The maintained figures equal the recomputed ones.
  void ExpectChecksumConsistent() {
    const EntityState maintained = MustGetEntity();
    Result<EntityState> recomputed = store_->RecomputeChecksum(entity_.id);
    ASSERT_OK(recomputed);
    EXPECT_EQ(maintained.live_count, recomputed->live_count);
    EXPECT_EQ(maintained.deleted_count, recomputed->deleted_count);
    EXPECT_EQ(maintained.checksum, recomputed->checksum);
  }

  uint64_t MustBeginPass() {
    Result<uint64_t> generation = store_->BeginPass(entity_.id);
    EXPECT_OK(generation);
    return generation.ok() ? *generation : 0;
  }

  int64_t connection_id_ = 0;
  RecordStore* store_ = nullptr;
  RecordSchema schema_;
  EntityState entity_;
};

TEST_P(RecordStoreTest, OpenEntityCreatesEntityWithItsSchema) {
  EXPECT_GT(entity_.id, 0);
  EXPECT_EQ(entity_.connection_id, connection_id_);
  EXPECT_EQ(entity_.entity_id, "jc_job");
  EXPECT_GT(entity_.schema_id, 0);
  EXPECT_EQ(entity_.schema, schema_);
  EXPECT_EQ(entity_.schema.fingerprint(), schema_.fingerprint());
  EXPECT_EQ(entity_.generation, 0u);
  EXPECT_EQ(entity_.open_pass, 0u);
  EXPECT_EQ(entity_.live_count, 0u);
  EXPECT_EQ(entity_.deleted_count, 0u);
  EXPECT_EQ(entity_.checksum, 0u);
  EXPECT_EQ(entity_.last_synced_unix, 0);
}

TEST_P(RecordStoreTest, ReopeningWithTheSameSchemaReusesIt) {
  Result<EntityState> again = store_->OpenEntity(connection_id_, JobSchema());
  ASSERT_OK(again);
  EXPECT_EQ(again->id, entity_.id);
  EXPECT_EQ(again->schema_id, entity_.schema_id);
}

TEST_P(RecordStoreTest, OpenEntityErrors) {
  Result<EntityState> no_connection = store_->OpenEntity(connection_id_ + 50, JobSchema());
  ASSERT_THAT(no_connection, StatusIs(StatusCode::kNotFound,
                                      Eq("connection " + std::to_string(connection_id_ + 50) +
                                         " does not exist")));
  RecordSchema keyless("jc_job", "Job (JC)", "JC", {{"job", FieldType::kText, 0}}, {});
  Result<EntityState> invalid = store_->OpenEntity(connection_id_, keyless);
  ASSERT_THAT(invalid, StatusIs(StatusCode::kInvalidArgument,
                                Eq("schema of entity 'jc_job' has no key fields")));
}

TEST_P(RecordStoreTest, AddingAndRemovingFieldsIsAccepted) {
  RecordSchema wider("jc_job", "Job (JC)", "JC",
                     {{"job", FieldType::kText, 0},
                      {"amount", FieldType::kMoney, 2},
                      {"manager", FieldType::kText, 0}},
                     {"job"});
  ASSERT_OK_AND_ASSIGN(const EntityState changed, store_->OpenEntity(connection_id_, wider));
  EXPECT_EQ(changed.id, entity_.id);
  EXPECT_NE(changed.schema_id, entity_.schema_id);
  ASSERT_OK_AND_ASSIGN(const EntityState back, store_->OpenEntity(connection_id_, JobSchema()));
  EXPECT_EQ(back.schema_id, entity_.schema_id) << "a schema seen before is reused";
}

TEST_P(RecordStoreTest, ChangingTheTypeOfAFieldIsRefused) {
  RecordSchema retyped("jc_job", "Job (JC)", "JC",
                       {{"job", FieldType::kText, 0},
                        {"description", FieldType::kInteger, 0},
                        {"amount", FieldType::kMoney, 2}},
                       {"job"});
  EXPECT_THAT(store_->OpenEntity(connection_id_, retyped),
              StatusIs(StatusCode::kFailedPrecondition,
                       Eq("schema of entity 'jc_job' changes field 'description' from TEXT to "
                          "INTEGER; records keep the type they were written with, so a new type "
                          "needs a new field name")));
  RecordSchema rescaled("jc_job", "Job (JC)", "JC",
                        {{"job", FieldType::kText, 0}, {"amount", FieldType::kMoney, 4}}, {"job"});
  EXPECT_THAT(store_->OpenEntity(connection_id_, rescaled),
              StatusIs(StatusCode::kFailedPrecondition,
                       Eq("schema of entity 'jc_job' changes field 'amount' from MONEY scale 2 "
                          "to MONEY scale 4; records keep the type they were written with, so a "
                          "new type needs a new field name")));
  EXPECT_EQ(MustGetEntity().schema_id, entity_.schema_id) << "the current schema stays";
}

TEST_P(RecordStoreTest, AFieldRemovedAndAddedBackKeepsItsType) {
  RecordSchema without("jc_job", "Job (JC)", "JC",
                       {{"job", FieldType::kText, 0}, {"description", FieldType::kText, 0}},
                       {"job"});
  ASSERT_OK(store_->OpenEntity(connection_id_, without));
  RecordSchema back_as_text("jc_job", "Job (JC)", "JC",
                            {{"job", FieldType::kText, 0},
                             {"description", FieldType::kText, 0},
                             {"amount", FieldType::kText, 0}},
                            {"job"});
  EXPECT_THAT(store_->OpenEntity(connection_id_, back_as_text),
              StatusIs(StatusCode::kFailedPrecondition,
                       Eq("schema of entity 'jc_job' changes field 'amount' from MONEY scale 2 "
                          "to TEXT; records keep the type they were written with, so a new type "
                          "needs a new field name")));
}

TEST_P(RecordStoreTest, CountsInsertsUpdatesUnchangedAndDeletes) {
  EXPECT_EQ(MustApply({JobRecord(schema_, "100", "Main St"), JobRecord(schema_, "200", "Elm"),
                       JobRecord(schema_, "300", "Oak")}),
            Counts(3, 0, 0, 0));
  now_ += 100;
  EXPECT_EQ(MustApply({JobRecord(schema_, "100", "Main St"),        // unchanged
                       JobRecord(schema_, "200", "Elm Avenue"),     // updated
                       DeletedRecord("300"),                        // deleted
                       JobRecord(schema_, "400", "Pine", 12345)}),  // inserted
            Counts(1, 1, 1, 1));
  const EntityState entity = MustGetEntity();
  EXPECT_EQ(entity.live_count, 3u);
  EXPECT_EQ(entity.deleted_count, 1u);
  EXPECT_EQ(entity.last_synced_unix, testing::kStartUnix + 100);

  const std::vector<StoredRecord> records = AllRecords();
  ASSERT_EQ(records.size(), 4u);
  EXPECT_EQ(records[0].key, "100");
  EXPECT_EQ(records[0].updated_unix, testing::kStartUnix) << "unchanged: not rewritten";
  EXPECT_EQ(records[1].key, "200");
  EXPECT_EQ(records[1].values, JobRecord(schema_, "200", "Elm Avenue").values);
  EXPECT_EQ(records[1].content_hash, JobRecord(schema_, "200", "Elm Avenue").content_hash);
  EXPECT_EQ(records[1].updated_unix, testing::kStartUnix + 100);
  EXPECT_EQ(records[2].key, "300");
  EXPECT_TRUE(records[2].deleted);
  EXPECT_EQ(records[2].values, JobRecord(schema_, "300", "Oak").values)
      << "a deleted record keeps its last values";
  EXPECT_EQ(records[3].key, "400");
  EXPECT_EQ(records[3].schema_id, entity_.schema_id);
  ExpectChecksumConsistent();
}

TEST_P(RecordStoreTest, ChecksumMatchesTheAgentsComputation) {
  const std::vector<TestRecord> records = {JobRecord(schema_, "A", "one"),
                                           JobRecord(schema_, "B", "two", -5)};
  MustApply(records);
  EntityChecksum expected;
  for (const TestRecord& record : records) expected.Add(record.key, record.content_hash);
  const EntityState entity = MustGetEntity();
  EXPECT_EQ(entity.checksum, expected.value());
  EXPECT_EQ(entity.live_count, expected.count());
}

TEST_P(RecordStoreTest, ReplayingABatchChangesNothing) {
  const std::vector<TestRecord> batch = {JobRecord(schema_, "100", "Main St"),
                                         JobRecord(schema_, "200", "Elm"), DeletedRecord("300")};
  MustBeginPass();
  EXPECT_EQ(MustApply(batch), Counts(2, 0, 1, 0));
  const EntityState before = MustGetEntity();
  const std::vector<StoredRecord> records_before = AllRecords();
  now_ += 3600;
  EXPECT_EQ(MustApply(batch), Counts(0, 0, 3, 0));
  const EntityState after = MustGetEntity();
  EXPECT_EQ(after.live_count, before.live_count);
  EXPECT_EQ(after.deleted_count, before.deleted_count);
  EXPECT_EQ(after.checksum, before.checksum);
  EXPECT_EQ(after.last_synced_unix, before.last_synced_unix);
  const std::vector<StoredRecord> records_after = AllRecords();
  ASSERT_EQ(records_after.size(), records_before.size());
  for (size_t i = 0; i < records_after.size(); ++i) {
    EXPECT_EQ(records_after[i].key, records_before[i].key);
    EXPECT_EQ(records_after[i].values, records_before[i].values);
    EXPECT_EQ(records_after[i].generation, records_before[i].generation);
    EXPECT_EQ(records_after[i].updated_unix, records_before[i].updated_unix);
  }
}

TEST_P(RecordStoreTest, UnchangedRecordOfANewPassOnlyGetsItsGenerationRestamped) {
  EXPECT_EQ(MustBeginPass(), 1u);
  MustApply({JobRecord(schema_, "100", "Main St")});
  EXPECT_EQ(AllRecords()[0].generation, 1u);
  EXPECT_EQ(MustBeginPass(), 2u);
  now_ += 60;
  EXPECT_EQ(MustApply({JobRecord(schema_, "100", "Main St")}), Counts(0, 0, 1, 0));
  const StoredRecord record = AllRecords()[0];
  EXPECT_EQ(record.generation, 2u);
  EXPECT_EQ(record.updated_unix, testing::kStartUnix) << "content did not change";
  ExpectChecksumConsistent();
}

TEST_P(RecordStoreTest, DeletedRecordThatReappearsIsRevivedAsInserted) {
  MustApply({JobRecord(schema_, "100", "Main St")});
  EXPECT_EQ(MustApply({DeletedRecord("100")}), Counts(0, 0, 0, 1));
  EXPECT_EQ(MustGetEntity().live_count, 0u);
  EXPECT_EQ(MustApply({JobRecord(schema_, "100", "Main St")}), Counts(1, 0, 0, 0));
  const EntityState entity = MustGetEntity();
  EXPECT_EQ(entity.live_count, 1u);
  EXPECT_EQ(entity.deleted_count, 0u);
  EXPECT_FALSE(AllRecords()[0].deleted);
  ExpectChecksumConsistent();
}

TEST_P(RecordStoreTest, DeletingUnknownOrDeletedRecordsCountsUnchanged) {
  MustApply({JobRecord(schema_, "100", "Main St")});
  EXPECT_EQ(MustApply({DeletedRecord("100"), DeletedRecord("100"), DeletedRecord("999")}),
            Counts(0, 0, 2, 1));
  EXPECT_EQ(AllRecords().size(), 1u) << "deleting an unknown key stores nothing";
  ExpectChecksumConsistent();
}

TEST_P(RecordStoreTest, RepeatedKeyInOneBatchEndsAsItsLastOccurrence) {
  EXPECT_EQ(MustApply({JobRecord(schema_, "100", "first"), JobRecord(schema_, "100", "second"),
                       JobRecord(schema_, "100", "second")}),
            Counts(1, 1, 1, 0));
  const std::vector<StoredRecord> records = AllRecords();
  ASSERT_EQ(records.size(), 1u);
  EXPECT_EQ(records[0].values, JobRecord(schema_, "100", "second").values);
  ExpectChecksumConsistent();
}

TEST_P(RecordStoreTest, ApplyBatchErrorsStoreNothing) {
  Result<ApplyCounts> unknown_entity =
      store_->ApplyBatch(entity_.id + 10, entity_.schema_id, Views({JobRecord(schema_, "1", "x")}));
  ASSERT_THAT(unknown_entity,
              StatusIs(StatusCode::kNotFound,
                       Eq("entity " + std::to_string(entity_.id + 10) + " does not exist")));

  Result<EntityState> other = store_->OpenEntity(connection_id_, JobSchema("jc_extra"));
  ASSERT_OK(other);
  Result<ApplyCounts> foreign_schema =
      store_->ApplyBatch(entity_.id, other->schema_id, Views({JobRecord(schema_, "1", "x")}));
  ASSERT_THAT(foreign_schema,
              StatusIs(StatusCode::kInvalidArgument,
                       Eq("schema " + std::to_string(other->schema_id) +
                          " is not a schema of entity " + std::to_string(entity_.id))));

  const TestRecord keyless = JobRecord(schema_, "", "no key");
  Result<ApplyCounts> empty_key = store_->ApplyBatch(
      entity_.id, entity_.schema_id, Views({JobRecord(schema_, "1", "x"), keyless}));
  ASSERT_THAT(empty_key, StatusIs(StatusCode::kInvalidArgument,
                                  Eq("record 1 of the batch for entity " +
                                     std::to_string(entity_.id) + " has an empty key")));
  EXPECT_TRUE(AllRecords().empty());
  EXPECT_EQ(MustGetEntity().live_count, 0u);
}

TEST_P(RecordStoreTest, PassLifecycle) {
  EXPECT_EQ(MustBeginPass(), 1u);
  EXPECT_EQ(MustGetEntity().open_pass, 1u);
  EXPECT_OK(store_->ResumePass(entity_.id, 1));
  MustApply(
      {JobRecord(schema_, "A", "a"), JobRecord(schema_, "B", "b"), JobRecord(schema_, "C", "c")});
  Result<uint64_t> closed = store_->ClosePass(entity_.id, 1);
  ASSERT_OK(closed);
  EXPECT_EQ(*closed, 0u);
  EXPECT_EQ(MustGetEntity().open_pass, 0u);
  EXPECT_EQ(store_->ResumePass(entity_.id, 1),
            FailedPreconditionError("pass 1 of jc_job is no longer open; start a new deep sync"));

  // Pass 2 sees A and C only; an incremental record D arrives meanwhile.
  EXPECT_EQ(MustBeginPass(), 2u);
  now_ += 10;
  MustApply({JobRecord(schema_, "A", "a"), JobRecord(schema_, "C", "c changed"),
             JobRecord(schema_, "D", "d")});
  closed = store_->ClosePass(entity_.id, 2);
  ASSERT_OK(closed);
  EXPECT_EQ(*closed, 1u);
  const std::vector<StoredRecord> records = AllRecords();
  ASSERT_EQ(records.size(), 4u);
  EXPECT_FALSE(records[0].deleted);
  EXPECT_TRUE(records[1].deleted) << "B was not seen by pass 2";
  EXPECT_EQ(records[1].updated_unix, testing::kStartUnix + 10);
  EXPECT_FALSE(records[2].deleted);
  EXPECT_FALSE(records[3].deleted);
  const EntityState entity = MustGetEntity();
  EXPECT_EQ(entity.generation, 2u);
  EXPECT_EQ(entity.live_count, 3u);
  EXPECT_EQ(entity.deleted_count, 1u);
  ExpectChecksumConsistent();
}

TEST_P(RecordStoreTest, BeginPassReplacesTheOpenPass) {
  EXPECT_EQ(MustBeginPass(), 1u);
  EXPECT_EQ(MustBeginPass(), 2u);
  EXPECT_EQ(store_->ResumePass(entity_.id, 1),
            FailedPreconditionError("pass 1 of jc_job is no longer open; start a new deep sync"));
  EXPECT_OK(store_->ResumePass(entity_.id, 2));
}

TEST_P(RecordStoreTest, ClosingAPassThatIsNotOpenIsRefusedAndDeletesNothing) {
  MustApply({JobRecord(schema_, "A", "a")});
  Result<uint64_t> never_opened = store_->ClosePass(entity_.id, 1);
  ASSERT_THAT(never_opened,
              StatusIs(StatusCode::kFailedPrecondition,
                       Eq("pass 1 of jc_job is no longer open; start a new deep sync")));
  EXPECT_EQ(MustBeginPass(), 1u);
  EXPECT_EQ(MustBeginPass(), 2u);
  Result<uint64_t> stale = store_->ClosePass(entity_.id, 1);
  ASSERT_THAT(stale, StatusIs(StatusCode::kFailedPrecondition));
  Result<uint64_t> zero = store_->ClosePass(entity_.id, 0);
  ASSERT_THAT(zero, StatusIs(StatusCode::kFailedPrecondition));
  EXPECT_EQ(MustGetEntity().live_count, 1u);
  EXPECT_FALSE(AllRecords()[0].deleted);
}

TEST_P(RecordStoreTest, AStreamSupersededInItsPassCanNoLongerWriteIntoIt) {
  const uint64_t pass = MustBeginPass();
  // The agent's first stream (on one server) takes the pass and writes.
  ASSERT_OK_AND_ASSIGN(const uint64_t first, store_->TakePass(entity_.id, pass));
  const std::vector<TestRecord> early = {JobRecord(schema_, "A", "first stream")};
  ASSERT_OK(store_->ApplyBatch(entity_.id, entity_.schema_id, Views(early), {}, first));
  // The agent reconnects (maybe to another server) and resumes the pass.
  ASSERT_OK_AND_ASSIGN(const uint64_t second, store_->TakePass(entity_.id, pass));
  EXPECT_GT(second, first);
  const std::vector<TestRecord> newer = {JobRecord(schema_, "A", "second stream")};
  ASSERT_OK(store_->ApplyBatch(entity_.id, entity_.schema_id, Views(newer), {}, second));
  // A batch of the first stream still in flight is refused, and changes
  // nothing; so is its end of the pass.
  const std::vector<TestRecord> late = {JobRecord(schema_, "A", "first stream, late"),
                                        JobRecord(schema_, "B", "first stream, late")};
  const std::string taken_over = "pass " + std::to_string(pass) +
                                 " of jc_job was taken over by another stream (epoch " +
                                 std::to_string(first) + ", now " + std::to_string(second) + ")";
  EXPECT_THAT(store_->ApplyBatch(entity_.id, entity_.schema_id, Views(late), {}, first),
              StatusIs(StatusCode::kAborted, Eq(taken_over)));
  EXPECT_THAT(store_->ClosePass(entity_.id, pass, first),
              StatusIs(StatusCode::kAborted, Eq(taken_over)));
  ASSERT_EQ(AllRecords().size(), 1u);
  EXPECT_EQ(MustGetEntity().open_pass, pass);
  // Writes outside a pass name no epoch and are not affected.
  ASSERT_OK(store_->ApplyBatch(entity_.id, entity_.schema_id, Views(newer)));
  EXPECT_OK(store_->ClosePass(entity_.id, pass, second));
  // A pass no longer open cannot be taken.
  EXPECT_THAT(store_->TakePass(entity_.id, pass),
              StatusIs(StatusCode::kFailedPrecondition,
                       Eq("pass " + std::to_string(pass) +
                          " of jc_job is no longer open; start a new deep sync")));
  ExpectChecksumConsistent();
}

TEST_P(RecordStoreTest, PassCallsOnUnknownEntityAreNotFound) {
  const int64_t missing = entity_.id + 99;
  const Status not_found = NotFoundError("entity " + std::to_string(missing) + " does not exist");
  EXPECT_EQ(store_->BeginPass(missing).status(), not_found);
  EXPECT_EQ(store_->ResumePass(missing, 1), not_found);
  EXPECT_EQ(store_->ClosePass(missing, 1).status(), not_found);
  EXPECT_EQ(store_->TakePass(missing, 1).status(), not_found);
  EXPECT_EQ(store_->RecomputeChecksum(missing).status(), not_found);
  EXPECT_EQ(store_->ListRecords(missing, "", 10, false).status(), not_found);
}

TEST_P(RecordStoreTest, RunningChecksumEqualsRecomputeAfterRandomOperations) {
  std::mt19937 random(20240501);
  std::map<std::string, TestRecord> live;  // the model
  uint64_t open_pass = 0;
  std::map<std::string, uint64_t> stamped;  // key -> generation, live records
  uint64_t generation = 0;
  for (int round = 0; round < 60; ++round) {
    const int action = static_cast<int>(random() % 10);
    if (action == 0) {
      generation = MustBeginPass();
      open_pass = generation;
    } else if (action == 1 && open_pass != 0) {
      Result<uint64_t> closed = store_->ClosePass(entity_.id, open_pass);
      ASSERT_OK(closed);
      uint64_t expected = 0;
      for (auto it = live.begin(); it != live.end();) {
        if (stamped[it->first] < open_pass) {
          ++expected;
          it = live.erase(it);
        } else {
          ++it;
        }
      }
      EXPECT_EQ(*closed, expected);
      open_pass = 0;
    } else {
      std::vector<TestRecord> batch;
      const int size = 1 + static_cast<int>(random() % 40);
      for (int i = 0; i < size; ++i) {
        const std::string key = "K" + std::to_string(random() % 80);
        if (random() % 5 == 0) {
          batch.push_back(DeletedRecord(key));
          live.erase(key);
        } else {
          batch.push_back(JobRecord(schema_, key, "v" + std::to_string(random() % 3)));
          live[key] = batch.back();
          stamped[key] = generation;
        }
      }
      MustApply(batch);
    }
    ExpectChecksumConsistent();
    if (::testing::Test::HasFailure()) return;
  }
  EntityChecksum model;
  for (const auto& [key, record] : live) model.Add(key, record.content_hash);
  const EntityState entity = MustGetEntity();
  EXPECT_EQ(entity.live_count, model.count());
  EXPECT_EQ(entity.checksum, model.value());
}

TEST_P(RecordStoreTest, LargeBatchOfNewRecordsIsStoredCompletely) {
  std::vector<TestRecord> batch;
  for (int i = 0; i < 1000; ++i) {
    batch.push_back(JobRecord(schema_, "J" + std::to_string((i * 7919) % 1000), "job"));
  }
  EXPECT_EQ(MustApply(batch), Counts(1000, 0, 0, 0));
  EXPECT_EQ(AllRecords().size(), 1000u);
  ExpectChecksumConsistent();
  EXPECT_EQ(MustApply(batch), Counts(0, 0, 1000, 0)) << "replay";
}

// Decimal row ids as keys interleave in text order ("5", "50", "500"), so
// a deep sync's batches of new keys have stored keys among them: the bulk
// path inserts the new ones and applies the others one by one.
TEST_P(RecordStoreTest, BulkPathStoresNewKeysAmongStoredOnes) {
  std::vector<TestRecord> first;
  for (int id = 1; id <= 99; ++id) first.push_back(JobRecord(schema_, std::to_string(id), "a"));
  EXPECT_EQ(MustApply(first), Counts(99, 0, 0, 0));
  std::vector<TestRecord> second;
  for (int id = 100; id <= 999; ++id) {
    second.push_back(JobRecord(schema_, std::to_string(id), "a"));
  }
  // Known keys inside the new range: 10 changed, 10 unchanged.
  for (int id = 10; id < 20; ++id) second.push_back(JobRecord(schema_, std::to_string(id), "b"));
  for (int id = 20; id < 30; ++id) second.push_back(JobRecord(schema_, std::to_string(id), "a"));
  EXPECT_EQ(MustApply(second), Counts(900, 10, 10, 0));
  EXPECT_EQ(AllRecords().size(), 999u);
  ExpectChecksumConsistent();
}

// Large batches of new records take a bulk path (multi-row inserts in key
// order); small batches go record by record, and the record path guesses
// from the previous record (insert first, restamp first, look up first).
// Whole and cut-up batches must end in the same state with the same counts,
// whatever mix of new, known, changed, repeated and interleaved keys and
// passes they hold.
TEST_P(RecordStoreTest, BulkPathMatchesRecordByRecordPath) {
  Result<EntityState> twin = store_->OpenEntity(connection_id_, JobSchema("jc_job_twin"));
  ASSERT_OK(twin);
  std::mt19937 random(77);
  std::vector<std::string> known;
  const auto fresh_key = [&] {
    char key[16];
    std::snprintf(key, sizeof(key), "K%07u", static_cast<unsigned>(random() % 10'000'000));
    return std::string(key);
  };
  for (int round = 0; round < 30; ++round) {
    // Mostly distinct keys, a third of them known; every 6th batch repeats
    // keys, every 6th has deletions, every 6th has only new keys beyond the
    // stored ones, every 6th only new keys among them.
    const bool beyond = round % 6 == 0;
    const bool among = round % 6 == 1;
    const bool repeats = round % 6 == 5;
    const bool with_deletions = round % 6 == 4;
    if (round % 4 == 3) {
      // A new pass: known records with unchanged content get restamped.
      ASSERT_OK(store_->BeginPass(entity_.id));
      ASSERT_OK(store_->BeginPass(twin->id));
    }
    std::vector<TestRecord> batch;
    std::set<std::string> in_batch;
    const int size = 16 + static_cast<int>(random() % 400);
    for (int i = 0; i < size; ++i) {
      std::string key;
      do {
        if (beyond) {
          key = "Z" + std::to_string(round) + fresh_key();
        } else if (among || known.empty() || random() % 3 != 0) {
          key = fresh_key();
        } else {
          key = known[random() % known.size()];
        }
      } while (!repeats && !in_batch.insert(key).second);
      known.push_back(key);
      if (with_deletions && random() % 4 == 0) {
        batch.push_back(DeletedRecord(key));
      } else {
        batch.push_back(JobRecord(schema_, key, "v" + std::to_string(random() % 2)));
      }
    }
    Result<ApplyCounts> whole = store_->ApplyBatch(entity_.id, entity_.schema_id, Views(batch));
    ASSERT_OK(whole);
    ApplyCounts pieces;
    for (size_t first = 0; first < batch.size(); first += 10) {
      const std::vector<TestRecord> piece(
          batch.begin() + static_cast<std::ptrdiff_t>(first),
          batch.begin() + static_cast<std::ptrdiff_t>(std::min(first + 10, batch.size())));
      Result<ApplyCounts> counts = store_->ApplyBatch(twin->id, twin->schema_id, Views(piece));
      ASSERT_OK(counts);
      pieces.inserted += counts->inserted;
      pieces.updated += counts->updated;
      pieces.unchanged += counts->unchanged;
      pieces.deleted += counts->deleted;
    }
    ASSERT_EQ(*whole, pieces) << "round " << round;
  }
  Result<RecordPage> bulk = store_->ListRecords(entity_.id, "", RecordStore::kMaxPageSize, true);
  Result<RecordPage> single = store_->ListRecords(twin->id, "", RecordStore::kMaxPageSize, true);
  ASSERT_OK(bulk);
  ASSERT_OK(single);
  ASSERT_EQ(bulk->records.size(), single->records.size());
  for (size_t i = 0; i < bulk->records.size(); ++i) {
    const StoredRecord& a = bulk->records[i];
    const StoredRecord& b = single->records[i];
    EXPECT_EQ(a.key, b.key);
    EXPECT_EQ(a.values, b.values) << a.key;
    EXPECT_EQ(a.content_hash, b.content_hash) << a.key;
    EXPECT_EQ(a.deleted, b.deleted) << a.key;
    EXPECT_EQ(a.generation, b.generation) << a.key;
  }
  ExpectChecksumConsistent();
  Result<EntityState> twin_state = store_->RecomputeChecksum(twin->id);
  ASSERT_OK(twin_state);
  EXPECT_EQ(MustGetEntity().checksum, twin_state->checksum);
}

TEST_P(RecordStoreTest, SchemaChangeKeepsOldRecordsDecodableWithTheirOwnSchema) {
  MustApply({JobRecord(schema_, "100", "Main St", 150)});
  RecordSchema wider("jc_job", "Job (JC)", "JC",
                     {{"job", FieldType::kText, 0},
                      {"description", FieldType::kText, 0},
                      {"amount", FieldType::kMoney, 2},
                      {"city", FieldType::kText, 0}},
                     {"job"});
  ASSERT_OK(wider.Finalize());
  Result<EntityState> reopened = store_->OpenEntity(connection_id_, wider);
  ASSERT_OK(reopened);
  EXPECT_EQ(reopened->id, entity_.id);
  EXPECT_NE(reopened->schema_id, entity_.schema_id);
  EXPECT_EQ(reopened->schema, wider);
  Result<ApplyCounts> counts = store_->ApplyBatch(reopened->id, reopened->schema_id,
                                                  Views({JobRecord(wider, "200", "Elm", 99)}));
  ASSERT_OK(counts);

  const std::vector<StoredRecord> records = AllRecords();
  ASSERT_EQ(records.size(), 2u);
  EXPECT_EQ(records[0].schema_id, entity_.schema_id);
  EXPECT_EQ(records[1].schema_id, reopened->schema_id);
  for (const StoredRecord& record : records) {
    Result<RecordSchema> schema = store_->GetSchema(record.schema_id);
    ASSERT_OK(schema);
    std::vector<FieldValue> values;
    ASSERT_OK(DecodeRecord(*schema, record.values, &values)) << record.key;
    EXPECT_EQ(values.size(), schema->fields().size());
    EXPECT_EQ(std::get<std::string>(values[0]), record.key);
    EXPECT_EQ(ContentHash(*schema, record.values), record.content_hash);
  }
  // Going back to the old schema reuses its row.
  Result<EntityState> back = store_->OpenEntity(connection_id_, JobSchema());
  ASSERT_OK(back);
  EXPECT_EQ(back->schema_id, entity_.schema_id);
}

TEST_P(RecordStoreTest, ListRecordsPagesInKeyOrder) {
  std::vector<TestRecord> batch;
  for (int i = 24; i >= 0; --i) {
    char key[8];
    std::snprintf(key, sizeof(key), "J%02d", i);
    batch.push_back(JobRecord(schema_, key, "job"));
  }
  MustApply(batch);
  MustApply({DeletedRecord("J03"), DeletedRecord("J12")});

  std::vector<std::string> seen;
  std::string after;
  int pages = 0;
  do {
    Result<RecordPage> page = store_->ListRecords(entity_.id, after, 10, false);
    ASSERT_OK(page);
    for (const StoredRecord& record : page->records) {
      EXPECT_FALSE(record.deleted);
      seen.push_back(record.key);
    }
    after = page->next_after_key;
    ++pages;
  } while (!after.empty());
  EXPECT_EQ(pages, 3);
  ASSERT_EQ(seen.size(), 23u);
  EXPECT_TRUE(std::is_sorted(seen.begin(), seen.end()));
  EXPECT_EQ(seen.front(), "J00");
  EXPECT_EQ(seen.back(), "J24");

  Result<RecordPage> with_deleted = store_->ListRecords(entity_.id, "J02", 2, true);
  ASSERT_OK(with_deleted);
  ASSERT_EQ(with_deleted->records.size(), 2u);
  EXPECT_EQ(with_deleted->records[0].key, "J03");
  EXPECT_TRUE(with_deleted->records[0].deleted);
  EXPECT_EQ(with_deleted->next_after_key, "J04");

  Result<RecordPage> exact = store_->ListRecords(entity_.id, "J20", 4, false);
  ASSERT_OK(exact);
  EXPECT_EQ(exact->records.size(), 4u);
  EXPECT_EQ(exact->next_after_key, "") << "no page after an exactly full last page";
}

TEST_P(RecordStoreTest, IntegerKeysPageInNumericOrderBeforeTextKeys) {
  // Row ids as Sage hands them out, and a few keys that only look numeric.
  // 20 records take the bulk path, the later single ones the per-record one.
  std::vector<TestRecord> batch;
  for (int id = 20; id >= 1; --id) batch.push_back(JobRecord(schema_, std::to_string(id * 5), "j"));
  MustApply(batch);
  MustApply({JobRecord(schema_, "007", "text"), JobRecord(schema_, "-3", "negative"),
             JobRecord(schema_, "abc", "text"), JobRecord(schema_, "0", "zero")});
  EXPECT_EQ(MustApply({JobRecord(schema_, "10", "changed")}), Counts(0, 1, 0, 0))
      << "a stored integer key is found again";
  EXPECT_EQ(MustApply({DeletedRecord("100")}), Counts(0, 0, 0, 1));

  std::vector<std::string> expected = {"-3", "0"};
  for (int id = 1; id <= 19; ++id) expected.push_back(std::to_string(id * 5));
  expected.insert(expected.end(), {"007", "abc"});
  EXPECT_EQ(LiveKeysByPages(7), expected);

  Result<StoredRecord> ten = store_->GetRecord(entity_.id, "10");
  ASSERT_OK(ten);
  EXPECT_EQ(ten->key, "10");
  EXPECT_THAT(store_->GetRecord(entity_.id, "010"), StatusIs(StatusCode::kNotFound));
  EXPECT_THAT(store_->GetRecord(entity_.id, "7"), StatusIs(StatusCode::kNotFound))
      << "the text key 007 is not the integer 7";
  ExpectChecksumConsistent();
}

TEST_P(RecordStoreTest, BulkBatchAmongStoredIntegerKeysSkipsThemAndInsertsTheRest) {
  std::vector<TestRecord> odd;
  for (int id = 1; id <= 39; id += 2) odd.push_back(JobRecord(schema_, std::to_string(id), "odd"));
  MustApply(odd);
  // 40 keys, the first new, half of them stored already with other content.
  std::vector<TestRecord> all;
  for (int id = 40; id >= 1; --id) all.push_back(JobRecord(schema_, std::to_string(id), "all"));
  EXPECT_EQ(MustApply(all), Counts(20, 20, 0, 0));
  EXPECT_EQ(AllRecords().size(), 40u);
  ExpectChecksumConsistent();
}

// The bulk path takes a batch in stored-key order (integers numerically,
// then texts bytewise) as it comes, and sorts any other; both end alike.
TEST_P(RecordStoreTest, BulkBatchInKeyOrderOrNotIsStoredTheSame) {
  Result<EntityState> twin = store_->OpenEntity(connection_id_, JobSchema("jc_job_twin"));
  ASSERT_OK(twin);
  std::vector<TestRecord> in_order;
  for (int id = 1; id <= 300; ++id) {
    in_order.push_back(JobRecord(schema_, std::to_string(id), "j" + std::to_string(id % 7)));
  }
  for (const char* key : {"007", "A-1", "A-10", "A-2", "B"}) {
    in_order.push_back(JobRecord(schema_, key, "text"));
  }
  std::vector<TestRecord> shuffled = in_order;
  std::shuffle(shuffled.begin(), shuffled.end(), std::mt19937(5));
  EXPECT_EQ(MustApply(in_order), Counts(305, 0, 0, 0));
  Result<ApplyCounts> counts = store_->ApplyBatch(twin->id, twin->schema_id, Views(shuffled));
  ASSERT_OK(counts);
  EXPECT_EQ(*counts, Counts(305, 0, 0, 0));

  const std::vector<StoredRecord> sorted_path = AllRecords();
  Result<RecordPage> shuffled_path =
      store_->ListRecords(twin->id, "", RecordStore::kMaxPageSize, true);
  ASSERT_OK(shuffled_path);
  ASSERT_EQ(sorted_path.size(), in_order.size());
  ASSERT_EQ(shuffled_path->records.size(), in_order.size());
  for (size_t i = 0; i < in_order.size(); ++i) {
    EXPECT_EQ(sorted_path[i].key, in_order[i].key) << "key order";
    EXPECT_EQ(sorted_path[i].values, in_order[i].values) << in_order[i].key;
    EXPECT_EQ(shuffled_path->records[i].key, in_order[i].key);
    EXPECT_EQ(shuffled_path->records[i].values, in_order[i].values) << in_order[i].key;
  }
  ExpectChecksumConsistent();
  Result<EntityState> twin_state = store_->RecomputeChecksum(twin->id);
  ASSERT_OK(twin_state);
  EXPECT_EQ(twin_state->checksum, MustGetEntity().checksum);
}

// A batch in key order but for one key repeated next to itself is not
// taken as sorted: it goes record by record, and the last occurrence wins.
TEST_P(RecordStoreTest, BulkSizedBatchWithAnAdjacentRepeatEndsAsItsLastOccurrence) {
  std::vector<TestRecord> batch;
  for (int id = 1; id <= 40; ++id) {
    batch.push_back(JobRecord(schema_, std::to_string(id), "first"));
    if (id == 20) batch.push_back(JobRecord(schema_, "20", "second"));
  }
  EXPECT_EQ(MustApply(batch), Counts(40, 1, 0, 0));
  const std::vector<StoredRecord> records = AllRecords();
  ASSERT_EQ(records.size(), 40u);
  EXPECT_EQ(records[19].key, "20");
  EXPECT_EQ(records[19].values, JobRecord(schema_, "20", "second").values);
  ExpectChecksumConsistent();
}

// ApplyBatch reads the bytes its records refer to only while it runs: the
// caller may overwrite or free them as soon as it returns.
TEST_P(RecordStoreTest, BatchBytesMayBeReusedOnceApplyBatchReturns) {
  for (const int size : {3, 200}) {  // record by record, bulk
    auto owned = std::make_unique<std::vector<TestRecord>>();
    for (int i = 0; i < size; ++i) {
      owned->push_back(JobRecord(schema_, "S" + std::to_string(size) + "-" + std::to_string(i),
                                 "description " + std::to_string(i)));
    }
    const std::vector<TestRecord> expected = *owned;
    Result<ApplyCounts> counts = store_->ApplyBatch(entity_.id, entity_.schema_id, Views(*owned));
    ASSERT_OK(counts);
    EXPECT_EQ(counts->inserted, static_cast<uint32_t>(size));
    for (TestRecord& record : *owned) {
      std::fill(record.key.begin(), record.key.end(), 'X');
      std::fill(record.values.begin(), record.values.end(), '\xff');
    }
    owned.reset();
    for (const TestRecord& record : expected) {
      Result<StoredRecord> stored = store_->GetRecord(entity_.id, record.key);
      ASSERT_OK(stored);
      EXPECT_EQ(stored->values, record.values) << record.key;
      EXPECT_EQ(stored->content_hash, record.content_hash) << record.key;
    }
  }
  ExpectChecksumConsistent();
}

// A view of no bytes may carry no data pointer; the payload is still an
// empty BLOB, never NULL (the column is NOT NULL).
TEST_P(RecordStoreTest, EmptyValuesAreStoredAsAnEmptyPayload) {
  std::vector<IncomingRecord> batch(20);
  std::vector<std::string> keys;
  for (size_t i = 0; i < batch.size(); ++i) keys.push_back("E" + std::to_string(100 + i));
  for (size_t i = 0; i < batch.size(); ++i) batch[i].key = keys[i];
  ASSERT_EQ(batch[0].values.data(), nullptr);
  const std::vector<IncomingRecord> single(batch.begin(), batch.begin() + 1);
  const std::vector<IncomingRecord> bulk(batch.begin() + 1, batch.end());
  for (const std::vector<IncomingRecord>* records : {&single, &bulk}) {
    Result<ApplyCounts> counts = store_->ApplyBatch(entity_.id, entity_.schema_id, *records);
    ASSERT_OK(counts);
    EXPECT_EQ(counts->inserted, records->size());
  }
  const std::vector<StoredRecord> records = AllRecords();
  ASSERT_EQ(records.size(), batch.size());
  for (const StoredRecord& record : records) EXPECT_EQ(record.values, "") << record.key;
}

TEST_P(RecordStoreTest, ListRecordsRejectsBadPageSize) {
  EXPECT_EQ(store_->ListRecords(entity_.id, "", 0, false).status(),
            InvalidArgumentError("page size must be 1..10000, not 0"));
  EXPECT_THAT(store_->ListRecords(entity_.id, "", RecordStore::kMaxPageSize + 1, false),
              StatusIs(StatusCode::kInvalidArgument));
}

TEST_P(RecordStoreTest, ListsEntitiesOfAConnection) {
  ASSERT_OK(store_->OpenEntity(connection_id_, JobSchema("ap_vendor")));
  Result<std::vector<EntityState>> entities = store_->ListEntities(connection_id_);
  ASSERT_OK(entities);
  ASSERT_EQ(entities->size(), 2u);
  EXPECT_EQ((*entities)[0].entity_id, "ap_vendor");
  EXPECT_EQ((*entities)[1].entity_id, "jc_job");
  EXPECT_EQ(store_->ListEntities(connection_id_ + 3).status(),
            NotFoundError("connection " + std::to_string(connection_id_ + 3) + " does not exist"));
}

TEST_P(RecordStoreTest, LookupsReportMissingEntityAndSchema) {
  EXPECT_EQ(
      store_->GetEntity(connection_id_, "nope").status(),
      NotFoundError("connection " + std::to_string(connection_id_) + " has no entity 'nope'"));
  EXPECT_EQ(store_->GetSchema(entity_.schema_id + 40).status(),
            NotFoundError("schema " + std::to_string(entity_.schema_id + 40) + " does not exist"));
}

TEST_P(RecordStoreTest, StoresBinaryPayloadsAndFullWidthHashes) {
  TestRecord record;
  record.key = "bin";
  record.values = std::string("\x00\x01\xff\x00", 4);
  record.content_hash = 0xFEDCBA9876543210ull;  // above INT64_MAX
  MustApply({record});
  const std::vector<StoredRecord> records = AllRecords();
  ASSERT_EQ(records.size(), 1u);
  EXPECT_EQ(records[0].values, record.values);
  EXPECT_EQ(records[0].content_hash, record.content_hash);
  ExpectChecksumConsistent();
}

TEST_P(RecordStoreTest, TextKeysPageBytewise) {
  // Bytewise, not by a collation: upper case first, then lower case, then
  // bytes above 0x7f (UTF-8); a prefix before what extends it.
  const std::vector<std::string> expected = {"A",     "A b",   "A-1",       "A-10",
                                             "A-2",   "AB",    "Zed",       "a",
                                             "b",     "\x7f",  "\xc3\x89t\xc3\xa9", "\xff"};
  std::vector<TestRecord> batch;
  for (auto key = expected.rbegin(); key != expected.rend(); ++key) {
    batch.push_back(JobRecord(schema_, *key, "k"));
  }
  MustApply(batch);
  EXPECT_EQ(LiveKeysByPages(5), expected);
  ExpectChecksumConsistent();
}

TEST_P(RecordStoreTest, KeptKeysStampLiveRecordsOnly) {
  MustApply({JobRecord(schema_, "A", "a"), JobRecord(schema_, "B", "b"), DeletedRecord("B")});
  EXPECT_EQ(MustBeginPass(), 1u);
  now_ += 30;
  const TestRecord c = JobRecord(schema_, "C", "c");
  Result<ApplyCounts> counts = store_->ApplyBatch(entity_.id, entity_.schema_id, Views({c}),
                                                  {"A", "B", "nope", "A"});
  ASSERT_OK(counts);
  ApplyCounts expected = Counts(1, 0, 0, 0);
  expected.kept = 2;  // "A" twice; "B" is deleted, "nope" unknown
  EXPECT_EQ(*counts, expected);
  const std::vector<StoredRecord> records = AllRecords();
  ASSERT_EQ(records.size(), 3u);
  EXPECT_EQ(records[0].generation, 1u) << "kept: stamped with the open pass";
  EXPECT_EQ(records[0].updated_unix, testing::kStartUnix) << "kept as it is";
  EXPECT_EQ(records[1].generation, 0u);
  ASSERT_OK_AND_ASSIGN(const uint64_t closed, store_->ClosePass(entity_.id, 1));
  EXPECT_EQ(closed, 0u) << "A was kept, C written";
  EXPECT_EQ(MustGetEntity().last_synced_unix, testing::kStartUnix + 30);
  ExpectChecksumConsistent();
}

TEST_P(RecordStoreTest, ConcurrentBatchesOfOneEntityKeepItsTotalsExact) {
  // Four writers on overlapping keys, a pass begun and closed meanwhile:
  // each call is atomic and the calls of one entity take turns, so the
  // running totals always equal what the rows say.
  constexpr int kWriters = 4;
  constexpr int kBatches = 15;
  std::vector<Status> failures(kWriters + 1);
  std::vector<std::thread> threads;
  for (int writer = 0; writer < kWriters; ++writer) {
    threads.emplace_back([&, writer] {
      std::mt19937 random(static_cast<unsigned>(writer));
      for (int batch = 0; batch < kBatches && failures[writer].ok(); ++batch) {
        std::vector<TestRecord> records;
        for (int i = 0; i < 60; ++i) {
          const std::string key = std::to_string(random() % 150);
          if (random() % 6 == 0) {
            records.push_back(DeletedRecord(key));
          } else {
            records.push_back(JobRecord(schema_, key, "w" + std::to_string(random() % 3)));
          }
        }
        failures[writer] =
            store_->ApplyBatch(entity_.id, entity_.schema_id, Views(records)).status();
      }
    });
  }
  threads.emplace_back([&] {
    for (int i = 0; i < 5 && failures[kWriters].ok(); ++i) {
      Result<uint64_t> pass = store_->BeginPass(entity_.id);
      failures[kWriters] = pass.status();
      if (pass.ok()) failures[kWriters] = store_->ClosePass(entity_.id, *pass).status();
    }
  });
  for (std::thread& thread : threads) thread.join();
  for (const Status& failure : failures) EXPECT_OK(failure);
  EXPECT_EQ(MustGetEntity().generation, 5u);
  ExpectChecksumConsistent();
}

// A second store on the same database, as a second server process has:
// both see one set of entities, passes and records.
TEST_P(RecordStoreTest, TwoStoresOnOneDatabaseShareEntitiesAndPasses) {
  ASSERT_OK_AND_ASSIGN(const std::unique_ptr<Store> second,
                       testing::OpenSecondServerStore(GetParam(), path(), postgres_,
                                                      [this] { return now_; }));
  RecordStore& other = second->records();
  ASSERT_OK_AND_ASSIGN(const EntityState same, other.OpenEntity(connection_id_, JobSchema()));
  EXPECT_EQ(same.id, entity_.id);
  EXPECT_EQ(same.schema_id, entity_.schema_id);

  ASSERT_OK_AND_ASSIGN(const uint64_t pass, other.BeginPass(entity_.id));
  EXPECT_OK(store_->ResumePass(entity_.id, pass));
  MustApply({JobRecord(schema_, "1", "one"), JobRecord(schema_, "2", "two")});
  ASSERT_OK(other.ApplyBatch(entity_.id, entity_.schema_id,
                             Views({JobRecord(schema_, "3", "three")})));
  ASSERT_OK_AND_ASSIGN(const uint64_t closed, other.ClosePass(entity_.id, pass));
  EXPECT_EQ(closed, 0u);
  EXPECT_EQ(MustGetEntity().live_count, 3u);
  ASSERT_OK_AND_ASSIGN(const StoredRecord three, store_->GetRecord(entity_.id, "3"));
  EXPECT_EQ(three.values, JobRecord(schema_, "3", "three").values);

  // Both open a new entity at once: one creates it, the other finds it.
  Result<EntityState> first_open = InternalError("not run");
  Result<EntityState> second_open = InternalError("not run");
  std::thread racing([&] { second_open = other.OpenEntity(connection_id_, JobSchema("ap_vendor")); });
  first_open = store_->OpenEntity(connection_id_, JobSchema("ap_vendor"));
  racing.join();
  ASSERT_OK(first_open);
  ASSERT_OK(second_open);
  EXPECT_EQ(first_open->id, second_open->id);
  EXPECT_EQ(first_open->schema_id, second_open->schema_id);
  ExpectChecksumConsistent();
}

}  // namespace
INSTANTIATE_STORE_TEST_SUITE_P(RecordStoreTest);

}  // namespace erpsync::server
