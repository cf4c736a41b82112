#include "common/options_loader.h"

#include <gtest/gtest.h>

#include "tests/support/status_matchers.h"
#include "tests/support/temp_dir.h"

namespace erpsync {
namespace {

using ::testing::AllOf;
using ::testing::Eq;
using ::testing::HasSubstr;

namespace po = boost::program_options;

class OptionsLoaderTest : public ::testing::Test {
 protected:
  OptionsLoaderTest() {
    description_.add_options()
        ("server.address", po::value<std::string>()->required(), "server")
        ("sync.batch_size", po::value<int>()->default_value(1000), "batch")
        ("sync.deep", po::bool_switch(), "deep");
  }

  std::string Write(const std::string& content) {
    const std::string path = dir_.File("agent.conf");
    testing::WriteTextFile(path, content);
    return path;
  }

  testing::TempDir dir_;
  po::options_description description_;
};

TEST_F(OptionsLoaderTest, ReadsSectionsAndComments) {
  const std::string path = Write(
      "# comment\n[server]\naddress = 127.0.0.1:5000  # trailing\n\n[sync]\nbatch_size=250\n");
  OptionsLoader loader(&description_);
  ASSERT_OK(loader.ParseCommandLine({}));
  ASSERT_OK(loader.ParseConfigFile(path));
  ASSERT_OK(loader.Finish());
  EXPECT_EQ(loader.Get<std::string>("server.address"), "127.0.0.1:5000");
  EXPECT_EQ(loader.Get<int>("sync.batch_size"), 250);
  EXPECT_EQ(loader.Where("sync.batch_size"), path + ":6: sync.batch_size");
}

TEST_F(OptionsLoaderTest, FlagsOverrideTheFile) {
  const std::string path = Write("[server]\naddress = a:1\n[sync]\nbatch_size = 5\n");
  OptionsLoader loader(&description_);
  ASSERT_OK(loader.ParseCommandLine({"--sync.batch_size=7"}));
  ASSERT_OK(loader.ParseConfigFile(path));
  ASSERT_OK(loader.Finish());
  EXPECT_EQ(loader.Get<int>("sync.batch_size"), 7);
  EXPECT_EQ(loader.Where("sync.batch_size"), "--sync.batch_size");
  EXPECT_EQ(loader.Where("sync.deep"), "default sync.deep");
}

TEST_F(OptionsLoaderTest, UnknownKeyNamesFileLineAndKey) {
  const std::string path = Write("[server]\naddress = a:1\nadress = b:2\n");
  OptionsLoader loader(&description_);
  const Status status = loader.ParseConfigFile(path);
  EXPECT_THAT(status,
              StatusIs(StatusCode::kInvalidArgument, Eq(path + ":3: unknown key 'server.adress'")));
}

TEST_F(OptionsLoaderTest, BadValueNamesFileLineAndKey) {
  const std::string path = Write("[sync]\nbatch_size = lots\n");
  OptionsLoader loader(&description_);
  EXPECT_EQ(loader.ParseConfigFile(path).message(),
            path + ":2: key 'sync.batch_size': invalid value 'lots'");
}

TEST_F(OptionsLoaderTest, SyntaxErrorsAndRepeatsAreReported) {
  OptionsLoader a(&description_);
  EXPECT_EQ(a.ParseConfigFile(Write("[server\n")).message(),
            dir_.File("agent.conf") + ":1: malformed section header '[server' (expected [name])");
  OptionsLoader b(&description_);
  EXPECT_EQ(b.ParseConfigFile(Write("[server]\naddress\n")).message(),
            dir_.File("agent.conf") + ":2: expected 'key = value', got 'address'");
  OptionsLoader c(&description_);
  EXPECT_EQ(c.ParseConfigFile(Write("[server]\naddress=a\naddress=b\n")).message(),
            dir_.File("agent.conf") + ":3: key 'server.address' repeated (first set on line 2)");
}

TEST_F(OptionsLoaderTest, MissingRequiredKeyNamesTheFile) {
  const std::string path = Write("[sync]\nbatch_size = 5\n");
  OptionsLoader loader(&description_);
  ASSERT_OK(loader.ParseConfigFile(path));
  const Status status = loader.Finish();
  EXPECT_THAT(status, StatusIs(StatusCode::kInvalidArgument,
                               AllOf(HasSubstr(path), HasSubstr("server.address"))));
}

TEST_F(OptionsLoaderTest, MissingFileIsNotFound) {
  OptionsLoader loader(&description_);
  EXPECT_THAT(loader.ParseConfigFile(dir_.File("nope.conf")), StatusIs(StatusCode::kNotFound));
}

TEST_F(OptionsLoaderTest, UnknownFlagIsInvalidArgument) {
  OptionsLoader loader(&description_);
  const Status status = loader.ParseCommandLine({"--bogus"});
  EXPECT_THAT(status, StatusIs(StatusCode::kInvalidArgument, HasSubstr("bogus")));
}

}  // namespace
}  // namespace erpsync
