#include "bench/scenario_result.h"

#include <algorithm>
#include <cstdio>

#include "common/human_format.h"

namespace erpsync::bench {
namespace {

// "1.5", "64": a limit as written in the issue.
std::string Shortest(double value) {
  char text[64];
  std::snprintf(text, sizeof(text), "%g", value);
  return text;
}

}  // namespace

Check RatioCheck(std::string what, double value, double limit, bool at_least) {
  Check check;
  check.what = std::move(what);
  check.value = value;
  check.shown = FixedPoint(value, 3) + "x";
  check.target = (at_least ? ">= " : "<= ") + Shortest(limit) + "x";
  check.pass = at_least ? value >= limit : value <= limit;
  return check;
}

Check MibCheck(std::string what, double value_mib, double limit_mib) {
  Check check;
  check.what = std::move(what);
  check.value = value_mib;
  check.shown = FixedPoint(value_mib, 1) + " MiB";
  check.target = "<= " + Shortest(limit_mib) + " MiB";
  check.pass = value_mib <= limit_mib;
  return check;
}

Check CountCheck(std::string what, uint64_t value, uint64_t expected) {
  Check check;
  check.what = std::move(what);
  check.value = static_cast<double>(value);
  check.shown = WithThousands(value);
  check.target = "= " + WithThousands(expected);
  check.pass = value == expected;
  return check;
}

Check CountInfo(std::string what, uint64_t value) {
  Check check;
  check.what = std::move(what);
  check.value = static_cast<double>(value);
  check.shown = WithThousands(value);
  return check;
}

Check SecondsInfo(std::string what, double seconds) {
  Check check;
  check.what = std::move(what);
  check.value = seconds;
  check.shown = FixedPoint(seconds, 2) + " s";
  return check;
}

Check RatioInfo(std::string what, double value) {
  Check check;
  check.what = std::move(what);
  check.value = value;
  check.shown = FixedPoint(value, 3) + "x";
  return check;
}

std::optional<double> ScenarioResult::records_per_second() const {
  if (!records || wall_seconds <= 0) return std::nullopt;
  return static_cast<double>(*records) / wall_seconds;
}

std::optional<bool> ScenarioResult::passed() const {
  std::optional<bool> all;
  for (const Check& check : checks) {
    if (!check.pass) continue;
    all = all.value_or(true) && *check.pass;
  }
  return all;
}

ScenarioResult MedianRun(std::vector<ScenarioResult> runs) {
  std::sort(runs.begin(), runs.end(), [](const ScenarioResult& a, const ScenarioResult& b) {
    return a.wall_seconds < b.wall_seconds;
  });
  ScenarioResult median = runs[(runs.size() - 1) / 2];
  if (runs.size() > 1) {
    median.figures.emplace_back("runs", static_cast<double>(runs.size()));
    median.figures.emplace_back("wall_min", runs.front().wall_seconds);
    median.figures.emplace_back("wall_max", runs.back().wall_seconds);
  }
  return median;
}

}  // namespace erpsync::bench
