#include "server/sync/sync_stream_handler.h"

#include <gtest/gtest.h>

#include "tests/server/sync/sync_stream_fixture.h"
#include "tests/support/status_matchers.h"

namespace erpsync::server {
namespace {

using ::testing::Eq;
using ::testing::HasSubstr;

using SyncStreamHandlerTest = SyncStreamFixture;

TEST_P(SyncStreamHandlerTest, StoresBatchesAndReportsTheEntity) {
  ASSERT_OK(Send(Start()));
  const auto opened = Send(Open(true));
  ASSERT_OK(opened);
  EXPECT_EQ(opened->entity_started().generation(), 1u);
  const auto ack = Send(Batch(1, {"V1", "V2"}));
  ASSERT_OK(ack);
  EXPECT_EQ(ack->batch_ack().sequence(), 1u);
  EXPECT_EQ(ack->batch_ack().inserted(), 2u);
  const auto ended = Send(End());
  ASSERT_OK(ended);
  EXPECT_EQ(ended->entity_ended().record_count(), 2u);
  v1::SyncRequest end;
  end.mutable_end();
  ASSERT_OK(Send(end));
  EXPECT_TRUE(handler_->ended());
}

TEST_P(SyncStreamHandlerTest, MessagesOutOfOrderAreRefused) {
  EXPECT_EQ(Send(Open(false)).status().message(),
            "sync protocol: the first message must be SyncStart");
  ASSERT_OK(Send(Start()));
  EXPECT_EQ(Send(Start()).status().message(), "sync protocol: SyncStart sent twice");
  EXPECT_EQ(Send(Batch(1, {"V1"})).status().message(),
            "sync protocol: RecordBatch without EntityStart");
  ASSERT_OK(Send(Open(false)));
  EXPECT_EQ(Send(Batch(2, {"V1"})).status().message(),
            "sync protocol: RecordBatch sequence 2, expected 1");
}

TEST_P(SyncStreamHandlerTest, AcceptsPackedBatchesAndRefusesMixedOrCorruptOnes) {
  ASSERT_OK(Send(Start()));
  ASSERT_OK(Send(Open(false)));
  const v1::SyncRequest plain = Batch(1, {"V1", "V2"});
  PackedRecordWriter writer;
  for (const v1::Record& record : plain.batch().records())
    writer.Add(record.key(), record.values());
  writer.AddDeleted("V0");
  v1::SyncRequest packed;
  packed.mutable_batch()->set_entity_id("vendor");
  packed.mutable_batch()->set_sequence(1);
  packed.mutable_batch()->set_packed_count(3);
  packed.mutable_batch()->set_packed_codec(v1::PACKED_CODEC_ZSTD);
  ASSERT_OK(PackedCompressor(3).Compress(writer.TakeRaw(),
                                         packed.mutable_batch()->mutable_packed_records()));
  const auto ack = Send(packed);
  ASSERT_OK(ack);
  EXPECT_EQ(ack->batch_ack().inserted(), 2u);
  EXPECT_EQ(ack->batch_ack().unchanged(), 1u);  // deleting an unknown key changes nothing

  v1::SyncRequest mixed = Batch(2, {"V3"});
  mixed.mutable_batch()->set_packed_count(1);
  mixed.mutable_batch()->set_packed_records("x");
  EXPECT_EQ(Send(mixed).status().message(), "RecordBatch carries both records and packed_records");
  v1::SyncRequest corrupt;
  corrupt.mutable_batch()->set_entity_id("vendor");
  corrupt.mutable_batch()->set_sequence(3);
  corrupt.mutable_batch()->set_packed_count(1);
  corrupt.mutable_batch()->set_packed_codec(v1::PACKED_CODEC_ZSTD);
  corrupt.mutable_batch()->set_packed_records("not zstd");
  EXPECT_THAT(Send(corrupt), StatusIs(StatusCode::kInvalidArgument));
}

// Records refer to the request or to the reader's decompressed buffer,
// which the next batch reuses: each batch is stored before that happens, and
// every request is gone once handled.
TEST_P(SyncStreamHandlerTest, EachBatchIsStoredBeforeItsBytesAreReused) {
  ASSERT_OK(Send(Start()));
  ASSERT_OK(Send(Open(true)));
  std::vector<std::vector<std::string>> batches(3);
  for (int i = 0; i < 300; ++i) {
    // Longer names in later batches: the buffer grows and moves.
    batches[static_cast<size_t>(i % 3)].push_back(std::string(static_cast<size_t>(1 + i % 3), 'V') +
                                                  std::to_string(1000 + i));
  }
  ASSERT_OK(Send(Packed(1, batches[0])));
  ASSERT_OK(Send(Packed(2, batches[1])));
  ASSERT_OK(Send(Batch(3, batches[2])));
  const auto ended = Send(End());
  ASSERT_OK(ended);
  EXPECT_EQ(ended->entity_ended().record_count(), 300u);

  const EntityState entity = *records_->GetEntity(agent_.connection_id, "vendor");
  std::vector<FieldValue> values;
  for (const std::vector<std::string>& batch : batches) {
    for (const std::string& vendor : batch) {
      Result<StoredRecord> stored = records_->GetRecord(entity.id, vendor);
      ASSERT_OK(stored);
      ASSERT_OK(DecodeRecord(schema_, stored->values, &values)) << vendor;
      EXPECT_EQ(values, (std::vector<FieldValue>{vendor, "Name of " + vendor}));
      EXPECT_EQ(stored->content_hash, ContentHash(schema_, stored->values)) << vendor;
    }
  }
  EXPECT_EQ(records_->RecomputeChecksum(entity.id)->checksum, entity.checksum);
}

// As a stream's StoreStage runs them: later batches are prepared before
// the earlier ones are stored, each in a PreparedBatch of its own.
TEST_P(SyncStreamHandlerTest, BatchesPreparedAheadAreStoredInOrder) {
  ASSERT_OK(Send(Start()));
  ASSERT_OK(Send(Open(true)));
  PreparedBatch first, second, third;
  first.request = Packed(1, {"V1", "V2"});
  second.request = Batch(2, {"V2", "V3"});
  third.request = Packed(3, {"V4"});
  ASSERT_OK(handler_->PrepareBatch(first.request.batch(), &first));
  ASSERT_OK(handler_->PrepareBatch(second.request.batch(), &second));
  ASSERT_OK(handler_->PrepareBatch(third.request.batch(), &third));
  const auto acked_first = handler_->StoreBatch(first);
  ASSERT_OK(acked_first);
  EXPECT_EQ(acked_first->batch_ack().sequence(), 1u);
  EXPECT_EQ(acked_first->batch_ack().inserted(), 2u);
  const auto acked_second = handler_->StoreBatch(second);
  ASSERT_OK(acked_second);
  EXPECT_EQ(acked_second->batch_ack().sequence(), 2u);
  EXPECT_EQ(acked_second->batch_ack().inserted(), 1u);
  EXPECT_EQ(acked_second->batch_ack().unchanged(), 1u);
  EXPECT_EQ(handler_->StoreBatch(third)->batch_ack().inserted(), 1u);
  EXPECT_EQ(Send(End())->entity_ended().record_count(), 4u);

  // Preparing checks the batch's place in the protocol like Handle does.
  PreparedBatch late;
  late.request = Batch(4, {"V5"});
  EXPECT_EQ(handler_->PrepareBatch(late.request.batch(), &late).message(),
            "sync protocol: RecordBatch without EntityStart");
}

TEST_P(SyncStreamHandlerTest, RecordsThatDoNotMatchTheSchemaAreRefused) {
  ASSERT_OK(Send(Start()));
  ASSERT_OK(Send(Open(false)));
  v1::SyncRequest bad = Batch(1, {"V1"});
  bad.mutable_batch()->mutable_records(0)->set_values("garbage");
  const auto refused = Send(bad);
  EXPECT_THAT(refused,
              StatusIs(StatusCode::kInvalidArgument,
                       HasSubstr("record 'V1': record of entity 'vendor' does not match")));
  v1::SyncRequest empty_key = Batch(2, {"V1"});
  empty_key.mutable_batch()->mutable_records(0)->set_key("");
  EXPECT_EQ(Send(empty_key).status().message(), "record of entity 'vendor' has an empty key");
}

TEST_P(SyncStreamHandlerTest, KeysAndTextThatAreNotUtf8AreRefusedNamingTheRecord) {
  ASSERT_OK(Send(Start()));
  ASSERT_OK(Send(Open(false)));
  EXPECT_THAT(Send(Batch(1, {"V\xC3("})),
              StatusIs(StatusCode::kInvalidArgument,
                       Eq("record of entity 'vendor' has a key that is not valid UTF-8: "
                          "'V\xEF\xBF\xBD('")));
  handler_ = std::make_unique<SyncStreamHandler>(records_, agent_);
  ASSERT_OK(Send(Start()));
  ASSERT_OK(Send(Open(false)));
  v1::SyncRequest bad_text = Batch(1, {"V1"});
  RecordWriter writer(&schema_);
  writer.Begin();
  writer.PutText("V1");
  writer.PutText("Caf\xE9");
  bad_text.mutable_batch()->mutable_records(0)->set_values(std::string(writer.Finish()));
  EXPECT_THAT(Send(bad_text),
              StatusIs(StatusCode::kInvalidArgument,
                       HasSubstr("record 'V1': record of entity 'vendor' does not match its schema "
                                 "at field 'name': text is not valid UTF-8")));
}

TEST_P(SyncStreamHandlerTest, KeptKeysKeepTheirRecordsThroughACompleteFullPass) {
  ASSERT_OK(Send(Start()));
  ASSERT_OK(Send(Open(true)));
  ASSERT_OK(Send(Batch(1, {"V1", "V2", "V3"})));
  ASSERT_OK(Send(End()));
  const EntityState before = *records_->GetEntity(agent_.connection_id, "vendor");

  // The next pass cannot read V2 (quarantined by the agent): it sends V1
  // and V3 and keeps V2, and the unknown V9.
  ASSERT_OK(Send(Open(true)));
  v1::SyncRequest batch = Batch(2, {"V1", "V3"});
  batch.mutable_batch()->add_kept_keys("V2");
  batch.mutable_batch()->add_kept_keys("V9");
  ASSERT_OK_AND_ASSIGN(const v1::SyncResponse acked, Send(batch));
  EXPECT_EQ(acked.batch_ack().kept(), 1u);
  EXPECT_EQ(acked.batch_ack().unchanged(), 2u);
  ASSERT_OK_AND_ASSIGN(const v1::SyncResponse ended, Send(End()));
  EXPECT_EQ(ended.entity_ended().deleted_by_pass(), 0u);
  EXPECT_EQ(ended.entity_ended().record_count(), 3u);
  EXPECT_EQ(ended.entity_ended().checksum(), before.checksum);

  // Without the kept key, the same pass deletes V2.
  ASSERT_OK(Send(Open(true)));
  ASSERT_OK(Send(Batch(3, {"V1", "V3"})));
  ASSERT_OK_AND_ASSIGN(const v1::SyncResponse deleted, Send(End()));
  EXPECT_EQ(deleted.entity_ended().deleted_by_pass(), 1u);
}

TEST_P(SyncStreamHandlerTest, KeptKeysAndEmptyKeysOutsideTheirPlaceAreRefused) {
  ASSERT_OK(Send(Start()));
  ASSERT_OK(Send(Open(false, /*census=*/true)));
  v1::SyncRequest census = Census(1, {"V1"});
  census.mutable_batch()->add_kept_keys("V2");
  EXPECT_THAT(Send(census), StatusIs(StatusCode::kInvalidArgument,
                                     HasSubstr("a census batch carries present_keys, not records")));
  handler_ = std::make_unique<SyncStreamHandler>(records_, agent_);
  ASSERT_OK(Send(Start()));
  ASSERT_OK(Send(Open(true)));
  v1::SyncRequest empty = Batch(1, {"V1"});
  empty.mutable_batch()->add_kept_keys("");
  EXPECT_THAT(Send(empty), StatusIs(StatusCode::kInvalidArgument,
                                    Eq("kept_keys of entity 'vendor' has an empty key")));
}

TEST_P(SyncStreamHandlerTest, ACensusMarksUnlistedRecordsDeleted) {
  ASSERT_OK(Send(Start()));
  ASSERT_OK(Send(Open(false)));
  ASSERT_OK(Send(Batch(1, {"V1", "V2", "V3", "V4"})));
  ASSERT_OK(Send(End()));
  ASSERT_OK(Send(Open(false, /*census=*/true)));
  EXPECT_EQ(Send(Batch(2, {"V9"})).status().message(),
            "sync protocol: a census batch carries present_keys, not records");
}

TEST_P(SyncStreamHandlerTest, CensusDeletesOnlyWhenComplete) {
  ASSERT_OK(Send(Start()));
  ASSERT_OK(Send(Open(false)));
  ASSERT_OK(Send(Batch(1, {"V1", "V2", "V3", "V4"})));
  ASSERT_OK(Send(End()));
  // An interrupted census deletes nothing.
  ASSERT_OK(Send(Open(false, true)));
  ASSERT_OK(Send(Census(2, {"V1"})));
  EXPECT_EQ(Send(End(/*complete=*/false))->entity_ended().deleted_by_pass(), 0u);
  // A complete one deletes what it did not list.
  ASSERT_OK(Send(Open(false, true)));
  ASSERT_OK(Send(Census(3, {"V1", "V3"})));
  ASSERT_OK(Send(Census(4, {"V4"})));
  const auto ended = Send(End());
  ASSERT_OK(ended);
  EXPECT_EQ(ended->entity_ended().deleted_by_pass(), 1u);
  EXPECT_EQ(ended->entity_ended().record_count(), 3u);
  const EntityState entity = *records_->GetEntity(agent_.connection_id, "vendor");
  EXPECT_EQ(records_->RecomputeChecksum(entity.id)->checksum, entity.checksum);
}

TEST_P(SyncStreamHandlerTest, EntityIdsAndFieldNamesMustBeLowerSnakeCase) {
  ASSERT_OK(Send(Start()));
  for (const char* id : {"../x", "Vendor", "vendor/x", "", "x y"}) {
    v1::SyncRequest open = Open(false);
    open.mutable_entity_start()->mutable_schema()->set_entity_id(id);
    EXPECT_THAT(Send(open), StatusIs(StatusCode::kInvalidArgument)) << id;
  }
  v1::SyncRequest dotted = Open(false);
  dotted.mutable_entity_start()->mutable_schema()->set_entity_id("../x");
  EXPECT_EQ(Send(dotted).status().message(),
            "EntityStart: entity id '../x' is not lower_snake_case (a-z, 0-9, _; at most 64)");
  v1::SyncRequest field = Open(false);
  field.mutable_entity_start()->mutable_schema()->mutable_fields(1)->set_name("Name");
  EXPECT_THAT(Send(field), StatusIs(StatusCode::kInvalidArgument,
                                    HasSubstr("field name 'Name' is not lower_snake_case")));
}

TEST_P(SyncStreamHandlerTest, ADeletedRecordCarryingValuesIsRefused) {
  ASSERT_OK(Send(Start()));
  ASSERT_OK(Send(Open(false)));
  v1::SyncRequest plain = Batch(1, {"V1"});
  plain.mutable_batch()->mutable_records(0)->set_deleted(true);
  EXPECT_THAT(Send(plain), StatusIs(StatusCode::kInvalidArgument,
                                    Eq("record 'V1': a deleted record carries no values")));
  EXPECT_EQ(records_->GetEntity(agent_.connection_id, "vendor")->deleted_count, 0u);
}

TEST_P(SyncStreamHandlerTest, ACensusBatchOfPackedRecordsIsRefusedLikeAnUnpackedOne) {
  ASSERT_OK(Send(Start()));
  ASSERT_OK(Send(Open(false)));
  ASSERT_OK(Send(Batch(1, {"V1", "V2"})));
  ASSERT_OK(Send(End()));
  ASSERT_OK(Send(Open(false, /*census=*/true)));
  EXPECT_THAT(Send(Packed(2, {"V1"})),
              StatusIs(StatusCode::kInvalidArgument,
                       Eq("sync protocol: a census batch carries present_keys, not records")));
}

// A few KB of zstd that claim 100 MiB: refused from the frame header, before
// anything is allocated or decompressed.
TEST_P(SyncStreamHandlerTest, ADecompressionBombIsRefusedBeforeItIsDecompressed) {
  ASSERT_OK(Send(Start()));
  ASSERT_OK(Send(Open(false)));
  const std::string zeros(100u << 20, '\0');
  v1::SyncRequest bomb;
  bomb.mutable_batch()->set_entity_id("vendor");
  bomb.mutable_batch()->set_sequence(1);
  bomb.mutable_batch()->set_packed_count(1);
  bomb.mutable_batch()->set_packed_codec(v1::PACKED_CODEC_ZSTD);
  ASSERT_OK(PackedCompressor(3).Compress(zeros, bomb.mutable_batch()->mutable_packed_records()));
  ASSERT_LT(bomb.batch().packed_records().size(), 64u << 10);
  EXPECT_THAT(Send(bomb), StatusIs(StatusCode::kInvalidArgument,
                                   Eq("RecordBatch 1: 104857600 bytes of records, more than the "
                                      "server's limit of 8388608 (max_batch_bytes)")));
}

TEST_P(SyncStreamHandlerTest, BatchesAndRecordsOverTheLimitsAreRefusedNamingThem) {
  SyncLimits limits;
  limits.max_batch_records = 2;
  limits.max_record_bytes = 64;
  handler_ = std::make_unique<SyncStreamHandler>(records_, agent_, limits);
  ASSERT_OK(Send(Start()));
  ASSERT_OK(Send(Open(false)));
  EXPECT_THAT(Send(Packed(1, {"V1", "V2", "V3"})),
              StatusIs(StatusCode::kInvalidArgument,
                       Eq("RecordBatch 1 holds 3 records, more than the server's limit of 2 "
                          "(max_batch_records)")));
  handler_ = std::make_unique<SyncStreamHandler>(records_, agent_, limits);
  ASSERT_OK(Send(Start()));
  ASSERT_OK(Send(Open(false)));
  EXPECT_THAT(Send(Batch(1, {std::string(80, 'K')})),
              StatusIs(StatusCode::kInvalidArgument,
                       HasSubstr("bytes, more than the server's limit of 64 (max_record_bytes)")));
}

TEST_P(SyncStreamHandlerTest, ABatchFindingTheBudgetFullIsResourceExhaustedAndHoldsNothing) {
  InflightBudget budget(1000, 10, std::chrono::milliseconds(10));
  Result<InflightBudget::Reservation> others = budget.Acquire(990);
  ASSERT_OK(others);
  handler_ = std::make_unique<SyncStreamHandler>(records_, agent_, SyncLimits{}, &budget);
  ASSERT_OK(Send(Start()));
  ASSERT_OK(Send(Open(false)));
  EXPECT_THAT(Send(Packed(1, {"V1", "V2"})),
              StatusIs(StatusCode::kResourceExhausted, HasSubstr("retry")));
  EXPECT_EQ(budget.in_use(), 990u);
  // With room, the same batch goes through and gives its bytes back.
  others->Reset();
  handler_ = std::make_unique<SyncStreamHandler>(records_, agent_, SyncLimits{}, &budget);
  ASSERT_OK(Send(Start()));
  ASSERT_OK(Send(Open(false)));
  ASSERT_OK(Send(Packed(1, {"V1", "V2"})));
  EXPECT_EQ(budget.in_use(), 0u);
}

TEST_P(SyncStreamHandlerTest, PresentKeysOutsideACensusAndCensusWithFullPassAreRefused) {
  ASSERT_OK(Send(Start()));
  EXPECT_EQ(Send(Open(true, true)).status().message(),
            "EntityStart: census and full_pass exclude each other");
  ASSERT_OK(Send(Open(false)));
  EXPECT_EQ(Send(Census(1, {"V1"})).status().message(),
            "sync protocol: present_keys outside a census");
}

TEST_P(SyncStreamHandlerTest, ResumingAClosedPassIsAFailedPrecondition) {
  ASSERT_OK(Send(Start()));
  v1::SyncRequest resume = Open(true);
  resume.mutable_entity_start()->set_resume_generation(7);
  EXPECT_THAT(Send(resume), StatusIs(StatusCode::kFailedPrecondition));
}

}  // namespace

INSTANTIATE_STORE_TEST_SUITE_P(SyncStreamHandlerTest);

}  // namespace erpsync::server
