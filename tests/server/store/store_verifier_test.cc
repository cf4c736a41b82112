#include "server/store/store_verifier.h"

#include <SQLiteCpp/Database.h>
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "common/entity_checksum.h"
#include "server/store/directory_store.h"
#include "server/store/postgres/pg_connection.h"
#include "server/store/postgres/pg_record_key.h"
#include "server/store/record_store.h"
#include "tests/server/store/store_test_util.h"
#include "tests/support/status_matchers.h"

namespace erpsync::server {
namespace {

using testing::DeletedRecord;
using testing::JobRecord;
using testing::JobSchema;
using testing::StoreTest;
using testing::TestRecord;
using testing::Views;

class StoreVerifierTest : public StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    directory_ = &stores_->directory();
    records_ = &stores_->records();
    verifier_ = std::make_unique<StoreVerifier>(directory_, records_);
    ASSERT_OK_AND_ASSIGN(company_, directory_->AddCompany("Acme"));
    ASSERT_OK_AND_ASSIGN(const Connection connection,
                         directory_->EnsureConnection(company_.id, "sage300"));
    connection_id_ = connection.id;
    schema_ = JobSchema();
    ASSERT_OK_AND_ASSIGN(entity_, records_->OpenEntity(connection_id_, schema_));
    const std::vector<TestRecord> jobs = {JobRecord(schema_, "1", "Office"),
                                          JobRecord(schema_, "2", "Depot"),
                                          JobRecord(schema_, "3", "Bridge")};
    ASSERT_OK(records_->ApplyBatch(entity_.id, entity_.schema_id, Views(jobs)));
    ASSERT_OK(records_->ApplyBatch(entity_.id, entity_.schema_id, Views({DeletedRecord("3")})));
  }

  // Runs `sql` on the store through a connection of its own, as an
  // operator with sqlite3 or psql would: on the SQLite file, or on the
  // PostgreSQL database with `params` bound to $1, ...
  void Corrupt(const std::string& sql, const std::vector<PgParam>& params = {}) {
    if (GetParam() == StoreKind::kSqlite) {
      ASSERT_TRUE(params.empty());
      SQLite::Database db(path(), SQLite::OPEN_READWRITE);
      db.exec(sql);
      return;
    }
    ASSERT_OK_AND_ASSIGN(const std::unique_ptr<PgConnection> connection,
                         PgConnection::Connect(postgres_->dsn()));
    ASSERT_OK(connection->Exec("corrupting the store", sql, params));
  }

  // Deletes the row of record `key`, a decimal integer, behind the store's
  // back: SQLite stores such a key as an integer, PostgreSQL in the form of
  // pg_record_key.h.
  void DeleteRecordRow(const std::string& key) {
    if (GetParam() == StoreKind::kSqlite) {
      Corrupt("DELETE FROM records WHERE key = " + key);
    } else {
      Corrupt("DELETE FROM records WHERE key = $1", {PgParam::Bytes(pg::EncodeRecordKey(key))});
    }
  }

  std::vector<EntityVerification> MustVerify(const StoreVerifier::Scope& scope = {}) {
    Result<std::vector<EntityVerification>> verified = verifier_->Verify(company_, scope);
    EXPECT_OK(verified);
    return verified.ok() ? *verified : std::vector<EntityVerification>{};
  }

  DirectoryStore* directory_ = nullptr;
  RecordStore* records_ = nullptr;
  std::unique_ptr<StoreVerifier> verifier_;
  Company company_;
  int64_t connection_id_ = 0;
  RecordSchema schema_;
  EntityState entity_;
};

TEST_P(StoreVerifierTest, MaintainedTotalsAgreeWithTheRows) {
  const std::vector<EntityVerification> verified = MustVerify();
  ASSERT_EQ(verified.size(), 1u);
  EXPECT_EQ(verified[0].company, "Acme");
  EXPECT_EQ(verified[0].connection, "sage300");
  EXPECT_EQ(verified[0].entity_id, "jc_job");
  EXPECT_TRUE(verified[0].agrees());
  EXPECT_EQ(verified[0].recomputed.live_count, 2u);
  EXPECT_EQ(verified[0].recomputed.deleted_count, 1u);
  EXPECT_TRUE(verified[0].Drifts().empty());
}

TEST_P(StoreVerifierTest, ReportsAStoredChecksumThatWasChanged) {
  const uint64_t good = MustVerify()[0].stored.checksum;
  Corrupt("UPDATE entities SET checksum = checksum + 1");
  const std::vector<EntityVerification> verified = MustVerify();
  ASSERT_EQ(verified.size(), 1u);
  EXPECT_FALSE(verified[0].agrees());
  EXPECT_EQ(verified[0].stored.checksum, good + 1);
  EXPECT_EQ(verified[0].recomputed.checksum, good);
  EXPECT_EQ(verified[0].Drifts(),
            std::vector<std::string>{"checksum: stored " + FormatChecksum(good + 1) +
                                     ", recomputed " + FormatChecksum(good)});
}

