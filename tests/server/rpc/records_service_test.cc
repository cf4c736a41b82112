// The RecordsService gRPC service through a real ServerApp and its
// in-process channel: records written with older schemas read in the
// current one, MONEY's default scale, and page tokens that are opaque and
// bound to their listing.
#include "server/rpc/records_service.h"

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "common/grpc/grpc_util.h"
#include "common/record_codec.h"
#include "common/schema_proto.h"
#include "common/secret_token.h"
#include "server/app/server_app.h"
#include "tests/support/status_matchers.h"
#include "tests/support/store_backend.h"
#include "tests/support/temp_dir.h"

namespace erpsync::server {
namespace {

class RecordsServiceTest : public ::testing::TestWithParam<StoreKind> {
 protected:
  void SetUp() override {
    ServerConfig config;
    config.listen = "127.0.0.1:0";
    config.data_dir = dir_.File("server");
    config.mail.digest_at = "off";
    ASSERT_OK_AND_ASSIGN(store_backend_, erpsync::testing::TestStoreBackend::Create(GetParam()));
    store_backend_->Configure(&config.store);
    ASSERT_OK_AND_ASSIGN(app_, ServerApp::Start(config));
    DirectoryStore& directory = app_->directory();
    for (const std::string company_name : {"Acme", "Other Co"}) {
      const Company company = *directory.AddCompany(company_name);
      const std::string user = company_name == "Acme" ? "rita" : "eve";
      ASSERT_OK(directory.AddAgent(company.id, "sage300", HashSecretToken(user + "-agent"), ""));
      ASSERT_OK(directory.AddUser(
          company.id, NewUser{user, user + "@example.test", ToolLevel::kReadOnly, false},
          HashSecretToken(user + "-token")));
      connections_.push_back(directory.FindConnection(company.id, "sage300")->id);
    }
    stub_ = v1::RecordsService::NewStub(app_->InProcessChannel());
  }

  // Stores `rows` of `schema` (a value per field: text for TEXT, the
  // decimal integer for the integer-encoded types, "" for null) on
  // Acme's connection, or Other Co's with `connection` 1.
  void Store(const RecordSchema& schema, const std::vector<std::vector<std::string>>& rows,
             int connection = 0) {
    ASSERT_OK_AND_ASSIGN(const EntityState entity,
                         app_->records().OpenEntity(connections_[connection], schema));
    RecordWriter writer(&entity.schema);
    std::vector<std::string> keys;
    std::vector<std::string> values;
    for (const std::vector<std::string>& row : rows) {
      writer.Begin();
      for (size_t i = 0; i < row.size(); ++i) {
        if (row[i].empty()) {
          writer.PutNull();
        } else if (IsIntegerEncoded(entity.schema.fields()[i].type)) {
          writer.PutInt(std::stoll(row[i]));
        } else {
          writer.PutText(row[i]);
        }
      }
      keys.push_back(row[entity.schema.key_indexes()[0]]);
      values.emplace_back(writer.Finish());
    }
    std::vector<IncomingRecord> incoming;
    for (size_t i = 0; i < rows.size(); ++i) {
      incoming.push_back({keys[i], values[i], ContentHash(entity.schema, values[i]), false});
    }
    ASSERT_OK(app_->records().ApplyBatch(entity.id, entity.schema_id, incoming));
  }

  // `count` jobs "1".."count" of entity `entity_id`.
  void StoreJobs(const std::string& entity_id, int count, int connection = 0) {
    RecordSchema schema(entity_id, entity_id, "JC",
                        {{"job", FieldType::kText, 0}, {"name", FieldType::kText, 0}}, {"job"});
    std::vector<std::vector<std::string>> rows;
    for (int i = 1; i <= count; ++i)
      rows.push_back({std::to_string(i), "job " + std::to_string(i)});
    Store(schema, rows, connection);
  }

  grpc::Status List(const v1::ListRecordsRequest& request, v1::ListRecordsResponse* response,
                    const std::string& user = "rita") {
    grpc::ClientContext context;
    AttachBearerToken(&context, user + "-token");
    return stub_->ListRecords(&context, request, response);
  }

  static v1::ListRecordsRequest Request(const std::string& entity_id, uint32_t page_size = 0,
                                        const std::string& token = "") {
    v1::ListRecordsRequest request;
    request.set_entity_id(entity_id);
    request.set_page_size(page_size);
    request.set_page_token(token);
    return request;
  }

  // The next_page_token of the first page of `entity_id` with pages of 2.
  std::string SecondPageToken(const std::string& entity_id, const std::string& user = "rita") {
    v1::ListRecordsResponse response;
    EXPECT_TRUE(List(Request(entity_id, 2), &response, user).ok());
    EXPECT_FALSE(response.next_page_token().empty());
    return response.next_page_token();
  }

  void ExpectInvalidToken(const v1::ListRecordsRequest& request, const std::string& message,
                          const std::string& user = "rita") {
    v1::ListRecordsResponse response;
    const grpc::Status status = List(request, &response, user);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT)
        << "token '" << request.page_token().substr(0, 40) << "'";
    EXPECT_EQ(status.error_message(), message);
  }

