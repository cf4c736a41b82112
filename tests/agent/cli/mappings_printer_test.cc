// What `mappings list` and `status` print, from hand-made rows.
#include "agent/cli/mappings_printer.h"

#include <gtest/gtest.h>

namespace erpsync::agent {
namespace {

MappingDefinition Mapping(const std::string& id, const std::string& name) {
  MappingDefinition mapping;
  mapping.spec.set_id(id);
  mapping.spec.set_display_name(name);
  mapping.spec.set_module("JC");
  mapping.spec.set_description("About " + name + ".");
  return mapping;
}

class MappingsPrinterTest : public ::testing::Test {
 protected:
  MappingsPrinterTest()
      : job_(Mapping("jc_job", "Job (JC)")),
        transaction_(Mapping("jc_transaction", "Transaction (JC)")) {
    transaction_.spec.add_depends_on("jc_job");
    MappingRow job;
    job.mapping = &job_;
    job.settings.enabled = true;
    job.progress.last_sync_unix = 1'700'000'000;
    job.progress.last_deep_sync_unix = 1'700'000'000;
    job.progress.records_last_synced = 1234;
    job.progress.server_count = 1234;
    MappingRow transaction;
    transaction.mapping = &transaction_;
    transaction.settings.enabled = true;
    transaction.settings.needs_deep_sync = true;
    transaction.progress.last_error = "ERP unavailable";
    transaction.panels.push_back(
        PanelState{"linked_fields",
                   "Optional linked fields",
                   false,
                   {{"employee", "Employee", false}, {"pay_id", "Pay ID", true}}});
    rows_ = {job, transaction};
  }

  MappingDefinition job_;
  MappingDefinition transaction_;
  std::vector<MappingRow> rows_;
};

TEST_F(MappingsPrinterTest, ListShowsTheTableTheOptionsAndTheDeepSyncOwed) {
  const std::string text = FormatMappingListText(rows_, /*verbose=*/false);
  const std::string deep = FormatLocalTime(1'700'000'000);
  EXPECT_EQ(text,
            "ID              RECORD TYPE       MODULE  ENABLED  ON SERVER  LAST DEEP SYNC" +
                std::string(deep.size() - 14 + 2, ' ') +
                "DEEP SYNC\n"
                "jc_job          Job (JC)          JC      yes          1,234  " +
                deep +
                "  -\n"
                "jc_transaction  Transaction (JC)  JC      yes              -  never" +
                std::string(deep.size() - 5 + 2, ' ') +
                "needed\n"
                "\n"
                "Transaction (JC) [jc_transaction]\n"
                "  Optional linked fields (unticked fields are left out)\n"
                "    [ ]  employee  Employee\n"
                "    [x]  pay_id    Pay ID\n"
                "\n"
                "2 record types, 2 enabled.\n"
                "1 record type needs a deep sync from the beginning of time: erpsync-agent sync "
                "--deep --since beginning --only jc_transaction\n");
  const std::string verbose = FormatMappingListText(rows_, /*verbose=*/true);
  EXPECT_NE(verbose.find("Job (JC) [jc_job]\n  About Job (JC).\n"), std::string::npos) << verbose;
  EXPECT_NE(verbose.find("  About Transaction (JC).\n  depends on: jc_job\n"), std::string::npos)
      << verbose;
}

TEST_F(MappingsPrinterTest, ListJsonHasEveryColumnAndChoice) {
  const std::string json = FormatMappingListJson(rows_);
  EXPECT_EQ(json.rfind("{\"mappings\":[{\"id\":\"jc_job\",\"display_name\":\"Job (JC)\",\"module\":"
                       "\"JC\",\"description\":\"About Job (JC).\",\"enabled\":true,"
                       "\"needs_deep_sync\":false,\"records_last_synced\":1234,"
                       "\"last_sync_unix\":1700000000,\"last_deep_sync_unix\":1700000000,"
                       "\"server_count\":1234,"
                       "\"depends_on\":[],\"options\":[]}",
                       0),
            0u)
      << json;
  EXPECT_NE(
      json.find("\"depends_on\":[\"jc_job\"],\"options\":[{\"id\":\"linked_fields\","
                "\"display_name\":\"Optional linked fields\",\"kind\":\"field_toggles\","
                "\"choices\":[{\"id\":\"employee\",\"display_name\":\"Employee\",\"on\":false},"
                "{\"id\":\"pay_id\",\"display_name\":\"Pay ID\",\"on\":true}]}]}]}\n"),
      std::string::npos)
      << json;
}

TEST_F(MappingsPrinterTest, StatusShowsEachRecordTypeAndTheResumableDeepSync) {
  AgentStatusView status;
  status.server_address = "cloud.example:7443";
  status.state_dir = "/var/lib/erpsync-agent";
  status.mappings_dir = "/usr/share/erpsync/mappings/sage300cre";
  status.record_types = 35;
  status.rows = rows_;
  DeepRunStatus run;
  run.run = DeepRun{"00ab", "beginning", {"jc_job", "jc_transaction"}, 1'700'000'000};
  run.entities = {{"jc_job", true, true, 1234, 1234}, {"jc_transaction", true, false, 700, 3000}};
  run.acked = 1934;
  run.total = 4234;
  run.entities_done = 1;
  status.deep_run = run;
  const std::string text = FormatStatusText(status);
  EXPECT_EQ(
      text.rfind("server    cloud.example:7443\n"
                 "state     /var/lib/erpsync-agent\n"
                 "mappings  /usr/share/erpsync/mappings/sage300cre (35 record types, 2 enabled)\n"
                 "\n"
                 "RECORD TYPE       ID              LAST SYNC",
                 0),
      0u)
      << text;
  EXPECT_NE(text.find("Transaction (JC)  jc_transaction  never"), std::string::npos) << text;
  EXPECT_NE(text.find("-  needed     ERP unavailable\n"), std::string::npos) << text;
  EXPECT_NE(text.find("1,234          -  -          -\n"), std::string::npos) << text;
  EXPECT_NE(text.find("\nDeep sync from the beginning of time (run 00ab, started " +
                      FormatLocalTime(1'700'000'000) +
                      ") did not finish; resumable: 1,934 of 4,234 records, 1 of 2 record types "
                      "done\n"
                      "  jc_job          1,234 of 1,234  done\n"
                      "  jc_transaction    700 of 3,000\n"
                      "Resume it with: erpsync-agent sync --deep --since beginning --only "
                      "jc_job,jc_transaction\n"),
            std::string::npos)
      << text;

  const std::string json = FormatStatusJson(status);
  EXPECT_NE(
      json.find("\"deep_run\":{\"run_id\":\"00ab\",\"since\":\"beginning\",\"started_unix\":"
                "1700000000,\"acked\":1934,\"total\":4234,\"entities_done\":1,\"entities\":["
                "{\"id\":\"jc_job\",\"started\":true,\"done\":true,\"acked\":1234,\"total\":1234}"),
      std::string::npos)
      << json;
  EXPECT_NE(json.find("\"server_count\":0,\"last_error\":\"ERP unavailable\",\"quarantined\":0,\"quarantine\":[]}"), std::string::npos)
      << json;

  status.deep_run.reset();
  EXPECT_NE(FormatStatusText(status).find("\nNo deep sync in progress.\n"), std::string::npos);
  EXPECT_NE(FormatStatusJson(status).find("\"deep_run\":null}"), std::string::npos);
}

}  // namespace
}  // namespace erpsync::agent
