#include "bench/bench_options.h"

#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <vector>

namespace erpsync::bench {
namespace {

std::optional<BenchOptions> Parse(const std::vector<std::string>& args, int* exit_code) {
  *exit_code = -1;
  return ParseBenchOptions(args, exit_code);
}

TEST(BenchOptionsTest, DefaultsAreIssueSevensFigures) {
  int exit_code = 0;
  const std::optional<BenchOptions> options = Parse({}, &exit_code);
  ASSERT_TRUE(options);
  EXPECT_EQ(options->transactions, 1'000'000);
  EXPECT_EQ(options->agents, 20);
  EXPECT_EQ(options->agent_transactions, 50'000);
  EXPECT_DOUBLE_EQ(options->changed_percent, 1.0);
  EXPECT_EQ(options->repeat, 1);
  EXPECT_EQ(options->scenarios, kScenarioOrder);
  EXPECT_FALSE(options->json);
}

TEST(BenchOptionsTest, ScenariosRunInTheirOwnOrderAndIncrementalBringsDeep) {
  int exit_code = 0;
  const std::optional<BenchOptions> options =
      Parse({"--scenarios", "changed,csv,baseline,csv"}, &exit_code);
  ASSERT_TRUE(options);
  EXPECT_EQ(options->scenarios, (std::vector<std::string>{"baseline", "deep", "changed", "csv"}));
  EXPECT_TRUE(Selected(*options, "deep"));
  EXPECT_FALSE(Selected(*options, "concurrent"));
}

TEST(BenchOptionsTest, PostgresqlScenariosRunAfterTheSqliteOnesAndBringPgDeep) {
  int exit_code = 0;
  const std::optional<BenchOptions> options =
      Parse({"--scenarios", "pg-incremental,deep,pg-copy"}, &exit_code);
  ASSERT_TRUE(options);
  EXPECT_EQ(options->scenarios,
            (std::vector<std::string>{"deep", "pg-deep", "pg-copy", "pg-incremental"}));
  EXPECT_TRUE(NeedsOf(*options).postgres);
  EXPECT_FALSE(NeedsOf(*options).pgloader);
  const std::optional<BenchOptions> pgloader = Parse({"--scenarios", "pg-pgloader"}, &exit_code);
  ASSERT_TRUE(pgloader);
  EXPECT_EQ(pgloader->scenarios, (std::vector<std::string>{"pg-pgloader"}));
  EXPECT_TRUE(NeedsOf(*pgloader).pgloader);
  const std::optional<BenchOptions> sqlite = Parse({"--scenarios", "deep"}, &exit_code);
  ASSERT_TRUE(sqlite);
  EXPECT_FALSE(NeedsOf(*sqlite).postgres);
}

TEST(BenchOptionsTest, NumbersAndFlagsAreRead) {
  int exit_code = 0;
  const std::optional<BenchOptions> options =
      Parse({"--transactions", "5000", "--jobs", "7", "--repeat", "3", "--changed-percent", "2.5",
             "--json", "--keep", "--work-dir", "/tmp/x"},
            &exit_code);
  ASSERT_TRUE(options);
  EXPECT_EQ(options->transactions, 5000);
  EXPECT_EQ(options->jobs, 7);
  EXPECT_EQ(options->repeat, 3);
  EXPECT_DOUBLE_EQ(options->changed_percent, 2.5);
  EXPECT_TRUE(options->json);
  EXPECT_TRUE(options->keep);
  EXPECT_EQ(options->work_dir, "/tmp/x");
}

TEST(BenchOptionsTest, UsageErrorsExit64) {
  const std::vector<std::vector<std::string>> bad = {
      {"--scenarios", "deep,nope"}, {"--scenarios", ","},
      {"--transactions", "10"},     {"--repeat", "0"},
      {"--changed-percent", "0"},   {"--changed-percent", "101"},
      {"--agents", "abc"},          {"--no-such-option"},
  };
  for (const std::vector<std::string>& args : bad) {
    int exit_code = 0;
    EXPECT_FALSE(Parse(args, &exit_code)) << args.front();
    EXPECT_EQ(exit_code, 64) << args.front();
  }
}

TEST(BenchOptionsTest, HelpExitsZero) {
  int exit_code = -1;
  testing::internal::CaptureStdout();
  EXPECT_FALSE(Parse({"--help"}, &exit_code));
  const std::string help = testing::internal::GetCapturedStdout();
  EXPECT_EQ(exit_code, 0);
  EXPECT_NE(help.find("--scenarios"), std::string::npos);
}

}  // namespace
}  // namespace erpsync::bench