  erpsync::testing::TempDir dir_;
  // Before app_: a PostgreSQL database is dropped after the server stops.
  std::unique_ptr<erpsync::testing::TestStoreBackend> store_backend_;
  std::unique_ptr<ServerApp> app_;
  std::vector<int64_t> connections_;
  std::unique_ptr<v1::RecordsService::Stub> stub_;
};

TEST_P(RecordsServiceTest, OldRecordsAreReturnedByFieldNameInTheCurrentSchema) {
  RecordSchema old_schema("cv_job", "Job (CV)", "CV",
                          {{"job", FieldType::kText, 0},
                           {"description", FieldType::kText, 0},
                           {"amount", FieldType::kMoney, 2}},
                          {"job"});
  Store(old_schema, {{"24-101", "Main Street", "123456"}});
  RecordSchema new_schema("cv_job", "Job (CV)", "CV",
                          {{"amount", FieldType::kMoney, 2},
                           {"job", FieldType::kText, 0},
                           {"manager", FieldType::kText, 0}},
                          {"job"});
  Store(new_schema, {{"99", "24-102", "Pat"}});

  v1::ListRecordsResponse response;
  ASSERT_TRUE(List(Request("cv_job"), &response).ok());
  ASSERT_EQ(response.schema().fields_size(), 3);
  EXPECT_EQ(response.schema().fields(2).name(), "manager");
  ASSERT_EQ(response.records_size(), 2);
  const v1::MirroredRecord& old_record = response.records(0);
  EXPECT_EQ(old_record.key(), "24-101");
  ASSERT_EQ(old_record.values_size(), 3);
  EXPECT_EQ(old_record.values(0).decimal(), "1234.56");
  EXPECT_EQ(old_record.values(1).text(), "24-101");
  EXPECT_EQ(old_record.values(2).kind_case(), v1::Value::KIND_NOT_SET) << "absent field: null";
  EXPECT_EQ(response.records(1).values(0).decimal(), "0.99");
  EXPECT_EQ(response.records(1).values(2).text(), "Pat");
}

TEST_P(RecordsServiceTest, MoneyWithoutAScaleHasTwoDigits) {
  v1::EntitySchema proto;
  proto.set_entity_id("ap_invoice");
  proto.add_key_fields("invoice");
  v1::FieldSpec* invoice = proto.add_fields();
  invoice->set_name("invoice");
  invoice->set_type(v1::FieldSpec::TEXT);
  v1::FieldSpec* amount = proto.add_fields();
  amount->set_name("amount");
  amount->set_type(v1::FieldSpec::MONEY);  // scale unset
  ASSERT_OK_AND_ASSIGN(const RecordSchema schema, SchemaFromProto(proto));
  Store(schema, {{"INV-1", "123456"}});

  v1::ListRecordsResponse response;
  ASSERT_TRUE(List(Request("ap_invoice"), &response).ok());
  EXPECT_EQ(response.schema().fields(1).scale(), 2u);
  ASSERT_EQ(response.records_size(), 1);
  EXPECT_EQ(response.records(0).values(1).decimal(), "1234.56");
}

TEST_P(RecordsServiceTest, PagesFollowTheirTokensToTheEnd) {
  StoreJobs("cv_job", 5);
  std::vector<std::string> keys;
  std::string token;
  int pages = 0;
  do {
    v1::ListRecordsResponse response;
    ASSERT_TRUE(List(Request("cv_job", 2, token), &response).ok());
    for (const v1::MirroredRecord& record : response.records()) keys.push_back(record.key());
    token = response.next_page_token();
    ++pages;
  } while (!token.empty() && pages < 10);
  EXPECT_EQ(pages, 3);
  EXPECT_EQ(keys, (std::vector<std::string>{"1", "2", "3", "4", "5"}));
}

TEST_P(RecordsServiceTest, StartsAfterAKeyGivenAsSuch) {
  StoreJobs("cv_job", 5);
  v1::ListRecordsRequest request = Request("cv_job", 2);
  request.set_start_after_key("3");
  v1::ListRecordsResponse response;
  ASSERT_TRUE(List(request, &response).ok());
  ASSERT_EQ(response.records_size(), 2);
  EXPECT_EQ(response.records(0).key(), "4");
  request.set_page_token(SecondPageToken("cv_job"));
  const grpc::Status status = List(request, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(status.error_message(),
            "start_after_key: only for the first page; a page_token already says where to go on");
}

TEST_P(RecordsServiceTest, PageTokensAreOpaque) {
  StoreJobs("cv_job", 5);
  const std::string token = SecondPageToken("cv_job");
  EXPECT_EQ(token.find('2'), std::string::npos) << "the last key does not show: " << token;
  for (const char c : token) {
    EXPECT_TRUE(std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_') << token;
  }
}

TEST_P(RecordsServiceTest, RefusesPageTokensItDidNotIssue) {
  StoreJobs("cv_job", 5);
  ExpectInvalidToken(Request("cv_job", 2, "garbage!!"),
                     "page_token: not a page token of this server (not base64url)");
  ExpectInvalidToken(Request("cv_job", 2, "AAAA"),
                     "page_token: not a page token of this server (too short)");
  ExpectInvalidToken(Request("cv_job", 2, std::string(1 << 20, 'A')),
                     "page_token: 1048576 characters; a page token has at most 4096");
  std::string tampered = SecondPageToken("cv_job");
  tampered[tampered.size() / 2] = tampered[tampered.size() / 2] == 'A' ? 'B' : 'A';
  ExpectInvalidToken(Request("cv_job", 2, tampered),
                     "page_token: damaged (its integrity check fails)");
}

TEST_P(RecordsServiceTest, RefusesATokenOfAnotherListing) {
  StoreJobs("cv_job", 5);
  StoreJobs("vendor", 5);
  const std::string jobs = SecondPageToken("cv_job");
  const std::string message =
      "page_token: belongs to another listing; pass a token only to the listing that returned "
      "it, with the same filters";
  ExpectInvalidToken(Request("vendor", 2, jobs), message);
  v1::ListRecordsRequest with_deleted = Request("cv_job", 2, jobs);
  with_deleted.set_include_deleted(true);
  ExpectInvalidToken(with_deleted, message);
  // The page size may change from page to page.
  v1::ListRecordsResponse response;
  ASSERT_TRUE(List(Request("cv_job", 3, jobs), &response).ok());
  ASSERT_EQ(response.records_size(), 3);
  EXPECT_EQ(response.records(0).key(), "3");
}

TEST_P(RecordsServiceTest, ATokenOfAnotherCompanyPagesNothing) {
  StoreJobs("cv_job", 5);
  StoreJobs("cv_job", 5, 1);
  ExpectInvalidToken(Request("cv_job", 2, SecondPageToken("cv_job", "rita")),
                     "page_token: belongs to another listing; pass a token only to the listing "
                     "that returned it, with the same filters",
                     "eve");
}

}  // namespace
}  // namespace erpsync::server

namespace erpsync::server {
namespace {

class VerifyEntitiesTest : public RecordsServiceTest {
 protected:
  void SetUp() override {
    RecordsServiceTest::SetUp();
    const Company acme = *app_->directory().FindCompany("Acme");
    ASSERT_OK(app_->directory().AddUser(
        acme.id, NewUser{"ada", "ada@example.test", ToolLevel::kAdmin, false},
        HashSecretToken("ada-token")));
    StoreJobs("jc_job", 3);
  }

