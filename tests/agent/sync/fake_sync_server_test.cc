// The fake server itself: that it keeps the contract the engine's unit
// tests rely on (upserts and their counts, passes and generations, census,
// acknowledgements and their order, errors that end the session) and that
// its faults strike where they are aimed.
#include "tests/agent/sync/fake_sync_server.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

#include "agent/sync/batch_compressor.h"
#include "common/entity_checksum.h"
#include "common/packed_records.h"
#include "common/record_codec.h"

namespace erpsync::agent::testing {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

RecordSchema ItemSchema() {
  RecordSchema schema("item", "Item", "",
                      {{"code", FieldType::kText, 0}, {"qty", FieldType::kInteger, 0}}, {"code"});
  EXPECT_TRUE(schema.Finalize().ok());
  return schema;
}

// A record to send: a live one with its quantity, or a deletion.
struct Row {
  std::string key;
  std::optional<int64_t> qty;  // nullopt: deleted
};

class FakeSyncServerTest : public ::testing::Test {
 protected:
  std::string Encode(const std::string& key, int64_t qty) const {
    RecordWriter writer(&schema_);
    writer.Begin();
    writer.PutText(key);
    writer.PutInt(qty);
    return std::string(writer.Finish());
  }

  // A packed, compressed batch, as EntitySync sends them.
  v1::RecordBatch Batch(const std::vector<Row>& rows) const {
    PackedRecordWriter packer;
    for (const Row& row : rows) {
      if (row.qty) {
        packer.Add(row.key, Encode(row.key, *row.qty));
      } else {
        packer.AddDeleted(row.key);
      }
    }
    PackedCompressor compressor(1);
    Result<v1::RecordBatch> batch =
        CompressBatch(compressor, packer.TakeRaw(), static_cast<uint32_t>(rows.size()));
    EXPECT_TRUE(batch.ok()) << batch.status().ToString();
    return *batch;
  }

  std::unique_ptr<SyncSession> Open(int window = 1) {
    FakeSessionFactory factory(&server_, window);
    Result<std::unique_ptr<SyncSession>> session =
        factory.Open(SessionStart{"run", v1::SYNC_KIND_DEEP, "beginning"});
    EXPECT_TRUE(session.ok()) << session.status().ToString();
    return std::move(*session);
  }

  // Sends one batch in its own entity read and returns its acknowledgement.
  BatchAckInfo SendAlone(SyncSession& session, const std::vector<Row>& rows) {
    BatchAckInfo got;
    const Status sent = session.SendBatch(Batch(rows), [&](const BatchAckInfo& ack) {
      got = ack;
      return Status::Ok();
    });
    EXPECT_TRUE(sent.ok()) << sent.ToString();
    return got;
  }

  static AckCallback Ignore() {
    return [](const BatchAckInfo&) { return Status::Ok(); };
  }

  FakeFigures Expected(const std::vector<std::pair<std::string, int64_t>>& live) const {
    EntityChecksum checksum;
    for (const auto& [key, qty] : live) checksum.Add(key, ContentHash(schema_, Encode(key, qty)));
    return FakeFigures{checksum.count(), checksum.value()};
  }

