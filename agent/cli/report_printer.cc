#include "agent/cli/report_printer.h"

#include <cstdio>

#include "agent/cli/progress_printer.h"
#include "common/entity_checksum.h"
#include "common/human_format.h"
#include "common/json_writer.h"

namespace erpsync::agent {
namespace {

std::string Pad(std::string text, size_t width, bool right) {
  if (text.size() >= width) return text;
  const std::string fill(width - text.size(), ' ');
  return right ? fill + text : text + fill;
}

}  // namespace

std::string FormatReportText(const SyncReport& report) {
  uint64_t acked = 0;
  for (const EntityReport& entity : report.entities) acked += entity.acked;
  std::string out;
  char line[256];
  const std::string what = report.kind == "deep"
                               ? "Deep sync" + std::string(report.since == "beginning"
                                                               ? " from the beginning of time"
                                                               : " since " + report.since)
                               : "Incremental sync";
  std::snprintf(line, sizeof(line), "%s%s: %zu record types, %s records in %.1f s (%s rec/s), %s sent",
                what.c_str(), report.resumed ? " (resumed)" : "", report.entities.size(),
                WithThousands(acked).c_str(), report.seconds,
                WithThousands(report.seconds > 0 ? static_cast<uint64_t>(static_cast<double>(acked) /
                                                                          report.seconds)
                                                 : 0)
                    .c_str(),
                HumanBytes(report.bytes_sent).c_str());
  out += line;
  if (report.reconnects > 0) out += ", " + std::to_string(report.reconnects) + " reconnects";
  out += "\n";
  out += "  " + Pad("Record type", 32, false) + Pad("Sent", 11, true) + Pad("New", 11, true) +
         Pad("Changed", 9, true) + Pad("Deleted", 9, true) + Pad("On server", 11, true) +
         "  Checksum          Time\n";
  for (const EntityReport& e : report.entities) {
    std::string row = "  " + Pad(e.display_name, 32, false);
    if (!e.error.empty()) {
      out += row + "FAILED: " + e.error + "\n";
      continue;
    }
    if (e.skipped) {
      out += row + "(completed before the interruption)\n";
      continue;
    }
    row += Pad(WithThousands(e.records_sent), 11, true);
    row += Pad(WithThousands(e.inserted), 11, true);
    row += Pad(WithThousands(e.updated), 9, true);
    row += Pad(WithThousands(e.deleted + e.deleted_by_pass), 9, true);
    row += Pad(WithThousands(e.server_count), 11, true);
    std::snprintf(line, sizeof(line), "  %s %6.1f s", FormatChecksum(e.server_checksum).c_str(),
                  e.seconds);
    out += row + line + "\n";
  }
  return out;
}

std::string FormatReportJson(const SyncReport& report) {
  JsonWriter json;
  json.BeginObject();
  json.Key("run_id");
  json.String(report.run_id);
  json.Key("kind");
  json.String(report.kind);
  json.Key("since");
  json.String(report.since);
  json.Key("resumed");
  json.Bool(report.resumed);
  json.Key("ok");
  json.Bool(report.ok());
  json.Key("seconds");
  json.Double(report.seconds);
  json.Key("bytes_sent");
  json.Uint(report.bytes_sent);
  json.Key("reconnects");
  json.Int(report.reconnects);
  json.Key("entities");
  json.BeginArray();
  for (const EntityReport& e : report.entities) {
    json.BeginObject();
    json.Key("id");
    json.String(e.entity_id);
    json.Key("display_name");
    json.String(e.display_name);
    json.Key("mode");
    json.String(e.mode);
    json.Key("skipped");
    json.Bool(e.skipped);
    json.Key("generation");
    json.Uint(e.generation);
    json.Key("total");
    json.Uint(e.total);
    json.Key("resumed_at");
    json.Uint(e.resumed_at);
    json.Key("rows_read");
    json.Uint(e.rows_read);
    json.Key("records_sent");
    json.Uint(e.records_sent);
    json.Key("deletions_sent");
    json.Uint(e.deletions_sent);
    json.Key("acknowledged");
    json.Uint(e.acked);
    json.Key("inserted");
    json.Uint(e.inserted);
    json.Key("updated");
    json.Uint(e.updated);
    json.Key("unchanged");
    json.Uint(e.unchanged);
    json.Key("deleted");
    json.Uint(e.deleted);
    json.Key("deleted_by_pass");
    json.Uint(e.deleted_by_pass);
    json.Key("server_count");
    json.Uint(e.server_count);
    json.Key("server_checksum");
    json.String(FormatChecksum(e.server_checksum));
    json.Key("seconds");
    json.Double(e.seconds);
    json.Key("records_per_second");
    json.Double(e.records_per_second(), 1);
    json.Key("error");
    json.String(e.error);
    json.EndObject();
  }
  json.EndArray();
  json.EndObject();
  return json.str() + "\n";
}

}  // namespace erpsync::agent