TEST_P(StoreVerifierTest, ReportsARecordRowDeletedBehindTheStoresBack) {
  const uint64_t before = MustVerify()[0].stored.checksum;
  DeleteRecordRow("2");
  EntityChecksum expected;
  expected.Add("1", JobRecord(schema_, "1", "Office").content_hash);
  const std::vector<EntityVerification> verified = MustVerify();
  ASSERT_EQ(verified.size(), 1u);
  EXPECT_EQ(verified[0].stored, (EntityFigures{2, 1, before}));
  EXPECT_EQ(verified[0].recomputed, (EntityFigures{1, 1, expected.value()}));
  EXPECT_EQ(verified[0].Drifts(),
            (std::vector<std::string>{"live count: stored 2, recomputed 1",
                                      "checksum: stored " + FormatChecksum(before) +
                                          ", recomputed " + FormatChecksum(expected.value())}));
}

TEST_P(StoreVerifierTest, ReportsADeletedCountThatWasChanged) {
  Corrupt("UPDATE entities SET deleted_count = 5");
  const std::vector<EntityVerification> verified = MustVerify();
  ASSERT_EQ(verified.size(), 1u);
  EXPECT_EQ(verified[0].Drifts(),
            std::vector<std::string>{"deleted count: stored 5, recomputed 1"});
}

TEST_P(StoreVerifierTest, RepairMakesTheRecomputedFiguresTheStoredOnes) {
  Corrupt("UPDATE entities SET checksum = 7, live_count = 9");
  ASSERT_OK_AND_ASSIGN(const EntityCheck repaired, records_->RepairTotals(entity_.id));
  EXPECT_EQ(repaired.stored.checksum, 7u);
  const std::vector<EntityVerification> verified = MustVerify();
  ASSERT_EQ(verified.size(), 1u);
  EXPECT_TRUE(verified[0].agrees());
  EXPECT_EQ(verified[0].stored, repaired.recomputed);
  ASSERT_OK_AND_ASSIGN(const EntityState entity,
                       records_->GetEntity(connection_id_, "jc_job"));
  EXPECT_EQ(entity.live_count, 2u);
}

TEST_P(StoreVerifierTest, VerifiesOneEntityOfAConnection) {
  ASSERT_OK(records_->OpenEntity(connection_id_, JobSchema("jc_other")));
  EXPECT_EQ(MustVerify().size(), 2u);
  const std::vector<EntityVerification> one = MustVerify({connection_id_, "jc_other"});
  ASSERT_EQ(one.size(), 1u);
  EXPECT_EQ(one[0].entity_id, "jc_other");
  EXPECT_EQ(verifier_->Verify(company_, {connection_id_, "jc_nope"}).status().code(),
            StatusCode::kNotFound);
  const Status no_connection = verifier_->Verify(company_, {0, "jc_job"}).status();
  EXPECT_EQ(no_connection.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(no_connection.message(), "verifying entity 'jc_job': name its connection too");
}

TEST_P(StoreVerifierTest, OneVerificationAtATimePerCompany) {
  ASSERT_OK_AND_ASSIGN(const Company other, directory_->AddCompany("Other Co"));
  Status second;
  Status other_company;
  const Result<std::vector<EntityVerification>> first =
      verifier_->Verify(company_, {}, [&] {
        second = verifier_->Verify(company_, {}).status();
        other_company = verifier_->Verify(other, {}).status();
        return false;
      });
  ASSERT_OK(first);
  EXPECT_EQ(second.code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(second.message(),
            "a verification of company 'Acme' is already running; try again when it has "
            "finished");
  EXPECT_OK(other_company);
  EXPECT_OK(verifier_->Verify(company_, {}));  // released when done
}

TEST_P(StoreVerifierTest, StopsWhenCancelled) {
  const Status cancelled = verifier_->Verify(company_, {}, [] { return true; }).status();
  EXPECT_EQ(cancelled.code(), StatusCode::kCancelled);
  EXPECT_EQ(cancelled.message(),
            "verification of company 'Acme' cancelled at sage300/jc_job");
  EXPECT_OK(verifier_->Verify(company_, {}));
}

}  // namespace
INSTANTIATE_STORE_TEST_SUITE_P(StoreVerifierTest);

}  // namespace erpsync::server
