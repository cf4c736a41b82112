#include "bench/report.h"

#include <algorithm>
#include <cstdio>

#include "common/human_format.h"
#include "common/json_writer.h"

namespace erpsync::bench {
namespace {

struct Column {
  const char* title;
  int width;
  bool right;
};

constexpr Column kColumns[] = {
    {"scenario", 42, false},  {"wall s", 9, true},      {"records/s", 11, true},
    {"bytes sent", 14, true}, {"client MiB", 11, true}, {"server MiB", 11, true},
    {"client cpu", 11, true}, {"server cpu", 11, true}, {"value", 12, true},
    {"target", 12, true},     {"result", 7, true},
};

std::string Cell(const std::string& text, const Column& column) {
  if (static_cast<int>(text.size()) >= column.width) return text + (column.right ? "" : " ");
  const std::string fill(static_cast<size_t>(column.width) - text.size(), ' ');
  return column.right ? fill + text : text + fill;
}

std::string Line(const std::vector<std::string>& cells) {
  std::string line;
  for (size_t i = 0; i < cells.size(); ++i) line += Cell(cells[i], kColumns[i]);
  while (!line.empty() && line.back() == ' ') line.pop_back();
  return line + "\n";
}

// A peak RSS, or "<=F" when it is not above the floor F that wait4() reports
// for any child (the child's own peak is then at most that).
std::string Mib(const std::optional<proc::ProcessUsage>& usage, double floor_mib) {
  if (!usage) return "-";
  const double mib = usage->max_rss_mib();
  return mib <= floor_mib + 0.05 ? "<=" + FixedPoint(floor_mib, 1) : FixedPoint(mib, 1);
}

std::string Verdict(const std::optional<bool>& pass) {
  if (!pass) return "";
  return *pass ? "PASS" : "MISS";
}

void WriteUsage(JsonWriter& json, const char* key, const std::optional<proc::ProcessUsage>& usage) {
  json.Key(key);
  if (!usage) {
    json.Null();
    return;
  }
  json.BeginObject();
  json.Field("max_rss_mib", usage->max_rss_mib(), 1);
  json.Field("user_seconds", usage->user_seconds, 2);
  json.Field("system_seconds", usage->system_seconds, 2);
  json.EndObject();
}

}  // namespace

std::string FormatTable(const RunInfo& info, const std::vector<ScenarioResult>& results) {
  std::string out = "erpsync-bench  " + info.date + " UTC  " + info.revision + "  " +
                    std::to_string(info.cores) + " cores  " +
                    WithThousands(static_cast<uint64_t>(info.transactions)) + " transactions, " +
                    std::to_string(info.jobs) + " jobs, seed " + std::to_string(info.seed) + "\n";
  std::vector<std::string> titles;
  for (const Column& column : kColumns) titles.push_back(column.title);
  out += Line(titles);
  int passed = 0;
  int missed = 0;
  for (const ScenarioResult& r : results) {
    const std::optional<double> rate = r.records_per_second();
    out += Line({r.name, FixedPoint(r.wall_seconds, 2),
                 rate ? WithThousands(static_cast<uint64_t>(*rate)) : "-",
                 r.bytes_sent ? WithThousands(*r.bytes_sent) : "-",
                 Mib(r.client, info.spawn_rss_floor_mib), Mib(r.server, info.spawn_rss_floor_mib),
                 r.client ? FixedPoint(r.client->cpu_seconds(), 2) : "-",
                 r.server ? FixedPoint(r.server->cpu_seconds(), 2) : "-"});
    for (const Check& check : r.checks) {
      out += Line({"  " + check.what, "", "", "", "", "", "", "", check.shown, check.target,
                   Verdict(check.pass)});
      if (check.pass) ++(*check.pass ? passed : missed);
    }
  }
  out +=
      "peak RSS: wait4() ru_maxrss, which is never below the benchmark's own peak RSS when it "
      "spawned the process (at most " +
      FixedPoint(info.spawn_rss_floor_mib, 1) + " MiB here)\n";
  out +=
      "client: the agent (sqlite3, gzip for the references); with several agents, client MiB "
      "is the largest agent's peak RSS and client cpu the agents' total\n";
  const bool postgres = std::any_of(results.begin(), results.end(), [](const ScenarioResult& r) {
    return r.id.rfind("pg-", 0) == 0;
  });
  if (postgres) {
    out +=
        "PG: the server's store on the benchmark's PostgreSQL 15 cluster (durable defaults); "
        "PostgreSQL's own work (its backends, WAL writer, checkpointer) is in no column, wait4() "
        "sees only the benchmark's children: the \"PostgreSQL cpu\" lines read it from /proc "
        "(the cluster's processes, exited ones included, over the run)\n";
  }
  out += "targets: " + std::to_string(passed) + " passed, " + std::to_string(missed) + " missed\n";
  return out;
}

std::string FormatJson(const RunInfo& info, const std::vector<ScenarioResult>& results) {
  JsonWriter json;
  json.BeginObject();
  json.Field("date", info.date);
  json.Field("revision", info.revision);
  json.Field("cores", info.cores);
  json.Field("transactions", info.transactions);
  json.Field("jobs", info.jobs);
  json.Field("seed", info.seed);
  json.Field("spawn_rss_floor_mib", info.spawn_rss_floor_mib, 1);
  json.Key("scenarios");
  json.BeginArray();
  for (const ScenarioResult& r : results) {
    json.BeginObject();
    json.Field("id", r.id);
    json.Field("name", r.name);
    json.Field("wall_seconds", r.wall_seconds, 3);
    json.Field("records", r.records);
    json.Field("records_per_second", r.records_per_second(), 1);
    json.Field("bytes_sent", r.bytes_sent);
    WriteUsage(json, "client", r.client);
    WriteUsage(json, "server", r.server);
    json.Key("checks");
    json.BeginArray();
    for (const Check& check : r.checks) {
      json.BeginObject();
      json.Field("what", check.what);
      json.Field("value", check.value, 4);
      json.Field("target", check.target);
      json.Field("pass", check.pass);
      json.EndObject();
    }
    json.EndArray();
    json.Key("figures");
    json.BeginObject();
    for (const auto& [name, value] : r.figures) {
      json.Field(name, value, 3);
    }
    json.EndObject();
    json.EndObject();
  }
  json.EndArray();
  json.EndObject();
  return json.str() + "\n";
}

}  // namespace erpsync::bench
