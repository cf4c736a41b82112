#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "bench/bench_runner.h"
#include "bench/report.h"
#include "bench/scenario_result.h"
#include "bench/sql_text.h"

namespace erpsync::bench {
namespace {

TEST(ChecksTest, RatioChecksCompareWithTheLimitInTheirDirection) {
  const Check at_most = RatioCheck("wall vs copy", 1.6, 1.5);
  EXPECT_EQ(at_most.shown, "1.600x");
  EXPECT_EQ(at_most.target, "<= 1.5x");
  EXPECT_EQ(at_most.pass, false);
  EXPECT_EQ(RatioCheck("wall vs copy", 1.5, 1.5).pass, true);
  const Check at_least = RatioCheck("rate vs 1 agent", 0.8, 0.7, /*at_least=*/true);
  EXPECT_EQ(at_least.target, ">= 0.7x");
  EXPECT_EQ(at_least.pass, true);
  EXPECT_EQ(RatioCheck("rate vs 1 agent", 0.69, 0.7, true).pass, false);
  EXPECT_FALSE(RatioInfo("for information", 2.0).pass.has_value());
}

TEST(ChecksTest, MibAndCountChecks) {
  const Check rss = MibCheck("agent peak RSS", 25.54, 64);
  EXPECT_EQ(rss.shown, "25.5 MiB");
  EXPECT_EQ(rss.target, "<= 64 MiB");
  EXPECT_EQ(rss.pass, true);
  EXPECT_EQ(MibCheck("server peak RSS", 300, 256).pass, false);
  const Check count = CountCheck("records sent", 1200, 0);
  EXPECT_EQ(count.shown, "1,200");
  EXPECT_EQ(count.target, "= 0");
  EXPECT_EQ(count.pass, false);
}

TEST(ScenarioResultTest, RateAndVerdict) {
  ScenarioResult row;
  EXPECT_FALSE(row.records_per_second().has_value());
  EXPECT_FALSE(row.passed().has_value());
  row.records = 1000;
  row.wall_seconds = 0.5;
  EXPECT_DOUBLE_EQ(*row.records_per_second(), 2000);
  row.checks.push_back(RatioInfo("information", 9));
  EXPECT_FALSE(row.passed().has_value());
  row.checks.push_back(RatioCheck("a", 1, 2));
  EXPECT_EQ(row.passed(), true);
  row.checks.push_back(RatioCheck("b", 3, 2));
  EXPECT_EQ(row.passed(), false);
}

std::vector<ScenarioResult> TwoRows() {
  ScenarioResult copy;
  copy.id = "baseline";
  copy.name = "sqlite3 copy (baseline)";
  copy.wall_seconds = 0.5;
  copy.records = 1'000'000;
  proc::ProcessUsage sqlite;
  sqlite.max_rss_kib = 8 * 1024;
  sqlite.user_seconds = 0.4;
  copy.client = sqlite;
  ScenarioResult deep;
  deep.id = "deep";
  deep.name = "deep sync 1M";
  deep.wall_seconds = 2.0;
  deep.records = 1'000'000;
  deep.bytes_sent = 29'000'000;
  proc::ProcessUsage agent;
  agent.max_rss_kib = 25 * 1024;
  deep.client = agent;
  proc::ProcessUsage server;
  server.max_rss_kib = 90 * 1024;
  deep.server = server;
  deep.checks.push_back(RatioCheck("wall vs sqlite3 copy", 4.0, 1.5));
  deep.checks.push_back(MibCheck("agent peak RSS", 25, 64));
  return {copy, deep};
}

RunInfo Info() {
  RunInfo info;
  info.date = "2026-11-23 07:00";
  info.revision = "abc1234";
  info.cores = 2;
  info.transactions = 1'000'000;
  info.jobs = 200;
  info.seed = 1;
  info.spawn_rss_floor_mib = 9.0;
  return info;
}

TEST(ReportTest, TableShowsEveryColumnVerdictsAndTheSummary) {
  const std::string table = FormatTable(Info(), TwoRows());
  EXPECT_NE(table.find("1,000,000 transactions, 200 jobs, seed 1"), std::string::npos);
  for (const char* column : {"scenario", "wall s", "records/s", "bytes sent", "client MiB",
                             "server MiB", "client cpu", "server cpu", "target", "result"}) {
    EXPECT_NE(table.find(column), std::string::npos) << column;
  }
  EXPECT_NE(table.find("2,000,000"), std::string::npos);   // the baseline's records/s
  EXPECT_NE(table.find("29,000,000"), std::string::npos);  // bytes sent
  EXPECT_NE(table.find("<=9.0"), std::string::npos);       // sqlite3 below the spawn floor
  EXPECT_NE(table.find("90.0"), std::string::npos);        // the server's peak RSS
  EXPECT_NE(table.find("MISS"), std::string::npos);
  EXPECT_NE(table.find("PASS"), std::string::npos);
  EXPECT_NE(table.find("targets: 1 passed, 1 missed"), std::string::npos);
  EXPECT_NE(table.find("client cpu the agents' total"), std::string::npos);
}

TEST(ReportTest, JsonCarriesTheSameFigures) {
  const std::string json = FormatJson(Info(), TwoRows());
  EXPECT_NE(json.find("\"id\":\"deep\""), std::string::npos) << json;
  EXPECT_NE(json.find("\"bytes_sent\":29000000"), std::string::npos) << json;
  EXPECT_NE(json.find("\"records_per_second\":500000.0"), std::string::npos) << json;
  EXPECT_NE(json.find("\"pass\":false"), std::string::npos) << json;
  EXPECT_NE(json.find("\"server\":null"), std::string::npos) << json;  // the sqlite3 copy
}

ScenarioResult TimedRun(double wall, uint64_t records) {
  ScenarioResult run;
  run.id = "deep";
  run.wall_seconds = wall;
  run.records = records;
  return run;
}

TEST(MedianRunTest, TheWholeMedianRunWithTheSpread) {
  const ScenarioResult median = MedianRun({TimedRun(3.0, 3), TimedRun(1.0, 1), TimedRun(2.0, 2)});
  EXPECT_DOUBLE_EQ(median.wall_seconds, 2.0);
  EXPECT_EQ(median.records, 2u);  // the median run's own figures, not the last run's
  ASSERT_EQ(median.figures.size(), 3u);
  EXPECT_EQ(median.figures[0], (std::pair<std::string, double>{"runs", 3}));
  EXPECT_EQ(median.figures[1], (std::pair<std::string, double>{"wall_min", 1.0}));
  EXPECT_EQ(median.figures[2], (std::pair<std::string, double>{"wall_max", 3.0}));
}

TEST(MedianRunTest, AnEvenCountTakesTheLowerMiddleAndOneRunIsItself) {
  EXPECT_DOUBLE_EQ(
      MedianRun({TimedRun(4, 4), TimedRun(1, 1), TimedRun(3, 3), TimedRun(2, 2)}).wall_seconds,
      2.0);
  const ScenarioResult single = MedianRun({TimedRun(5, 5)});
  EXPECT_DOUBLE_EQ(single.wall_seconds, 5.0);
  EXPECT_TRUE(single.figures.empty());
}

TEST(SqlHelpersTest, CountsAndLiterals) {
  EXPECT_EQ(ParseCount("1028565\n"), 1028565u);
  EXPECT_EQ(ParseCount("no number"), 0u);
  EXPECT_EQ(SqlString("it's"), "'it''s'");
  EXPECT_EQ(ShortCount(1'000'000), "1M");
  EXPECT_EQ(ShortCount(50'000), "50k");
  EXPECT_EQ(ShortCount(1'500), "1,500");
}

}  // namespace
}  // namespace erpsync::bench
