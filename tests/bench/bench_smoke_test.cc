// Runs of the real erpsync-bench on a tiny company, every scenario but
// pg-pgloader: the benchmark command keeps working end to end (real agent,
// server, sqlite3, gzip, and a PostgreSQL cluster of its own). Its figures
// are not judged here; only that every scenario ran and counted what it
// should.
#include <gtest/gtest.h>

#include <chrono>
#include <string>

#include "tests/support/subprocess.h"
#include "tests/support/temp_dir.h"

namespace erpsync::bench {
namespace {

using erpsync::testing::RunCommand;
using erpsync::testing::RunResult;
using erpsync::testing::TempDir;

bool Contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

// The JSON object of scenario `id` in erpsync-bench --json output (up to
// the next scenario's), or "" when there is none.
std::string ScenarioJson(const std::string& json, const std::string& id) {
  const size_t start = json.find("{\"id\":\"" + id + "\"");
  if (start == std::string::npos) return "";
  return json.substr(start, json.find("{\"id\":", start + 1) - start);
}

// The `"records":N` member of a scenario's JSON, or "".
std::string RecordsMember(const std::string& scenario) {
  const size_t start = scenario.find("\"records\":");
  if (start == std::string::npos) return "";
  return scenario.substr(start, scenario.find(',', start) - start);
}

// The SQLite store's scenarios (the PostgreSQL ones: below; pg-pgloader
// needs pgloader, which the suite does not install).
TEST(BenchSmokeTest, EverySqliteScenarioRunsOnATinyCompany) {
  TempDir dir;
  const RunResult run =
      RunCommand({ERPSYNC_BENCH_BIN, "--transactions", "2000", "--jobs", "5", "--agents", "2",
                  "--agent-transactions", "300", "--agent-jobs", "2", "--scenarios",
                  "baseline,deep,incremental,changed,csv,deep2x,concurrent", "--work-dir",
                  dir.File("work"), "--json"},
                 dir.File("bench"), std::chrono::minutes(4));
  ASSERT_EQ(run.exit_code, 0) << run.err;
  for (const char* id :
       {"baseline", "baseline_wal", "baseline_rows", "baseline_all", "deep", "agent_read",
        "incremental", "changed", "csv", "deep2x", "single", "concurrent"}) {
    EXPECT_TRUE(Contains(run.out, std::string("\"id\":\"") + id + "\"")) << id << "\n" << run.out;
  }
  // The baseline copies the 2,000 transactions; the incremental after the
  // deep sync sends nothing; 1% changed is 20 records.
  for (const char* copy : {"baseline", "baseline_wal", "baseline_rows"}) {
    EXPECT_TRUE(Contains(ScenarioJson(run.out, copy), "\"records\":2000,")) << copy << run.out;
  }
  // The agent reads and encodes the rows the deep sync stored.
  const std::string deep_records = RecordsMember(ScenarioJson(run.out, "deep"));
  EXPECT_FALSE(deep_records.empty()) << run.out;
  EXPECT_EQ(RecordsMember(ScenarioJson(run.out, "agent_read")), deep_records) << run.out;
  EXPECT_TRUE(Contains(run.out,
                       "\"what\":\"records sent\",\"value\":0.0000,\"target\":\"= 0\","
                       "\"pass\":true"))
      << run.out;
  EXPECT_TRUE(Contains(run.out, "\"what\":\"records sent (20 changed)\",\"value\":20.0000"))
      << run.out;
  EXPECT_TRUE(Contains(run.out, "\"what\":\"agents exited 0\",\"value\":2.0000")) << run.out;
}

// The PostgreSQL scenarios that need no pgloader, on a cluster the
// benchmark starts and removes itself: the reference loads exactly the rows
// the deep sync stored, and the incremental sync after it sends nothing.
TEST(BenchSmokeTest, ThePostgresqlScenariosRunOnATinyCompany) {
  TempDir dir;
  const RunResult run =
      RunCommand({ERPSYNC_BENCH_BIN, "--transactions", "2000", "--jobs", "5", "--scenarios",
                  "pg-copy,pg-incremental", "--work-dir", dir.File("work"), "--json"},
                 dir.File("bench"), std::chrono::minutes(2));
  ASSERT_EQ(run.exit_code, 0) << run.err;
  for (const char* id : {"pg-deep", "pg-copy", "pg-incremental"}) {
    EXPECT_TRUE(Contains(run.out, std::string("\"id\":\"") + id + "\"")) << id << "\n" << run.out;
  }
  const std::string deep_records = RecordsMember(ScenarioJson(run.out, "pg-deep"));
  EXPECT_FALSE(deep_records.empty()) << run.out;
  EXPECT_EQ(RecordsMember(ScenarioJson(run.out, "pg-copy")), deep_records) << run.out;
  EXPECT_TRUE(
      Contains(ScenarioJson(run.out, "pg-deep"), "\"what\":\"wall vs psql \\\\copy binary\""))
      << run.out;
  EXPECT_TRUE(Contains(ScenarioJson(run.out, "pg-incremental"),
                       "\"what\":\"records sent\",\"value\":0.0000,\"target\":\"= 0\","
                       "\"pass\":true"))
      << run.out;
  EXPECT_TRUE(Contains(ScenarioJson(run.out, "pg-deep"), "\"postgres_cpu_seconds\":")) << run.out;
}

TEST(BenchSmokeTest, AMissingPgloaderSaysHowToInstallIt) {
  TempDir dir;
  const RunResult run =
      RunCommand({ERPSYNC_BENCH_BIN, "--scenarios", "pg-pgloader", "--pgloader-bin",
                  dir.File("no-pgloader"), "--work-dir", dir.File("work")},
                 dir.File("bench"), std::chrono::minutes(1));
  EXPECT_EQ(run.exit_code, 66);
  EXPECT_TRUE(Contains(run.err, dir.File("no-pgloader"))) << run.err;
  EXPECT_TRUE(Contains(run.err, "apt-get install pgloader")) << run.err;
}

TEST(BenchSmokeTest, AMissingProgramIsNamed) {
  TempDir dir;
  const RunResult run = RunCommand(
      {ERPSYNC_BENCH_BIN, "--agent-bin", dir.File("no-agent"), "--work-dir", dir.File("work")},
      dir.File("bench"), std::chrono::minutes(1));
  EXPECT_EQ(run.exit_code, 66);
  EXPECT_TRUE(Contains(run.err, dir.File("no-agent"))) << run.err;
}

TEST(BenchSmokeTest, AnUnknownScenarioIsAUsageError) {
  TempDir dir;
  const RunResult run = RunCommand({ERPSYNC_BENCH_BIN, "--scenarios", "warp"}, dir.File("bench"));
  EXPECT_EQ(run.exit_code, 64);
  EXPECT_TRUE(Contains(run.err, "unknown scenario \"warp\"")) << run.err;
}

}  // namespace
}  // namespace erpsync::bench