  const RecordSchema schema_ = ItemSchema();
  FakeSyncServer server_;
};

TEST_F(FakeSyncServerTest, UpsertsByKeyAndCountsAsTheServerDoes) {
  auto session = Open();
  ASSERT_TRUE(session->OpenEntity(schema_, EntityOpenOptions{}).ok());
  const BatchAckInfo first = SendAlone(*session, {{"a", 1}, {"b", 2}});
  EXPECT_EQ(first.inserted, 2u);
  const BatchAckInfo second = SendAlone(*session, {{"a", 1}, {"b", 3}, {"z", std::nullopt}});
  EXPECT_EQ(second.unchanged, 2u);  // a as it was; z unknown
  EXPECT_EQ(second.updated, 1u);
  const BatchAckInfo third = SendAlone(*session, {{"a", std::nullopt}, {"a", std::nullopt}});
  EXPECT_EQ(third.deleted, 1u);
  EXPECT_EQ(third.unchanged, 1u);  // already deleted
  const BatchAckInfo fourth = SendAlone(*session, {{"a", 5}});
  EXPECT_EQ(fourth.inserted, 1u);  // back from the dead
  EXPECT_EQ(fourth.sequence, 4u);

  Result<EntityClosed> closed = session->CloseEntity(true, 8);
  ASSERT_TRUE(closed.ok()) << closed.status().ToString();
  const FakeFigures expected = Expected({{"a", 5}, {"b", 3}});
  EXPECT_EQ(server_.Figures("item"), expected);
  EXPECT_EQ(closed->record_count, expected.count);
  EXPECT_EQ(closed->checksum, expected.checksum);
  EXPECT_EQ(closed->deleted_by_pass, 0u);
  EXPECT_THAT(server_.ReceivedKeys("item"), ElementsAre("a", "b", "a", "b", "z", "a", "a", "a"));
  EXPECT_TRUE(session->Finish().ok());
  EXPECT_GT(session->bytes_sent(), 0u);
}

TEST_F(FakeSyncServerTest, AcknowledgesInBatchOrderWhenTheWindowIsFullAndOnClose) {
  auto session = Open(3);
  ASSERT_TRUE(session->OpenEntity(schema_, EntityOpenOptions{}).ok());
  std::vector<uint64_t> acked;
  const auto record = [&](const BatchAckInfo& ack) {
    acked.push_back(ack.sequence);
    return Status::Ok();
  };
  for (int i = 1; i <= 4; ++i) {
    ASSERT_TRUE(session->SendBatch(Batch({{"k" + std::to_string(i), i}}), record).ok());
    if (i == 2) {
      EXPECT_TRUE(acked.empty());
    }
  }
  EXPECT_THAT(acked, ElementsAre(1, 2));
  ASSERT_TRUE(session->CloseEntity(true, 4).ok());
  EXPECT_THAT(acked, ElementsAre(1, 2, 3, 4));
}

TEST_F(FakeSyncServerTest, CompleteFullPassDeletesOlderGenerationsAndOnlyTheOpenPassResumes) {
  auto first = Open();
  Result<uint64_t> one = first->OpenEntity(schema_, EntityOpenOptions{true, 0, false});
  ASSERT_TRUE(one.ok());
  SendAlone(*first, {{"a", 1}, {"b", 1}, {"c", 1}});
  ASSERT_TRUE(first->CloseEntity(true, 3).ok());

  // A second pass sees a and c, then stops: the pass stays open.
  Result<uint64_t> two = first->OpenEntity(schema_, EntityOpenOptions{true, 0, false});
  ASSERT_TRUE(two.ok());
  EXPECT_EQ(*two, *one + 1);
  SendAlone(*first, {{"a", 1}, {"c", 1}});
  Result<EntityClosed> stopped = first->CloseEntity(false, 2);
  ASSERT_TRUE(stopped.ok());
  EXPECT_EQ(stopped->record_count, 3u);
  EXPECT_EQ(server_.open_pass("item"), *two);

  // Resumed and completed, it deletes b.
  auto second = Open();
  Result<uint64_t> resumed = second->OpenEntity(schema_, EntityOpenOptions{true, *two, false});
  ASSERT_TRUE(resumed.ok()) << resumed.status().ToString();
  EXPECT_EQ(*resumed, *two);
  Result<EntityClosed> closed = second->CloseEntity(true, 0);
  ASSERT_TRUE(closed.ok());
  EXPECT_EQ(closed->deleted_by_pass, 1u);
  EXPECT_EQ(closed->record_count, 2u);
  EXPECT_TRUE(server_.Record("item", "b")->deleted);
  EXPECT_EQ(server_.open_pass("item"), 0u);

  // That pass is closed: resuming it is refused, and the session ends.
  Result<uint64_t> stale = second->OpenEntity(schema_, EntityOpenOptions{true, *two, false});
  EXPECT_EQ(stale.status().ToString(), "FAILED_PRECONDITION: pass " + std::to_string(*two) +
                                           " of item is no longer open; start a new deep sync");
  EXPECT_EQ(second->OpenEntity(schema_, EntityOpenOptions{true, 0, false}).status().code(),
            StatusCode::kFailedPrecondition);
}

TEST_F(FakeSyncServerTest, CompleteCensusDeletesTheKeysNotListed) {
  auto session = Open();
  ASSERT_TRUE(session->OpenEntity(schema_, EntityOpenOptions{}).ok());
  SendAlone(*session, {{"a", 1}, {"b", 1}, {"c", 1}});
  ASSERT_TRUE(session->CloseEntity(true, 3).ok());
  ASSERT_TRUE(session->OpenEntity(schema_, EntityOpenOptions{false, 0, true}).ok());
  v1::RecordBatch keys;
  keys.add_present_keys("a");
  keys.add_present_keys("c");
  ASSERT_TRUE(session->SendBatch(keys, Ignore()).ok());
  Result<EntityClosed> closed = session->CloseEntity(true, 0);
  ASSERT_TRUE(closed.ok());
  EXPECT_EQ(closed->deleted_by_pass, 1u);
  EXPECT_THAT(server_.LiveKeys("item"), ElementsAre("a", "c"));

  auto another = Open();
  EXPECT_EQ(another->OpenEntity(schema_, EntityOpenOptions{true, 0, true}).status().ToString(),
            "INVALID_ARGUMENT: EntityStart: census and full_pass exclude each other");
}

TEST_F(FakeSyncServerTest, RecordNotMatchingItsSchemaIsRefused) {
  auto session = Open();
  ASSERT_TRUE(session->OpenEntity(schema_, EntityOpenOptions{}).ok());
  v1::RecordBatch batch;
  v1::Record* record = batch.add_records();
  record->set_key("a");
  record->set_values(std::string(1, '\0'));  // the bitmap, then nothing
  const Status refused = session->SendBatch(batch, Ignore());
  EXPECT_EQ(refused.code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(refused.message(), HasSubstr("record 'a'"));
  EXPECT_FALSE(server_.Record("item", "a").has_value());
}

TEST_F(FakeSyncServerTest, MessagesOutOfOrderAreRefused) {
  auto session = Open();
  EXPECT_EQ(session->SendBatch(Batch({{"a", 1}}), Ignore()).ToString(),
            "INVALID_ARGUMENT: sync protocol: RecordBatch without EntityStart");
  auto open = Open();
  ASSERT_TRUE(open->OpenEntity(schema_, EntityOpenOptions{}).ok());
  EXPECT_EQ(open->Finish().ToString(),
            "INVALID_ARGUMENT: sync protocol: SyncEnd while entity 'item' is open");
}

TEST_F(FakeSyncServerTest, FaultsStrikeTheNthCallBeforeOrAfterTheServersWork) {
  server_.InjectFault(FakeCall::kSendBatch, 2, UnavailableError("lost"));
  server_.InjectFault(FakeCall::kSendBatch, 3, UnavailableError("answer lost"), 1,
                      FaultTiming::kAfterApplying);
  auto session = Open(2);
  ASSERT_TRUE(session->OpenEntity(schema_, EntityOpenOptions{}).ok());
  int acks = 0;
  const auto count = [&](const BatchAckInfo&) {
    ++acks;
    return Status::Ok();
  };
  ASSERT_TRUE(session->SendBatch(Batch({{"a", 1}}), count).ok());
  // Lost before the server: b is not stored, a's acknowledgement is lost.
  EXPECT_EQ(session->SendBatch(Batch({{"b", 1}}), count).ToString(), "UNAVAILABLE: lost");
  EXPECT_EQ(session->CloseEntity(true, 2).status().ToString(), "UNAVAILABLE: lost");
  EXPECT_EQ(acks, 0);
  EXPECT_THAT(server_.LiveKeys("item"), ElementsAre("a"));

  auto next = Open(2);
  ASSERT_TRUE(next->OpenEntity(schema_, EntityOpenOptions{}).ok());
  // Stored, then the answer lost.
  EXPECT_EQ(next->SendBatch(Batch({{"c", 1}}), count).ToString(), "UNAVAILABLE: answer lost");
  EXPECT_THAT(server_.LiveKeys("item"), ElementsAre("a", "c"));
  EXPECT_EQ(server_.calls(FakeCall::kSendBatch), 3);
  EXPECT_EQ(acks, 0);
}

TEST_F(FakeSyncServerTest, OpenFailsAsManyTimesAsInjected) {
  server_.InjectFault(FakeCall::kOpenSession, 1, UnavailableError("connection refused"), 2);
  FakeSessionFactory factory(&server_, 2);
  const SessionStart start{"run", v1::SYNC_KIND_INCREMENTAL, ""};
  EXPECT_EQ(factory.Open(start).status().ToString(), "UNAVAILABLE: connection refused");
  EXPECT_EQ(factory.Open(start).status().ToString(), "UNAVAILABLE: connection refused");
  EXPECT_TRUE(factory.Open(start).ok());
  EXPECT_EQ(server_.calls(FakeCall::kOpenSession), 3);
  ASSERT_EQ(server_.sessions().size(), 1u);
  EXPECT_EQ(server_.sessions()[0].run_id, "run");
}

TEST_F(FakeSyncServerTest, AcknowledgementCallbackErrorEndsTheSession) {
  auto session = Open(1);
  ASSERT_TRUE(session->OpenEntity(schema_, EntityOpenOptions{}).ok());
  const auto fail = [](const BatchAckInfo&) { return InternalError("state is read-only"); };
  EXPECT_EQ(session->SendBatch(Batch({{"a", 1}}), fail).ToString(), "INTERNAL: state is read-only");
  EXPECT_EQ(session->Finish().ToString(), "INTERNAL: state is read-only");
}

}  // namespace
}  // namespace erpsync::agent::testing
