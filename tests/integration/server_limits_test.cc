// The server's memory bound with the real binary: many sync streams sending
// large batches and decompression bombs at once, written from the protos as
// any client could, keep erpsync-server within its budget
// (server.max_inflight_bytes) instead of growing with what clients send.
#include <gmock/gmock.h>
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>
#include <signal.h>

#include <atomic>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "common/grpc/grpc_util.h"
#include "common/packed_records.h"
#include "common/record_codec.h"
#include "common/record_schema.h"
#include "common/schema_proto.h"
#include "erpsync/v1/sync.grpc.pb.h"
#include "tests/integration/binaries_fixture.h"
#include "tests/support/status_matchers.h"

namespace erpsync::testing {
namespace {

using ServerLimitsTest = BinariesFixture;

// Peak resident memory of process `pid`, in bytes (VmHWM).
size_t PeakRssOf(pid_t pid) {
  std::ifstream status("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind("VmHWM:", 0) == 0) return std::stoull(line.substr(6)) * 1024;
  }
  return 0;
}

// A packed, zstd-compressed batch of `records` records of `text_bytes` each
// (compressing to almost nothing: what counts is the decompressed size).
v1::SyncRequest LargeBatch(const RecordSchema& schema, uint64_t sequence, int records,
                           size_t text_bytes) {
  RecordWriter writer(&schema);
  PackedRecordWriter packer;
  const std::string text(text_bytes, 'x');
  for (int i = 0; i < records; ++i) {
    writer.Begin();
    const std::string key = "K" + std::to_string(sequence) + "-" + std::to_string(i);
    writer.PutText(key);
    writer.PutText(text);
    packer.Add(key, writer.Finish());
  }
  v1::SyncRequest request;
  v1::RecordBatch* batch = request.mutable_batch();
  batch->set_entity_id(schema.entity_id());
  batch->set_sequence(sequence);
  batch->set_packed_count(static_cast<uint32_t>(records));
  batch->set_packed_codec(v1::PACKED_CODEC_ZSTD);
  EXPECT_OK(PackedCompressor(1).Compress(packer.TakeRaw(), batch->mutable_packed_records()));
  return request;
}

TEST_P(ServerLimitsTest, ManyStreamsOfLargeBatchesAndBombsStayWithinTheServersBudget) {
  SetUpCompany(10);
  server_->Signal(SIGTERM);
  ASSERT_EQ(server_->Wait(std::chrono::seconds(30)), 0);
  constexpr size_t kBudget = 32u << 20;
  StartServer({"--server.max_inflight_bytes=" + std::to_string(kBudget)});
  std::string token = ReadFile(dir_.File("agent.token"));
  token = token.substr(0, token.find('\n'));
  const auto channel = grpc::CreateChannel("127.0.0.1:" + std::to_string(port_),
                                           grpc::InsecureChannelCredentials());
  auto stub = v1::AgentSync::NewStub(channel);

  // The limits are advertised.
  {
    grpc::ClientContext context;
    AttachBearerToken(&context, token);
    v1::HelloRequest hello;
    hello.set_protocol_version(2);
    v1::HelloResponse response;
    ASSERT_TRUE(stub->Hello(&context, hello, &response).ok());
    EXPECT_EQ(response.limits().max_batch_bytes(), 8u << 20);
    EXPECT_EQ(response.limits().max_record_bytes(), 4u << 20);
    EXPECT_EQ(response.limits().max_message_bytes(), 8u << 20);
    EXPECT_EQ(response.limits().max_batch_records(), 100'000u);
  }

  RecordSchema schema("memo", "Memo", "XX",
                      {{"code", FieldType::kText, 0}, {"note", FieldType::kText, 0}}, {"code"});
  ASSERT_OK(schema.Finalize());
  constexpr int kStreams = 32;
  std::atomic<int> refused_bombs{0};
  std::atomic<int> other_endings{0};
  std::vector<std::thread> clients;
  for (int s = 0; s < kStreams; ++s) {
    clients.emplace_back([&] {
      grpc::ClientContext context;
      AttachBearerToken(&context, token);
      auto stream = stub->Sync(&context);
      v1::SyncRequest start;
      start.mutable_start()->set_run_id("limits");
      stream->Write(start);
      v1::SyncRequest open;
      SchemaToProto(schema, open.mutable_entity_start()->mutable_schema());
      stream->Write(open);
      // Three batches of 6 MiB each, then a few KB claiming 100 MiB.
      for (uint64_t sequence = 1; sequence <= 3; ++sequence) {
        if (!stream->Write(LargeBatch(schema, sequence, 6, 1u << 20))) break;
      }
      v1::SyncRequest bomb;
      bomb.mutable_batch()->set_entity_id("memo");
      bomb.mutable_batch()->set_sequence(4);
      bomb.mutable_batch()->set_packed_count(1);
      bomb.mutable_batch()->set_packed_codec(v1::PACKED_CODEC_ZSTD);
      EXPECT_OK(PackedCompressor(3).Compress(std::string(100u << 20, '\0'),
                                             bomb.mutable_batch()->mutable_packed_records()));
      stream->Write(bomb);
      stream->WritesDone();
      v1::SyncResponse response;
      while (stream->Read(&response)) {
      }
      const grpc::Status status = stream->Finish();
      if (status.error_code() == grpc::StatusCode::INVALID_ARGUMENT &&
          status.error_message().find("(max_batch_bytes)") != std::string::npos) {
        ++refused_bombs;
      } else {
        // Temporary capacity only: too many streams, or the budget full.
        EXPECT_EQ(status.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED)
            << status.error_message();
        ++other_endings;
      }
    });
  }
  for (std::thread& client : clients) client.join();
  EXPECT_EQ(refused_bombs + other_endings, kStreams);
  EXPECT_GT(refused_bombs, 0);
  // Without the bound: 32 streams x (3 batches of 6 MiB + a 100 MiB bomb).
  const size_t peak = PeakRssOf(server_->pid());
  EXPECT_LT(peak, 160u << 20) << "peak RSS " << (peak >> 20) << " MiB";
  std::cout << "server peak RSS " << (peak >> 20) << " MiB, budget " << (kBudget >> 20)
            << " MiB, " << refused_bombs << " bombs refused\n";
}

INSTANTIATE_BACKEND_TEST_SUITE_P(ServerLimitsTest);

}  // namespace
}  // namespace erpsync::testing
