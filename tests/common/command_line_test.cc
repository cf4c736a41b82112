#include "common/command_line.h"

#include <gtest/gtest.h>

#include <cstdlib>

#include "tests/support/temp_dir.h"

namespace erpsync {
namespace {

using testing::WriteTextFile;

TEST(CommandNameTest, LeadingWordsUpToTheFirstFlagBracketOrPlaceholder) {
  EXPECT_EQ(CommandName("erpsync-bench [--transactions N] [--json]"), "erpsync-bench");
  EXPECT_EQ(CommandName("erpsync-agent sync [--deep] [--since WHEN]"), "erpsync-agent sync");
  EXPECT_EQ(CommandName("erpsync-agent sample-erp create --out PATH [--jobs N]"),
            "erpsync-agent sample-erp create");
  EXPECT_EQ(CommandName("erpsync-ctl import budget JOB [--json]"), "erpsync-ctl import budget");
  EXPECT_EQ(CommandName("erpsync-server company add NAME"), "erpsync-server company add");
  EXPECT_EQ(CommandName("erpsync-ctl"), "erpsync-ctl");
}

class DefaultConfigTest : public ::testing::Test {
 protected:
  // The test main's setting: no default configuration file.
  ~DefaultConfigTest() override { ::setenv("ERPSYNC_CONFIG_DIR", "", 1); }

  // Parses `args` for a command with --config and one key, server.listen,
  // whose default configuration file is `default_file`. Returns the exit
  // code (-1 when parsed).
  int Parse(const std::vector<std::string>& args, const std::string& default_file) {
    description_.add_options()("config", boost::program_options::value<std::string>(), "")(
        "server.listen",
        boost::program_options::value<std::string>()->default_value("127.0.0.1:7443"), "");
    int exit_code = -1;
    ParseCommandOptions("erpsync-server company list [--config FILE]", description_, nullptr, args,
                        &loader_, &exit_code, default_file);
    return exit_code;
  }
  std::string Listen() const { return loader_.Get<std::string>("server.listen"); }

  testing::TempDir dir_;
  boost::program_options::options_description description_;
  OptionsLoader loader_{&description_};
};

TEST_F(DefaultConfigTest, IsInTheConfigDirectoryUnlessTheEnvironmentSaysNone) {
  ::setenv("ERPSYNC_CONFIG_DIR", "/srv/erpsync-conf", 1);
  EXPECT_EQ(DefaultConfigFile("agent.conf"), "/srv/erpsync-conf/agent.conf");
  ::setenv("ERPSYNC_CONFIG_DIR", "", 1);
  EXPECT_EQ(DefaultConfigFile("agent.conf"), "");
  ::unsetenv("ERPSYNC_CONFIG_DIR");
  // The installed layout's: /etc/erpsync for the /usr prefix.
  EXPECT_TRUE(DefaultConfigFile("server.conf").ends_with("etc/erpsync/server.conf"))
      << DefaultConfigFile("server.conf");
}

TEST_F(DefaultConfigTest, ABareCommandReadsTheDefaultFileWhenItExists) {
  const std::string file = dir_.File("server.conf");
  WriteTextFile(file, "[server]\nlisten = 127.0.0.1:9000\n");
  EXPECT_EQ(Parse({}, file), -1);
  EXPECT_EQ(Listen(), "127.0.0.1:9000");
  EXPECT_EQ(loader_.Where("server.listen"), file + ":2: server.listen");
}

TEST_F(DefaultConfigTest, WithoutTheFileTheBuiltInDefaultsHold) {
  EXPECT_EQ(Parse({}, dir_.File("server.conf")), -1);
  EXPECT_EQ(Listen(), "127.0.0.1:7443");
}

TEST_F(DefaultConfigTest, ConfigNamesTheOnlyFileRead) {
  WriteTextFile(dir_.File("server.conf"), "not an ini file\n");
  const std::string given = dir_.File("given.conf");
  WriteTextFile(given, "[server]\nlisten = 127.0.0.1:9001\n");
  EXPECT_EQ(Parse({"--config", given}, dir_.File("server.conf")), -1);
  EXPECT_EQ(Listen(), "127.0.0.1:9001");
}

TEST_F(DefaultConfigTest, ABrokenDefaultFileIsAConfigurationError) {
  const std::string file = dir_.File("server.conf");
  WriteTextFile(file, "[server]\nlisten 127.0.0.1:9000\n");
  EXPECT_EQ(Parse({}, file), 64);
}

}  // namespace
}  // namespace erpsync
