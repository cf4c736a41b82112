#include "bench/scenario_result.h"

#include <cstdio>

#include "common/human_format.h"

namespace erpsync::bench {
namespace {

// "1.234" with `decimals` digits.
std::string Fixed(double value, int decimals) {
  char text[64];
  std::snprintf(text, sizeof(text), "%.*f", decimals, value);
  return text;
}

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
  check.shown = Fixed(value, 3) + "x";
  check.target = (at_least ? ">= " : "<= ") + Shortest(limit) + "x";
  check.pass = at_least ? value >= limit : value <= limit;
  return check;
}

Check MibCheck(std::string what, double value_mib, double limit_mib) {
  Check check;
  check.what = std::move(what);
  check.value = value_mib;
  check.shown = Fixed(value_mib, 1) + " MiB";
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

Check RatioInfo(std::string what, double value) {
  Check check;
  check.what = std::move(what);
  check.value = value;
  check.shown = Fixed(value, 3) + "x";
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

}  // namespace erpsync::bench
