// `erpsync-agent mappings ...` and `erpsync-agent status` as an
// administrator runs them: the real agent binary against a real server
// (in this process, on a loopback port), with the exit codes and messages
// of every refusal and usage error.
#include <gtest/gtest.h>

#include <filesystem>
#include <regex>
#include <sstream>

#include "agent/state/state_store.h"
#include "tests/agent/erp/erp_test_util.h"
#include "tests/integration/sync_fixture.h"
#include "tests/support/status_matchers.h"
#include "tests/support/subprocess.h"

namespace erpsync::testing {
namespace {

class MappingsCliTest : public SyncFixture {
 protected:
  void SetUp() override { StartAll(/*jobs=*/3, /*transactions=*/500, /*seed=*/7); }

  // Runs the agent with `args` and the connection, ERP, state and mappings
  // of this test.
  RunResult Agent(std::vector<std::string> args) {
    args.insert(args.begin(), ERPSYNC_AGENT_BIN);
    args.push_back("--server.address=127.0.0.1:" + std::to_string(server_->port()));
    args.push_back("--server.token=" + agent_token_);
    args.push_back("--erp.path=" + erp_path_);
    args.push_back("--agent.state_dir=" + dir_.File("cli-state"));
    args.push_back("--agent.mappings_dir=" + mappings_dir_);
    return RunCommand(std::move(args), dir_.File("run-" + std::to_string(++runs_)));
  }

  // The line of `mappings list` (or `status`) that starts with `start`.
  static std::string LineStarting(const std::string& text, const std::string& start) {
    std::istringstream lines(text);
    for (std::string line; std::getline(lines, line);) {
      if (line.rfind(start, 0) == 0) return line;
    }
    return "";
  }

  // A mappings directory with the shipped catalog and `name` holding `text`.
  std::string MappingsWith(const std::string& name, const std::string& text) {
    mappings_dir_ = dir_.File("mappings");
    std::filesystem::copy(ERPSYNC_SOURCE_DIR "/mappings/sage300cre", mappings_dir_);
    const std::string path = mappings_dir_ + "/" + name;
    WriteTextFile(path, text);
    return path;
  }

