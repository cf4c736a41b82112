// The AgentSync stream of the real server, driven message by message over
// its in-process channel: a client that sends batches ahead of their
// acknowledgements (as the agent's window does) gets every batch stored and
// answered in order, and a bad batch is refused only after the batches
// before it were answered.
#include <gtest/gtest.h>

#include <string>
#include <thread>
#include <vector>

#include "common/grpc/grpc_util.h"
#include "common/packed_records.h"
#include "common/record_codec.h"
#include "common/schema_proto.h"
#include "erpsync/v1/sync.grpc.pb.h"
#include "tests/integration/sync_fixture.h"
#include "tests/support/status_matchers.h"

namespace erpsync::testing {
namespace {

class SyncProtocolTest : public SyncFixture {
 protected:
  void SetUp() override {
    StartAll(/*jobs=*/1, /*transactions=*/10, /*seed=*/3);
    schema_ =
        RecordSchema("probe", "Probe", "AP",
                     {{"code", FieldType::kText, 0}, {"amount", FieldType::kMoney, 2}}, {"code"});
    ASSERT_OK(schema_.Finalize());
    stub_ = v1::AgentSync::NewStub(server_->InProcessChannel());
    AttachBearerToken(&context_, agent_token_);
    stream_ = stub_->Sync(&context_);
    // Responses are read as they come, as the agent's session does (over
    // the in-process channel a write completes only once it is read).
    reader_ = std::thread([this] {
      v1::SyncResponse response;
      while (stream_->Read(&response)) responses_.push_back(response);
    });
  }
  void TearDown() override {
    if (reader_.joinable()) {
      context_.TryCancel();
      reader_.join();
    }
  }

  bool Write(const v1::SyncRequest& request) { return stream_->Write(request); }
  void WriteStartAndOpen() {
    v1::SyncRequest start;
    start.mutable_start()->set_run_id("probe-run");
    ASSERT_TRUE(Write(start));
    v1::SyncRequest open;
    SchemaToProto(schema_, open.mutable_entity_start()->mutable_schema());
    open.mutable_entity_start()->set_full_pass(true);
    ASSERT_TRUE(Write(open));
  }
  // Batch `sequence`: `count` records "S-i", packed and compressed as the
  // agent sends them.
  v1::SyncRequest Batch(uint64_t sequence, int count) {
    RecordWriter writer(&schema_);
    PackedRecordWriter packer;
    for (int i = 0; i < count; ++i) {
      writer.Begin();
      const std::string code = std::to_string(sequence) + "-" + std::to_string(i);
      writer.PutText(code);
      writer.PutInt(static_cast<int64_t>(sequence) * 100 + i);
      packer.Add(code, writer.Finish());
    }
    v1::SyncRequest request;
    v1::RecordBatch* batch = request.mutable_batch();
    batch->set_entity_id("probe");
    batch->set_sequence(sequence);
    batch->set_packed_count(static_cast<uint32_t>(count));
    batch->set_packed_codec(v1::PACKED_CODEC_ZSTD);
    EXPECT_OK(PackedCompressor(3).Compress(packer.TakeRaw(), batch->mutable_packed_records()));
    return request;
  }
  // Every response, once the server has ended the stream.
  std::vector<v1::SyncResponse> ReadAll() {
    reader_.join();
    return responses_;
  }

  RecordSchema schema_;
  std::unique_ptr<v1::AgentSync::Stub> stub_;
  grpc::ClientContext context_;
  std::unique_ptr<grpc::ClientReaderWriter<v1::SyncRequest, v1::SyncResponse>> stream_;
  std::thread reader_;
  std::vector<v1::SyncResponse> responses_;  // written by reader_ until it ends
};

TEST_P(SyncProtocolTest, BatchesSentAheadAreAllStoredAndAnsweredInOrder) {
  constexpr int kBatches = 40;
  constexpr int kPerBatch = 250;
  WriteStartAndOpen();
  for (int sequence = 1; sequence <= kBatches; ++sequence) {
    ASSERT_TRUE(Write(Batch(static_cast<uint64_t>(sequence), kPerBatch)));
  }
  v1::SyncRequest end_entity;
  end_entity.mutable_entity_end()->set_entity_id("probe");
  end_entity.mutable_entity_end()->set_complete(true);
  ASSERT_TRUE(Write(end_entity));
  v1::SyncRequest end;
  end.mutable_end();
  ASSERT_TRUE(Write(end));
  stream_->WritesDone();

  const std::vector<v1::SyncResponse> responses = ReadAll();
  const grpc::Status status = stream_->Finish();
  ASSERT_TRUE(status.ok()) << status.error_message();
  ASSERT_EQ(responses.size(), static_cast<size_t>(kBatches + 4));
  EXPECT_TRUE(responses[0].has_started());
  EXPECT_TRUE(responses[1].has_entity_started());
  for (int i = 0; i < kBatches; ++i) {
    const v1::SyncResponse& ack = responses[static_cast<size_t>(i + 2)];
    ASSERT_TRUE(ack.has_batch_ack()) << i;
    EXPECT_EQ(ack.batch_ack().sequence(), static_cast<uint64_t>(i + 1));
    EXPECT_EQ(ack.batch_ack().inserted(), static_cast<uint32_t>(kPerBatch));
  }
  const v1::SyncResponse& ended = responses[static_cast<size_t>(kBatches + 2)];
  ASSERT_TRUE(ended.has_entity_ended());
  EXPECT_EQ(ended.entity_ended().record_count(), static_cast<uint64_t>(kBatches * kPerBatch));
  EXPECT_TRUE(responses.back().has_ended());
  const auto entity = server_->records().GetEntity(ConnectionId(), "probe");
  ASSERT_OK(entity);
  EXPECT_EQ(server_->records().RecomputeChecksum(entity->id)->checksum,
            ended.entity_ended().checksum());
}

TEST_P(SyncProtocolTest, ABadBatchIsRefusedAfterTheBatchesBeforeItAreAnswered) {
  WriteStartAndOpen();
  for (uint64_t sequence = 1; sequence <= 6; ++sequence) ASSERT_TRUE(Write(Batch(sequence, 100)));
  v1::SyncRequest bad = Batch(7, 3);
  bad.mutable_batch()->set_packed_records("not a zstd frame");
  Write(bad);  // the server may already have ended the stream
  stream_->WritesDone();

  const std::vector<v1::SyncResponse> responses = ReadAll();
  const grpc::Status status = stream_->Finish();
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << status.error_message();
  ASSERT_EQ(responses.size(), 8u);
  for (uint64_t sequence = 1; sequence <= 6; ++sequence) {
    EXPECT_EQ(responses[sequence + 1].batch_ack().sequence(), sequence);
  }
  const auto entity = server_->records().GetEntity(ConnectionId(), "probe");
  ASSERT_OK(entity);
  EXPECT_EQ(entity->live_count, 600u);
}

TEST_P(SyncProtocolTest, ABatchOutOfSequenceEndsTheStreamAfterEarlierAcks) {
  WriteStartAndOpen();
  ASSERT_TRUE(Write(Batch(1, 10)));
  Write(Batch(3, 10));
  stream_->WritesDone();
  const std::vector<v1::SyncResponse> responses = ReadAll();
  const grpc::Status status = stream_->Finish();
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(status.error_message(), "sync protocol: RecordBatch sequence 3, expected 2");
  ASSERT_EQ(responses.size(), 3u);
  EXPECT_EQ(responses[2].batch_ack().sequence(), 1u);
}

INSTANTIATE_BACKEND_TEST_SUITE_P(SyncProtocolTest);

}  // namespace
}  // namespace erpsync::testing
