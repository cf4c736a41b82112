// The Advanced Mappings against a real server in the same process: the full
// catalog synced and verified, the deep sync an enabled mapping owes, what
// each option does to what the server receives, and a record type added by
// dropping a file into the mappings directory.
#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <set>

#include "agent/state/mapping_admin.h"
#include "common/grpc/grpc_util.h"
#include "erpsync/v1/records.grpc.pb.h"
#include "tests/agent/erp/erp_test_util.h"
#include "tests/integration/sync_fixture.h"
#include "tests/support/sqlite_exec.h"
#include "tests/support/status_matchers.h"

namespace erpsync::testing {
namespace {

// The live records of one entity as the server holds them.
struct ServerEntity {
  std::vector<std::string> fields;
  std::vector<v1::MirroredRecord> records;

  int Field(const std::string& name) const {
    const auto it = std::find(fields.begin(), fields.end(), name);
    return it == fields.end() ? -1 : static_cast<int>(it - fields.begin());
  }
  // Live records per text value of `field`.
  std::map<std::string, uint64_t> CountBy(const std::string& field) const {
    std::map<std::string, uint64_t> counts;
    const int index = Field(field);
    EXPECT_GE(index, 0) << field;
    for (const v1::MirroredRecord& record : records) ++counts[record.values(index).text()];
    return counts;
  }
};

class MappingsTest : public SyncFixture {
 protected:
  // Seed 7: a company whose jobs have extras.
  void SetUp() override { StartAll(/*jobs=*/4, /*transactions=*/3000, /*seed=*/7); }

  agent::MappingAdmin Admin() { return agent::MappingAdmin(&catalog_, state_.get(), &RealClock()); }

  void Enable(const std::vector<std::string>& ids) {
    const auto outcome = Admin().Enable(ids, /*with_dependencies=*/false, *erp_);
    ASSERT_OK(outcome);
  }
  void Set(const std::string& id, const std::string& choice, bool on, bool force = false) {
    const auto outcome = Admin().SetChoice(id, choice, on, force);
    ASSERT_OK(outcome);
  }
  bool NeedsDeepSync(const std::string& id) {
    const auto row = Admin().Row(id);
    EXPECT_OK(row);
    return row.ok() && row->settings.needs_deep_sync;
  }
  // Runs a deep sync that must succeed; returns the ids synced, in order.
  std::vector<std::string> ExpectDeepSyncOk(std::vector<std::string> only,
                                            const std::string& since = "beginning") {
    agent::SyncCommand command;
    command.deep = true;
    command.only = std::move(only);
    const auto timeframe =
        agent::ParseTimeframe(since, ToLocalDateTime(RealClock().NowUnix()).date);
    EXPECT_OK(timeframe);
    command.since = *timeframe;
    const auto report = Sync(command);
    EXPECT_OK(report);
    std::vector<std::string> order;
    if (!report.ok()) return order;
    for (const agent::EntityReport& entity : report->entities) {
      EXPECT_EQ(entity.error, "") << entity.entity_id;
      order.push_back(entity.entity_id);
    }
    return order;
  }

  ServerEntity FromServer(const std::string& entity_id) {
    ServerEntity entity;
    auto stub = v1::RecordsService::NewStub(server_->InProcessChannel());
    std::string token;
    do {
      grpc::ClientContext context;
      AttachBearerToken(&context, user_token_);
      v1::ListRecordsRequest request;
      request.set_entity_id(entity_id);
      request.set_page_size(5000);
      request.set_page_token(token);
      v1::ListRecordsResponse response;
      const grpc::Status status = stub->ListRecords(&context, request, &response);
      EXPECT_TRUE(status.ok()) << status.error_message();
      if (!status.ok()) break;
      if (entity.fields.empty()) {
        for (const auto& field : response.schema().fields()) entity.fields.push_back(field.name());
      }
      for (auto& record : *response.mutable_records()) entity.records.push_back(std::move(record));
      token = response.next_page_token();
    } while (!token.empty());
    return entity;
  }