  int runs_ = 0;
};

TEST_P(MappingsCliTest, ListShowsTheCatalogAsTextAndJson) {
  const RunResult text = Agent({"mappings", "list"});
  ASSERT_EQ(text.exit_code, 0) << text.err;
  EXPECT_TRUE(std::regex_search(
      LineStarting(text.out, "jc_transaction "),
      std::regex(R"(^jc_transaction +Transaction \(JC\) +JC +yes +- +never +needed$)")))
      << text.out;
  EXPECT_TRUE(std::regex_search(LineStarting(text.out, "tax_rate "),
                                std::regex(R"(^tax_rate +Tax Rate +- +no +- +never +-$)")))
      << text.out;
  EXPECT_NE(text.out.find("  Optional linked fields (unticked fields are left out)\n"
                          "    [x]  commitment_change_order  Commitment Change Order\n"),
            std::string::npos)
      << text.out;
  EXPECT_NE(text.out.find("\n35 record types, 8 enabled.\n8 record types need a deep sync from "
                          "the beginning of time: erpsync-agent sync --deep --since beginning "
                          "--only cn_contract,customer,cv_job,jc_category,jc_cost_code,jc_job,"
                          "jc_transaction,vendor\n"),
            std::string::npos)
      << text.out;

  const RunResult json = Agent({"mappings", "list", "--json"});
  ASSERT_EQ(json.exit_code, 0) << json.err;
  const std::regex entry(R"("id":"[a-z0-9_]+","display_name":"[^"]+","module":)");
  EXPECT_EQ(std::distance(std::sregex_iterator(json.out.begin(), json.out.end(), entry),
                          std::sregex_iterator()),
            35);
  EXPECT_NE(json.out.find(R"({"id":"employee","display_name":"Employee","on":true})"),
            std::string::npos);

  const RunResult verbose = Agent({"mappings", "list", "--verbose"});
  ASSERT_EQ(verbose.exit_code, 0) << verbose.err;
  EXPECT_NE(
      verbose.out.find("Contract Item (CN) [cn_contract_item]\n  Prime contract items (schedule "
                       "of values) with their job cost coding.\n  depends on: cn_contract\n"),
      std::string::npos)
      << verbose.out;
}

TEST_P(MappingsCliTest, EnablingOwesADeepSyncThatTheSyncCommandPays) {
  const RunResult refused = Agent({"mappings", "enable", "jc_commitment_item"});
  EXPECT_EQ(refused.exit_code, 1);
  EXPECT_EQ(
      refused.err,
      "erpsync-agent: refusing to enable Commitment Item (JC) [jc_commitment_item]: it "
      "depends on disabled mappings: Commitment (JC) [jc_commitment]. Enable them in the same "
      "command, or add --with-dependencies to enable them together.\n");

  const RunResult enabled =
      Agent({"mappings", "enable", "jc_commitment_item", "--with-dependencies"});
  ASSERT_EQ(enabled.exit_code, 0) << enabled.err;
  EXPECT_EQ(enabled.out,
            "enabled Commitment (JC) [jc_commitment] (needed by Commitment Item (JC) "
            "[jc_commitment_item])\n"
            "enabled Commitment Item (JC) [jc_commitment_item]\n"
            // Every record type that owes a deep sync, not only the two just
            // ticked: the eight defaults were never synced on this agent.
            "10 record types need a deep sync from the beginning of time: erpsync-agent sync "
            "--deep --since beginning --only cn_contract,customer,cv_job,jc_category,"
            "jc_commitment,jc_commitment_item,jc_cost_code,jc_job,jc_transaction,vendor\n");
  EXPECT_TRUE(
      std::regex_search(LineStarting(Agent({"mappings", "list"}).out, "jc_commitment_item "),
                        std::regex(" yes +- +never +needed$")));
  EXPECT_TRUE(std::regex_search(
      Agent({"status"}).out,
      std::regex(
          R"(\nCommitment Item \(JC\) +jc_commitment_item +never +never +- +- +needed +-\n)")));

  // A windowed deep sync does not pay it; one from the beginning of time does.
  ASSERT_EQ(
      Agent({"sync", "--deep", "--since", "week", "--only", "jc_commitment,jc_commitment_item"})
          .exit_code,
      0);
  EXPECT_TRUE(
      std::regex_search(LineStarting(Agent({"mappings", "list"}).out, "jc_commitment_item "),
                        std::regex(" needed$")));
  const RunResult sync = Agent(
      {"sync", "--deep", "--since", "beginning", "--only", "jc_commitment,jc_commitment_item"});
  ASSERT_EQ(sync.exit_code, 0) << sync.err;
  const int64_t items =
      agent::testing::QueryInteger(erp_path_, "SELECT COUNT(*) FROM JCM_MASTER__COMMITMENT_ITEM");
  EXPECT_EQ(ServerFigures()["jc_commitment_item"].count, static_cast<uint64_t>(items));
  const std::string line = LineStarting(Agent({"mappings", "list"}).out, "jc_commitment_item ");
  EXPECT_TRUE(std::regex_search(line, std::regex(" yes +" + std::to_string(items) +
                                                 R"( +\d{4}-\d\d-\d\d \d\d:\d\d:\d\d +-$)")))
      << line;
  const RunResult status = Agent({"status", "--json"});
  ASSERT_EQ(status.exit_code, 0) << status.err;
  EXPECT_TRUE(std::regex_search(
      status.out,
      std::regex(R"re("id":"jc_commitment_item","display_name":"Commitment Item \(JC\)",)re"
                 R"re("needs_deep_sync":false,"records_last_synced":)re" +
                 std::to_string(items) + R"re(,"last_sync_unix":[1-9]\d*,)re")))
      << status.out;
}

TEST_P(MappingsCliTest, RemovingCheckmarksThatSyncedIsRefusedUnlessForced) {
  ASSERT_EQ(Agent({"sync", "--deep"}).exit_code, 0);
  const RunResult refused = Agent({"mappings", "disable", "vendor"});
  EXPECT_EQ(refused.exit_code, 1);
  EXPECT_TRUE(std::regex_match(
      refused.err,
      std::regex(
          "erpsync-agent: refusing to disable Vendor \\[vendor\\]: it has already synced data "
          "\\(50 records on the server at the last sync, [0-9: -]+\\): disabled, the cloud "
          "stops receiving updates of this record type. Add --force to disable it anyway.\n")))
      << refused.err;
  EXPECT_EQ(Agent({"mappings", "disable", "jc_job"}).exit_code, 1);

  const RunResult forced = Agent({"mappings", "disable", "vendor", "--force"});
  EXPECT_EQ(forced.exit_code, 0) << forced.err;
  EXPECT_EQ(forced.out, "disabled Vendor [vendor]\n");
  EXPECT_EQ(forced.err.rfind("erpsync-agent: warning: disabled Vendor [vendor] anyway: it has "
                             "already synced data (50 records",
                             0),
            0u)
      << forced.err;

  const RunResult untick = Agent({"mappings", "set", "jc_transaction", "employee", "off"});
  EXPECT_EQ(untick.exit_code, 1);
  EXPECT_NE(untick.err.find("erpsync-agent: refusing to untick Employee [employee] of Transaction "
                            "(JC) [jc_transaction]: the cloud holds the values of field employee"),
            std::string::npos)
      << untick.err;
  const RunResult type = Agent({"mappings", "set", "jc_transaction", "type_pr_cost", "off"});
  EXPECT_EQ(type.exit_code, 1);
  EXPECT_NE(type.err.find("marks them deleted on the server"), std::string::npos) << type.err;

  const RunResult forced_untick =
      Agent({"mappings", "set", "jc_transaction", "employee", "off", "--force"});
  EXPECT_EQ(forced_untick.exit_code, 0) << forced_untick.err;
  EXPECT_EQ(forced_untick.out,
            "unticked Employee [employee] of Transaction (JC) [jc_transaction]\n"
            "1 record type needs a deep sync from the beginning of time: erpsync-agent sync --deep "
            "--since beginning --only jc_transaction\n");
  EXPECT_NE(Agent({"mappings", "list"}).out.find("    [ ]  employee "), std::string::npos);
  // Ticking back needs no force.
  EXPECT_EQ(Agent({"mappings", "set", "jc_transaction", "employee", "on"}).exit_code, 0);
}

TEST_P(MappingsCliTest, NamesAsTheGuideWritesThemAndSeveralOptionsAtOnce) {
  // "[x]" or "[ ]": whether an option of Transaction (JC) is ticked.
  const auto ticked = [&](const std::string& option) -> std::string {
    const std::string text = Agent({"mappings", "list", "--verbose"}).out;
    std::istringstream lines(text.substr(text.find("Transaction (JC) [jc_transaction]")));
    for (std::string line; std::getline(lines, line);) {
      if (line.find("]  " + option + " ") != std::string::npos) return line.substr(4, 3);
    }
    return "";
  };
  // A record type named as the setup guide writes it.
  const RunResult enabled = Agent({"mappings", "enable", "Extra (JC)"});
  EXPECT_EQ(enabled.exit_code, 0) << enabled.err;
  EXPECT_THAT(enabled.out, ::testing::HasSubstr("enabled Extra (JC) [jc_extra]"));
  const RunResult named =
      Agent({"mappings", "set", "Transaction (JC)", "employee=off", "equipment=off"});
  ASSERT_EQ(named.exit_code, 0) << named.err;
  EXPECT_THAT(named.out, ::testing::HasSubstr("unticked Employee [employee]"));
  EXPECT_THAT(named.out, ::testing::HasSubstr("unticked Equipment [equipment]"));
  EXPECT_EQ(ticked("employee"), "[ ]");
  EXPECT_EQ(ticked("equipment"), "[ ]");
  // All or nothing: an unknown option leaves the others as they were.
  const RunResult refused =
      Agent({"mappings", "set", "transaction (jc)", "employee=on", "nope=on"});
  EXPECT_EQ(refused.exit_code, 64);
  EXPECT_THAT(refused.err, ::testing::HasSubstr("mapping 'jc_transaction' has no option 'nope'"));
  EXPECT_EQ(ticked("employee"), "[ ]");
  // The form of one option keeps working.
  EXPECT_EQ(Agent({"mappings", "set", "jc_transaction", "employee", "on"}).exit_code, 0);
  EXPECT_EQ(ticked("employee"), "[x]");
}

TEST_P(MappingsCliTest, UsageErrorsExit64) {
  const auto expect_usage = [&](std::vector<std::string> args, const std::string& message) {
    const RunResult result = Agent(args);
    EXPECT_EQ(result.exit_code, 64) << args[1];
    EXPECT_NE(result.err.find(message), std::string::npos) << result.err;
  };
  expect_usage({"mappings", "enable", "jc_extra,nope"},
               "erpsync-agent: mappings enable: no mapping with id 'nope' (see `erpsync-agent "
               "mappings list`)\n");
  expect_usage({"mappings", "disable", "nope"}, "mappings disable: no mapping with id 'nope'");
  expect_usage({"mappings", "enable"}, "mappings enable: name the mapping ids");
  expect_usage({"mappings", "disable"}, "mappings disable: name the mapping ids");
  expect_usage({"mappings", "set", "jc_transaction", "employee", "of"},
               "mappings set: the value must be 'on' or 'off', not 'of'");
  expect_usage({"mappings", "set", "jc_transaction", "employee"},
               "mappings set: expected ID OPTION on|off");
  expect_usage(
      {"mappings", "set", "jc_transaction", "nope", "off"},
      "mappings set: mapping 'jc_transaction' has no option 'nope' (options: type_ap_cost,");
  expect_usage({"mappings", "set", "nope", "employee", "off"},
               "mappings set: no mapping with id 'nope'");
  expect_usage({"mappings", "list", "--bogus"}, "bogus");
  // Nothing was changed by any of them.
  EXPECT_TRUE(std::regex_search(LineStarting(Agent({"mappings", "list"}).out, "jc_extra "),
                                std::regex(" no +- +never +-$")));
}

TEST_P(MappingsCliTest, ABadMappingFileStopsTheAgentWithExit65) {
  const std::string path = MappingsWith("zz_bad.textproto",
                                        "id: \"zz_bad\"\ndisplay_name: \"Bad\"\n"
                                        "table: \"T\"\nfields { name: \"k\" }\n");
  for (const std::vector<std::string>& args : {std::vector<std::string>{"mappings", "list"},
                                               {"status"},
                                               {"sync", "--deep"},
                                               {"mappings", "enable", "jc_extra"}}) {
    const RunResult result = Agent(args);
    EXPECT_EQ(result.exit_code, 65) << args[0];
    EXPECT_EQ(result.err, "erpsync-agent: " + path + ":4: field 'k' has no 'column'\n");
  }
}

TEST_P(MappingsCliTest, EnablingAMappingTheErpCannotServeExits65) {
  const std::string path =
      MappingsWith("eq_equipment.textproto",
                   "id: \"eq_equipment\"\ndisplay_name: \"Equipment (EQ)\"\n"
                   "table: \"EQM_MASTER__EQUIPMENT\"\n"
                   "fields { name: \"equipment\" column: \"Equipment\" type: TEXT }\n"
                   "key: \"equipment\"\n");
  EXPECT_EQ(Agent({"mappings", "list"}).exit_code, 0);
  const RunResult result = Agent({"mappings", "enable", "eq_equipment"});
  EXPECT_EQ(result.exit_code, 65);
  EXPECT_EQ(result.err, "erpsync-agent: " + path + ":3: the ERP (sqlite:" + erp_path_ +
                            ") has no table EQM_MASTER__EQUIPMENT\n");
}

TEST_P(MappingsCliTest, StatusShowsTheConfigAndAnUnfinishedDeepSync) {
  const RunResult fresh = Agent({"status"});
  ASSERT_EQ(fresh.exit_code, 0) << fresh.err;
  EXPECT_EQ(fresh.out.rfind("server    127.0.0.1:" + std::to_string(server_->port()) +
                                "\nstate     " + dir_.File("cli-state") + "\nmappings  " +
                                mappings_dir_ + " (35 record types, 8 enabled)\n",
                            0),
            0u)
      << fresh.out;
  EXPECT_NE(fresh.out.find("\nNo deep sync in progress.\n"), std::string::npos) << fresh.out;

  // As a deep sync stopped in the middle of vendors leaves the state.
  {
    auto state = agent::StateStore::Open(dir_.File("cli-state"));
    ASSERT_OK(state);
    ASSERT_OK(
        (*state)->StartDeepRun(agent::DeepRun{"feed", "beginning", {"customer", "vendor"}, 1}));
    agent::DeepPassCheckpoint checkpoint;
    checkpoint.run_id = "feed";
    checkpoint.entity_id = "customer";
    checkpoint.acked = checkpoint.total = 20;
    checkpoint.done = true;
    ASSERT_OK((*state)->PutCheckpoint(checkpoint));
    checkpoint.entity_id = "vendor";
    checkpoint.acked = 30;
    checkpoint.total = 50;
    checkpoint.done = false;
    ASSERT_OK((*state)->PutCheckpoint(checkpoint));
  }
  const RunResult status = Agent({"status"});
  ASSERT_EQ(status.exit_code, 0) << status.err;
  EXPECT_NE(
      status.out.find(") did not finish; resumable: 50 of 70 records, 1 of 2 record types done\n"
                      "  customer  20 of 20  done\n"
                      "  vendor    30 of 50\n"
                      "Resume it with: erpsync-agent sync --deep --since beginning --only "
                      "customer,vendor\n"),
      std::string::npos)
      << status.out;
  const RunResult json = Agent({"status", "--json"});
  ASSERT_EQ(json.exit_code, 0) << json.err;
  EXPECT_NE(json.out.find(R"("deep_run":{"run_id":"feed","since":"beginning","started_unix":1,)"
                          R"("acked":50,"total":70,"entities_done":1,)"),
            std::string::npos)
      << json.out;
  EXPECT_NE(json.out.find(R"("state_dir":")" + dir_.File("cli-state") + "\""), std::string::npos);
}

INSTANTIATE_BACKEND_TEST_SUITE_P(MappingsCliTest);

}  // namespace
}  // namespace erpsync::testing
