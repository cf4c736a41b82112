// SyncStreamFixture: a real RecordStore on each backend (StoreTest) with
// one company and agent, a SyncStreamHandler for that agent, and builders
// of the sync messages of a "vendor" entity (plain, packed and census
// batches), for the tests of the server's sync stream.
#ifndef ERPSYNC_TESTS_SERVER_SYNC_SYNC_STREAM_FIXTURE_H_
#define ERPSYNC_TESTS_SERVER_SYNC_SYNC_STREAM_FIXTURE_H_

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "common/packed_records.h"
#include "common/record_codec.h"
#include "common/schema_proto.h"
#include "common/secret_token.h"
#include "server/store/directory_store.h"
#include "tests/server/store/store_test_util.h"
#include "server/sync/sync_stream_handler.h"
#include "tests/support/status_matchers.h"
#include "tests/support/temp_dir.h"

namespace erpsync::server {

class SyncStreamFixture : public testing::StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    directory_ = &stores_->directory();
    records_ = &stores_->records();
    const Company company = *directory_->AddCompany("Acme");
    const int64_t agent = *directory_->AddAgent(company.id, "sage300", HashSecretToken("t"), "");
    agent_ = *directory_->FindPrincipal(HashSecretToken("t"));
    ASSERT_EQ(agent_.id, agent);
    schema_ =
        RecordSchema("vendor", "Vendor", "AP",
                     {{"vendor", FieldType::kText, 0}, {"name", FieldType::kText, 0}}, {"vendor"});
    ASSERT_OK(schema_.Finalize());
    handler_ = std::make_unique<SyncStreamHandler>(records_, agent_);
  }

  Result<v1::SyncResponse> Send(v1::SyncRequest request) { return handler_->Handle(request); }

  v1::SyncRequest Start() {
    v1::SyncRequest request;
    request.mutable_start()->set_run_id("r");
    return request;
  }
  v1::SyncRequest Open(bool full_pass, bool census = false) {
    v1::SyncRequest request;
    SchemaToProto(schema_, request.mutable_entity_start()->mutable_schema());
    request.mutable_entity_start()->set_full_pass(full_pass);
    request.mutable_entity_start()->set_census(census);
    return request;
  }
  v1::SyncRequest Batch(uint64_t sequence, const std::vector<std::string>& vendors) {
    v1::SyncRequest request;
    v1::RecordBatch* batch = request.mutable_batch();
    batch->set_entity_id("vendor");
    batch->set_sequence(sequence);
    RecordWriter writer(&schema_);
    for (const std::string& vendor : vendors) {
      writer.Begin();
      writer.PutText(vendor);
      writer.PutText("Name of " + vendor);
      v1::Record* record = batch->add_records();
      record->set_key(vendor);
      record->set_values(std::string(writer.Finish()));
    }
    return request;
  }
  // Batch(sequence, vendors) as the agent sends it: packed, zstd.
  v1::SyncRequest Packed(uint64_t sequence, const std::vector<std::string>& vendors) {
    const v1::SyncRequest plain = Batch(sequence, vendors);
    PackedRecordWriter writer;
    for (const v1::Record& record : plain.batch().records()) {
      writer.Add(record.key(), record.values());
    }
    v1::SyncRequest packed;
    packed.mutable_batch()->set_entity_id("vendor");
    packed.mutable_batch()->set_sequence(sequence);
    packed.mutable_batch()->set_packed_count(static_cast<uint32_t>(vendors.size()));
    packed.mutable_batch()->set_packed_codec(v1::PACKED_CODEC_ZSTD);
    EXPECT_OK(PackedCompressor(3).Compress(writer.TakeRaw(),
                                           packed.mutable_batch()->mutable_packed_records()));
    return packed;
  }
  v1::SyncRequest Census(uint64_t sequence, const std::vector<std::string>& keys) {
    v1::SyncRequest request;
    request.mutable_batch()->set_entity_id("vendor");
    request.mutable_batch()->set_sequence(sequence);
    for (const std::string& key : keys) request.mutable_batch()->add_present_keys(key);
    return request;
  }
  v1::SyncRequest End(bool complete = true) {
    v1::SyncRequest request;
    request.mutable_entity_end()->set_entity_id("vendor");
    request.mutable_entity_end()->set_complete(complete);
    return request;
  }

  DirectoryStore* directory_ = nullptr;
  RecordStore* records_ = nullptr;
  Principal agent_;
  RecordSchema schema_;
  std::unique_ptr<SyncStreamHandler> handler_;
};

}  // namespace erpsync::server

#endif  // ERPSYNC_TESTS_SERVER_SYNC_SYNC_STREAM_FIXTURE_H_
