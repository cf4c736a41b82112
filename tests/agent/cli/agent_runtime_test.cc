// OpenAgentRuntime with a mappings directory holding one bad file beside the
// shipped catalog: the agent refuses to start, naming the file, the line and
// the reason, rather than sync half a catalog.
#include "agent/app/agent_runtime.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "agent/cli/agent_command.h"
#include "common/exit_code.h"
#include "tests/agent/erp/erp_test_util.h"
#include "tests/support/status_matchers.h"
#include "tests/support/temp_dir.h"

namespace erpsync::agent {
namespace {

class AgentRuntimeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::filesystem::copy(ERPSYNC_SOURCE_DIR "/mappings/sage300cre", dir_.File("mappings"));
    config_.mappings_dir = dir_.File("mappings");
    config_.state_dir = dir_.File("state");
    config_.erp_path = agent::testing::SharedSampleCompany();
  }

  // Adds `name` to the mappings directory and returns its path.
  std::string Add(const std::string& name, const std::string& text) {
    const std::string path = dir_.File("mappings/" + name);
    erpsync::testing::WriteTextFile(path, text);
    return path;
  }

  // The refusal to start, which must be a bad-mapping error (exit 65).
  std::string Refusal() {
    const Result<AgentRuntime> runtime = OpenAgentRuntime(config_, /*with_erp=*/true);
    EXPECT_THAT(runtime, StatusIs(StatusCode::kInvalidArgument));
    EXPECT_EQ(AgentFailure(runtime.status()), kExitDataError);
    return runtime.status().message();
  }

  erpsync::testing::TempDir dir_;
  AgentConfig config_;
};

constexpr char kEquipment[] =
    "id: \"eq_equipment\"\n"
    "display_name: \"Equipment (EQ)\"\n"
    "table: \"EQM_MASTER__EQUIPMENT\"\n"
    "fields { name: \"equipment\" column: \"Equipment\" type: TEXT }\n"
    "key: \"equipment\"\n";

TEST_F(AgentRuntimeTest, StartsWithTheShippedCatalog) {
  const Result<AgentRuntime> runtime = OpenAgentRuntime(config_, /*with_erp=*/true);
  ASSERT_OK(runtime);
  EXPECT_EQ(runtime->catalog.mappings().size(), 35u);
}

TEST_F(AgentRuntimeTest, RefusesAMalformedFile) {
  const std::string path =
      Add("broken.textproto", "id: \"broken\"\ndisplay_name: \"Broken\"\ntable {\n");
  EXPECT_EQ(Refusal(), path + ":3:7: Expected \":\", found \"{\".");
}

TEST_F(AgentRuntimeTest, RefusesADuplicateId) {
  const std::string path =
      Add("vendor_copy.textproto",
          "id: \"vendor\"\ndisplay_name: \"Vendor\"\ntable: \"APM_MASTER__VENDOR\"\n"
          "fields { name: \"vendor\" column: \"Vendor\" type: TEXT }\nkey: \"vendor\"\n");
  EXPECT_EQ(Refusal(), path + ":1: duplicate id 'vendor' (also in " +
                           dir_.File("mappings/vendor.textproto") + ")");
}

TEST_F(AgentRuntimeTest, RefusesADependencyCycle) {
  const std::string a =
      Add("a_loop.textproto", std::string(kEquipment) + "depends_on: \"b_loop\"\n");
  Add("b_loop.textproto",
      "id: \"b_loop\"\ndisplay_name: \"B\"\ntable: \"T\"\n"
      "fields { name: \"k\" column: \"K\" type: TEXT }\nkey: \"k\"\n"
      "depends_on: \"eq_equipment\"\n");
  EXPECT_EQ(Refusal(), a + ":6: dependency cycle: eq_equipment -> b_loop -> eq_equipment");
}

TEST_F(AgentRuntimeTest, RefusesAnEnabledMappingOverAnUnknownTableOrColumn) {
  const std::string path =
      Add("eq_equipment.textproto", std::string(kEquipment) + "enabled_by_default: true\n");
  EXPECT_EQ(Refusal(), path + ":3: the ERP (sqlite:" + config_.erp_path +
                           ") has no table EQM_MASTER__EQUIPMENT");
  const std::string column = Add("eq_equipment.textproto",
                                 "id: \"eq_equipment\"\ndisplay_name: \"Equipment (EQ)\"\n"
                                 "table: \"JCM_MASTER__JOB\"\n"
                                 "fields { name: \"job\" column: \"Job\" type: TEXT }\n"
                                 "fields { name: \"rate\" column: \"Hourly_Rate\" type: MONEY }\n"
                                 "key: \"job\"\nenabled_by_default: true\n");
  EXPECT_EQ(Refusal(), column + ":5: table JCM_MASTER__JOB has no column Hourly_Rate");
}

TEST_F(AgentRuntimeTest, AnUntickedMappingOverATableThisCompanyLacksDoesNotBlockTheStart) {
  // The catalog serves every Sage company; one without the module starts,
  // and enabling the record type is what is refused (MappingAdminTest).
  Add("eq_equipment.textproto", kEquipment);
  const Result<AgentRuntime> runtime = OpenAgentRuntime(config_, /*with_erp=*/true);
  ASSERT_OK(runtime);
  EXPECT_NE(runtime->catalog.Find("eq_equipment"), nullptr);
}

}  // namespace
}  // namespace erpsync::agent