  // Rows of the sample company per value of `column` of `table`.
  std::map<std::string, uint64_t> ErpCountBy(const std::string& table, const std::string& column) {
    std::map<std::string, uint64_t> counts;
    for (const auto& row : agent::testing::Query(
             erp_path_, "SELECT " + column + ", COUNT(*) FROM " + table + " GROUP BY 1")) {
      counts[row[0].value_or("")] = std::stoull(*row[1]);
    }
    return counts;
  }
};

TEST_P(MappingsTest, TheFullCatalogSyncsAndTheServerMirrorsEveryRecordType) {
  std::vector<std::string> all;
  for (const agent::MappingDefinition& mapping : catalog_.mappings()) all.push_back(mapping.id());
  Enable(all);
  const std::vector<std::string> order = ExpectDeepSyncOk({});
  ExpectServerMirrorsErp();
  // Every record type is synced after the ones it depends on.
  ASSERT_EQ(order.size(), 35u);
  for (size_t i = 0; i < order.size(); ++i) {
    for (const std::string& dependency : catalog_.Find(order[i])->spec.depends_on()) {
      const auto at = std::find(order.begin(), order.end(), dependency);
      EXPECT_LT(at - order.begin(), static_cast<std::ptrdiff_t>(i))
          << order[i] << " -> " << dependency;
    }
  }
  const auto server = ServerFigures();
  EXPECT_EQ(server.size(), 35u);
  for (const auto& [id, figures] : server) EXPECT_GT(figures.count, 0u) << id;
  for (const std::string& id : all) EXPECT_FALSE(NeedsDeepSync(id)) << id;
  // Incremental syncs, by row stamp or by content hash, send nothing more.
  const auto incremental = IncrementalSync();
  ASSERT_OK(incremental);
  EXPECT_EQ(incremental->entities.size(), 35u);
  for (const agent::EntityReport& entity : incremental->entities) {
    EXPECT_EQ(entity.records_sent, 0u) << entity.entity_id;
  }
}

TEST_P(MappingsTest, AnEnabledMappingNeedsADeepSyncFromTheBeginningUntilOneRuns) {
  Enable({"jc_extra"});
  EXPECT_TRUE(NeedsDeepSync("jc_extra"));
  ASSERT_OK(IncrementalSync({"jc_extra"}));
  EXPECT_TRUE(NeedsDeepSync("jc_extra"));
  ExpectDeepSyncOk({"jc_extra"}, "year");
  EXPECT_TRUE(NeedsDeepSync("jc_extra"));
  ExpectDeepSyncOk({"jc_extra"});
  EXPECT_FALSE(NeedsDeepSync("jc_extra"));
  ExpectServerMirrorsErp({"jc_extra"});
  // An option change owes a new one.
  Set("jc_transaction", "equipment", true);      // already ticked: no change
  EXPECT_TRUE(NeedsDeepSync("jc_transaction"));  // never deep-synced yet
  ExpectDeepSyncOk({"jc_transaction"});
  EXPECT_FALSE(NeedsDeepSync("jc_transaction"));
  Set("jc_transaction", "equipment", false, /*force=*/true);
  EXPECT_TRUE(NeedsDeepSync("jc_transaction"));
}

TEST_P(MappingsTest, LinkedFieldsLeftOutAreAbsentOnTheServer) {
  const std::vector<std::pair<std::string, std::string>> linked = {
      {"commitment_change_order", "change_order"},
      {"credit_account", "credit_account"},
      {"debit_account", "debit_account"},
      {"employee", "employee"},
      {"equipment", "equipment"},
      {"pay_id", "pay_id"},
      {"reference_1", "reference_1"},
      {"reference_2", "reference_2"}};
  // Half of them left out, then the other half: each option is seen both
  // ways.
  for (size_t round = 0; round < 2; ++round) {
    for (size_t i = 0; i < linked.size(); ++i) {
      Set("jc_transaction", linked[i].first, i % 2 != round, /*force=*/true);
    }
    ExpectDeepSyncOk({"jc_transaction"});
    ExpectServerMirrorsErp({"jc_transaction"});
    const ServerEntity server = FromServer("jc_transaction");
    EXPECT_EQ(server.records.size(), 3000u);
    for (size_t i = 0; i < linked.size(); ++i) {
      EXPECT_EQ(server.Field(linked[i].second) >= 0, i % 2 != round)
          << "round " << round << ": " << linked[i].second;
    }
    for (const char* kept : {"row_id", "job", "transaction_type", "amount", "vendor", "run"}) {
      EXPECT_GE(server.Field(kept), 0) << kept;
    }
  }
}

TEST_P(MappingsTest, ExcludedTransactionTypesAreNotSentAndLaterDeleted) {
  const auto erp = ErpCountBy("JCT_CURRENT__TRANSACTION", "Transaction_Type");
  const agent::MappingDefinition* mapping = catalog_.Find("jc_transaction");
  ASSERT_NE(mapping, nullptr);
  const auto& choices = mapping->spec.options(0).row_filter().choices();
  ASSERT_EQ(choices.size(), 11);
  // Odd choices unticked before anything synced, then (forced, after data
  // synced) the even ones instead.
  for (int round = 0; round < 2; ++round) {
    std::map<std::string, uint64_t> expected;
    for (int i = 0; i < choices.size(); ++i) {
      const bool on = i % 2 == round;
      Set("jc_transaction", choices[i].id(), on, /*force=*/true);
      if (on && erp.count(choices[i].value()) > 0)
        expected[choices[i].value()] = erp.at(choices[i].value());
    }
    ExpectDeepSyncOk({"jc_transaction"});
    ExpectServerMirrorsErp({"jc_transaction"});
    EXPECT_EQ(FromServer("jc_transaction").CountBy("transaction_type"), expected)
        << "round " << round;
  }
  // Every type occurs in the sample company, so both rounds sent something.
  EXPECT_EQ(erp.size(), 11u);
}

TEST_P(MappingsTest, OtherRecordTypesDeclareOptionsTheSameWay) {
  Enable({"jc_commitment"});
  Set("jc_commitment", "type_purchase_order", false);
  ExpectDeepSyncOk({"jc_commitment"});
  ExpectServerMirrorsErp({"jc_commitment"});
  const auto erp = ErpCountBy("JCM_MASTER__COMMITMENT", "Commitment_Type");
  ASSERT_GT(erp.count("Purchase order"), 0u);
  EXPECT_EQ(FromServer("jc_commitment").CountBy("commitment_type"),
            (std::map<std::string, uint64_t>{{"Subcontract", erp.at("Subcontract")}}));
}

TEST_P(MappingsTest, ARecordTypeIsAddedByDroppingAFileIntoTheMappingsDirectory) {
  // A table the shipped catalog does not know, as another ERP module would
  // bring.
  std::string sql =
      "CREATE TABLE EQM_MASTER__EQUIPMENT (Equipment TEXT NOT NULL PRIMARY KEY, Description TEXT, "
      "Hourly_Rate TEXT, Purchase_Date TEXT, Active TEXT);";
  for (int i = 1; i <= 120; ++i) {
    sql += "INSERT INTO EQM_MASTER__EQUIPMENT VALUES ('EQ-" + std::to_string(100 + i) +
           "', 'Excavator " + std::to_string(i) + "', '" + std::to_string(40 + i) +
           ".50', '2021-03-" + std::to_string(10 + i % 18) + "', '" + (i % 7 == 0 ? "N" : "Y") +
           "');";
  }
  ExecSql(erp_path_, sql);
  mappings_dir_ = dir_.File("mappings");
  std::filesystem::copy(ERPSYNC_SOURCE_DIR "/mappings/sage300cre", mappings_dir_);
  WriteTextFile(mappings_dir_ + "/eq_equipment.textproto",
                "# proto-file: protos/erpsync/v1/mapping.proto\n"
                "# proto-message: erpsync.v1.EntityMapping\n"
                "id: \"eq_equipment\"\n"
                "display_name: \"Equipment (EQ)\"\n"
                "module: \"EQ\"\n"
                "description: \"Equipment with its hourly rate.\"\n"
                "table: \"EQM_MASTER__EQUIPMENT\"\n"
                "fields { name: \"equipment\" column: \"Equipment\" type: TEXT }\n"
                "fields { name: \"description\" column: \"Description\" type: TEXT }\n"
                "fields { name: \"hourly_rate\" column: \"Hourly_Rate\" type: MONEY }\n"
                "fields { name: \"purchase_date\" column: \"Purchase_Date\" type: DATE }\n"
                "fields { name: \"active\" column: \"Active\" type: BOOLEAN }\n"
                "key: \"equipment\"\n");
  OpenAgent();
  ASSERT_EQ(catalog_.mappings().size(), 36u);
  Enable({"eq_equipment"});
  ExpectDeepSyncOk({"eq_equipment"});
  ExpectServerMirrorsErp({"eq_equipment"});
  EXPECT_EQ(ServerFigures()["eq_equipment"].count, 120u);
  const ServerEntity server = FromServer("eq_equipment");
  ASSERT_EQ(server.records.size(), 120u);
  EXPECT_EQ(server.records[0].values(server.Field("hourly_rate")).decimal(), "41.50");
  EXPECT_TRUE(server.records[0].values(server.Field("active")).boolean());

  // No row stamp: incremental syncs find changes and deletions by hash.
  ExecSql(erp_path_,
       "UPDATE EQM_MASTER__EQUIPMENT SET Hourly_Rate = '99.00' WHERE Equipment = 'EQ-101';"
       "DELETE FROM EQM_MASTER__EQUIPMENT WHERE Equipment = 'EQ-102';");
  const auto incremental = IncrementalSync({"eq_equipment"});
  ASSERT_OK(incremental);
  EXPECT_EQ(FindEntity(*incremental, "eq_equipment")->records_sent, 2u);
  ExpectServerMirrorsErp({"eq_equipment"});
  EXPECT_EQ(ServerFigures()["eq_equipment"].count, 119u);
}

INSTANTIATE_BACKEND_TEST_SUITE_P(MappingsTest);

}  // namespace
}  // namespace erpsync::testing