  grpc::Status Verify(const std::string& user, v1::VerifyEntitiesResponse* response,
                      const std::string& entity_id = "") {
    grpc::ClientContext context;
    AttachBearerToken(&context, user + "-token");
    v1::VerifyEntitiesRequest request;
    request.set_entity_id(entity_id);
    return stub_->VerifyEntities(&context, request, response);
  }
};

TEST_P(VerifyEntitiesTest, NeedsAdmin) {
  v1::VerifyEntitiesResponse response;
  const grpc::Status status = Verify("rita", &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(status.error_message(),
            "user 'rita' has Read Only access to ERP Integrations; this needs Admin or higher");
}

TEST_P(VerifyEntitiesTest, ReportsStoredAndRecomputedFigures) {
  v1::VerifyEntitiesResponse clean;
  ASSERT_TRUE(Verify("ada", &clean).ok());
  EXPECT_EQ(clean.connection(), "sage300");
  ASSERT_EQ(clean.entities_size(), 1);
  EXPECT_TRUE(clean.entities(0).agrees());
  EXPECT_EQ(clean.entities(0).recomputed().record_count(), 3u);
  const uint64_t checksum = clean.entities(0).stored().checksum();
  store_backend_->ExecSql(dir_.File("server") + "/erpsync.db",
                          "UPDATE entities SET checksum = checksum + 1, live_count = 4");
  v1::VerifyEntitiesResponse drifted;
  ASSERT_TRUE(Verify("ada", &drifted, "jc_job").ok());
  ASSERT_EQ(drifted.entities_size(), 1);
  const v1::EntityVerification& entity = drifted.entities(0);
  EXPECT_EQ(entity.entity_id(), "jc_job");
  EXPECT_FALSE(entity.agrees());
  EXPECT_EQ(entity.stored().record_count(), 4u);
  EXPECT_EQ(entity.stored().checksum(), checksum + 1);
  EXPECT_EQ(entity.recomputed().record_count(), 3u);
  EXPECT_EQ(entity.recomputed().checksum(), checksum);
}

TEST_P(VerifyEntitiesTest, UnknownEntityIsNotFound) {
  v1::VerifyEntitiesResponse response;
  EXPECT_EQ(Verify("ada", &response, "jc_nope").error_code(), grpc::StatusCode::NOT_FOUND);
}

INSTANTIATE_BACKEND_TEST_SUITE_P(RecordsServiceTest);
INSTANTIATE_BACKEND_TEST_SUITE_P(VerifyEntitiesTest);

}  // namespace
}  // namespace erpsync::server
