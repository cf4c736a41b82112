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
  for (const EntityReport& e : report.entities) {
    if (e.quarantined > 0) {
      out += "  " + e.display_name + ": " + WithThousands(e.quarantined) +
             (e.quarantined == 1 ? " row" : " rows") +
             " set aside (quarantined: not sent, retried by every sync):\n";
      for (const QuarantinedRow& row : e.quarantine) out += "    " + DescribeQuarantinedRow(row) + "\n";
      if (e.quarantined > e.quarantine.size()) {
        out += "    ...and " + WithThousands(e.quarantined - e.quarantine.size()) +
               " more (`erpsync-agent status` lists them)\n";
      }
    }
    if (!e.deletions_skipped.empty()) {
      out += "  " + e.display_name + ": nothing deleted on the server: " + e.deletions_skipped + "\n";
    }
  }
  return out;
}

void WriteQuarantinedRowFields(JsonWriter& json, const QuarantinedRow& row) {
  json.Field("key", row.key);
  json.Field("where", row.where);
  json.Field("column", row.column);
  json.Field("value", row.value);
  json.Field("reason", row.reason);
}

std::string DescribeQuarantinedRow(const QuarantinedRow& row) {
  std::string text = row.key.empty() ? "" : "key " + row.key;
  if (!row.where.empty()) text += text.empty() ? row.where : " (" + row.where + ")";
  if (!row.column.empty()) text += ", column " + row.column + " '" + row.value + "'";
  return text + ": " + row.reason;
}

std::string FormatReportJson(const SyncReport& report) {
  JsonWriter json;
  json.BeginObject();
  json.Field("run_id", report.run_id);
  json.Field("kind", report.kind);
  json.Field("since", report.since);
  json.Field("resumed", report.resumed);
  json.Field("ok", report.ok());
  json.Field("quarantined", report.quarantined());
  json.Field("seconds", report.seconds);
  json.Field("bytes_sent", report.bytes_sent);
  json.Field("reconnects", report.reconnects);
  json.Key("entities");
  json.BeginArray();
  for (const EntityReport& e : report.entities) {
    json.BeginObject();
    json.Field("id", e.entity_id);
    json.Field("display_name", e.display_name);
    json.Field("mode", e.mode);
    json.Field("skipped", e.skipped);
    json.Field("generation", e.generation);
    json.Field("total", e.total);
    json.Field("resumed_at", e.resumed_at);
    json.Field("rows_read", e.rows_read);
    json.Field("records_sent", e.records_sent);
    json.Field("deletions_sent", e.deletions_sent);
    json.Field("acknowledged", e.acked);
    json.Field("inserted", e.inserted);
    json.Field("updated", e.updated);
    json.Field("unchanged", e.unchanged);
    json.Field("deleted", e.deleted);
    json.Field("deleted_by_pass", e.deleted_by_pass);
    json.Field("server_count", e.server_count);
    json.Field("server_checksum", FormatChecksum(e.server_checksum));
    json.Field("seconds", e.seconds);
    json.Field("records_per_second", e.records_per_second(), 1);
    json.Field("error", e.error);
    json.Field("erp_failure", e.erp_failure);
    json.Field("quarantined", e.quarantined);
    json.Key("quarantine");
    json.BeginArray();
    for (const QuarantinedRow& row : e.quarantine) {
      json.BeginObject();
      WriteQuarantinedRowFields(json, row);
      json.EndObject();
    }
    json.EndArray();
    json.Field("deletions_skipped", e.deletions_skipped);
    json.EndObject();
  }
  json.EndArray();
  json.EndObject();
  return json.str() + "\n";
}

}  // namespace erpsync::agent
