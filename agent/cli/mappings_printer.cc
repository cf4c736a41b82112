#include "agent/cli/mappings_printer.h"

#include <algorithm>
#include <type_traits>

#include "agent/cli/report_printer.h"
#include "common/human_format.h"
#include "common/json_writer.h"

namespace erpsync::agent {
namespace {

// Columns as wide as their widest cell, two spaces apart; numbers
// right-aligned.
class TextTable {
 public:
  explicit TextTable(std::vector<bool> right_aligned) : right_(std::move(right_aligned)) {}
  void Add(std::vector<std::string> row) { rows_.push_back(std::move(row)); }

  std::string Render(const std::string& indent) const {
    std::vector<size_t> widths(right_.size(), 0);
    for (const auto& row : rows_) {
      for (size_t i = 0; i < row.size(); ++i) widths[i] = std::max(widths[i], row[i].size());
    }
    std::string out;
    for (const auto& row : rows_) {
      std::string line = indent;
      for (size_t i = 0; i < row.size(); ++i) {
        const std::string fill(widths[i] - row[i].size(), ' ');
        line += right_[i] ? fill + row[i] : row[i] + fill;
        if (i + 1 < row.size()) line += "  ";
      }
      line.erase(line.find_last_not_of(' ') + 1);
      out += line + "\n";
    }
    return out;
  }

 private:
  std::vector<bool> right_;
  std::vector<std::vector<std::string>> rows_;
};

bool OwesDeepSync(const MappingRow& row) {
  return row.settings.enabled && row.settings.needs_deep_sync;
}

std::vector<std::string> OwingDeepSync(const std::vector<MappingRow>& rows) {
  std::vector<std::string> ids;
  for (const MappingRow& row : rows) {
    if (OwesDeepSync(row)) ids.push_back(row.mapping->id());
  }
  return ids;
}

std::string DeepSyncHint(const std::vector<std::string>& ids) {
  if (ids.empty()) return "";
  return WithThousands(ids.size()) +
         (ids.size() == 1 ? " record type needs" : " record types need") +
         " a deep sync from the beginning of time: " + DeepSyncCommandFor(ids) + "\n";
}

void WriteProgressJson(JsonWriter& json, const MappingRow& row) {
  json.Field("needs_deep_sync", row.settings.needs_deep_sync);
  json.Field("records_last_synced", row.progress.records_last_synced);
  json.Field("last_sync_unix", row.progress.last_sync_unix);
  json.Field("last_deep_sync_unix", row.progress.last_deep_sync_unix);
  json.Field("server_count", row.progress.server_count);
}

}  // namespace

std::string DeepSyncCommandFor(const std::vector<std::string>& ids, const std::string& since) {
  std::string command = "erpsync-agent sync --deep --since " + since + " --only ";
  for (size_t i = 0; i < ids.size(); ++i) command += (i > 0 ? "," : "") + ids[i];
  return command;
}

std::string FormatMappingListText(const std::vector<MappingRow>& rows, bool verbose) {
  std::string out;
  size_t enabled = 0;
  // The table first (one per record type would not align), then the
  // options and details of the record types that have any.
  TextTable table({false, false, false, false, true, false, false});
  table.Add({"ID", "RECORD TYPE", "MODULE", "ENABLED", "ON SERVER", "LAST DEEP SYNC", "DEEP SYNC"});
  for (const MappingRow& row : rows) {
    const bool synced = row.progress.last_sync_unix != 0;
    if (row.settings.enabled) ++enabled;
    table.Add({row.mapping->id(), row.mapping->spec.display_name(),
               row.mapping->spec.module().empty() ? "-" : row.mapping->spec.module(),
               row.settings.enabled ? "yes" : "no",
               synced ? WithThousands(row.progress.server_count) : "-",
               FormatLocalTime(row.progress.last_deep_sync_unix),
               OwesDeepSync(row) ? "needed" : "-"});
  }
  out += table.Render("");
  for (const MappingRow& row : rows) {
    const v1::EntityMapping& spec = row.mapping->spec;
    const bool details = verbose && (!spec.description().empty() || spec.depends_on_size() > 0);
    if (row.panels.empty() && !details) continue;
    out += "\n" + DescribeMapping(*row.mapping) + "\n";
    if (verbose) {
      if (!spec.description().empty()) out += "  " + spec.description() + "\n";
      if (spec.depends_on_size() > 0) {
        std::string line = "  depends on:";
        for (const std::string& dependency : spec.depends_on()) line += " " + dependency;
        out += line + "\n";
      }
    }
    for (const PanelState& panel : row.panels) {
      out += "  " + panel.display_name + " (" +
             (panel.row_filter ? "unticked values are not sent" : "unticked fields are left out") +
             ")\n";
      TextTable choices({false, false, false});
      for (const ChoiceState& choice : panel.choices) {
        choices.Add({choice.on ? "[x]" : "[ ]", choice.id, choice.display_name});
      }
      out += choices.Render("    ");
    }
  }
  out += "\n" + WithThousands(rows.size()) + " record types, " + WithThousands(enabled) +
         " enabled.\n";
  out += DeepSyncHint(OwingDeepSync(rows));
  return out;
}

std::string FormatMappingListJson(const std::vector<MappingRow>& rows) {
  JsonWriter json;
  json.BeginObject();
  json.Key("mappings");
  json.BeginArray();
  for (const MappingRow& row : rows) {
    const v1::EntityMapping& spec = row.mapping->spec;
    json.BeginObject();
    json.Field("id", spec.id());
    json.Field("display_name", spec.display_name());
    json.Field("module", spec.module());
    json.Field("description", spec.description());
    json.Field("enabled", row.settings.enabled);
    WriteProgressJson(json, row);
    json.Key("depends_on");
    json.BeginArray();
    for (const std::string& dependency : spec.depends_on()) json.String(dependency);
    json.EndArray();
    json.Key("options");
    json.BeginArray();
    for (const PanelState& panel : row.panels) {
      json.BeginObject();
      json.Field("id", panel.id);
      json.Field("display_name", panel.display_name);
      json.Field("kind", panel.row_filter ? "row_filter" : "field_toggles");
      json.Key("choices");
      json.BeginArray();
      for (const ChoiceState& choice : panel.choices) {
        json.BeginObject();
        json.Field("id", choice.id);
        json.Field("display_name", choice.display_name);
        json.Field("on", choice.on);
        json.EndObject();
      }
      json.EndArray();
      json.EndObject();
    }
    json.EndArray();
    json.EndObject();
  }
  json.EndArray();
  json.EndObject();
  return json.str() + "\n";
}

std::string FormatChangeOutcome(const ChangeOutcome& outcome, const std::vector<MappingRow>& rows) {
  std::string out;
  for (const std::string& change : outcome.changes) out += change + "\n";
  out += DeepSyncHint(OwingDeepSync(rows));
  return out;
}

std::string FormatStatusText(const AgentStatusView& status) {
  std::string out;
  out += "server    " + status.server_address + "\n";
  out += "state     " + status.state_dir + "\n";
  out += "mappings  " + status.mappings_dir + " (" + WithThousands(status.record_types) +
         " record types, " + WithThousands(status.rows.size()) + " enabled)\n\n";
  TextTable table({false, false, false, false, true, true, false, false});
  table.Add({"RECORD TYPE", "ID", "LAST SYNC", "LAST DEEP SYNC", "ON SERVER", "SET ASIDE",
             "DEEP SYNC", "LAST ERROR"});
  for (const MappingRow& row : status.rows) {
    const EntityProgress& progress = row.progress;
    table.Add({row.mapping->spec.display_name(), row.mapping->id(),
               FormatLocalTime(progress.last_sync_unix),
               FormatLocalTime(progress.last_deep_sync_unix),
               progress.last_sync_unix != 0 ? WithThousands(progress.server_count) : "-",
               row.quarantined > 0 ? WithThousands(row.quarantined) : "-",
               OwesDeepSync(row) ? "needed" : "-",
               progress.last_error.empty() ? "-" : progress.last_error});
  }
  out += table.Render("");
  for (const MappingRow& row : status.rows) {
    if (row.quarantined == 0) continue;
    out += "\n" + row.mapping->spec.display_name() + ": " + WithThousands(row.quarantined) +
           (row.quarantined == 1 ? " record" : " records") +
           " set aside (not sent; every sync tries again, a record leaves once its rows read "
           "cleanly)\n";
    for (const QuarantineEntry& entry : row.quarantine) {
      out += "  " + DescribeQuarantinedRow(QuarantinedRowOf(entry)) + "; since " +
             FormatLocalTime(entry.first_unix) + "\n";
    }
    if (row.quarantined > row.quarantine.size()) {
      out += "  ...and " + WithThousands(row.quarantined - row.quarantine.size()) + " more\n";
    }
  }
  if (status.deep_run) {
    const DeepRunStatus& run = *status.deep_run;
    out += "\nDeep sync " +
           std::string(run.run.since == "beginning" ? "from the beginning of time"
                                                    : "since " + run.run.since) +
           " (run " + run.run.run_id + ", started " + FormatLocalTime(run.run.started_unix) +
           ") did not finish; resumable: " + WithThousands(run.acked) + " of " +
           WithThousands(run.total) + " records, " + WithThousands(run.entities_done) + " of " +
           WithThousands(run.entities.size()) + " record types done\n";
    TextTable entities({false, true, false});
    for (const DeepRunStatus::Entity& entity : run.entities) {
      entities.Add({entity.entity_id,
                    entity.started
                        ? WithThousands(entity.acked) + " of " + WithThousands(entity.total)
                        : "not started",
                    entity.done ? "done" : ""});
    }
    out += entities.Render("  ");
    out += "Resume it with: " + DeepSyncCommandFor(run.run.entity_ids, run.run.since) + "\n";
  } else {
    out += "\nNo deep sync in progress.\n";
  }
  out += DeepSyncHint(OwingDeepSync(status.rows));
  return out;
}

std::string FormatStatusJson(const AgentStatusView& status) {
  JsonWriter json;
  json.BeginObject();
  json.Field("server_address", status.server_address);
  json.Field("state_dir", status.state_dir);
  json.Field("mappings_dir", status.mappings_dir);
  json.Field("record_types", status.record_types);
  json.Key("mappings");
  json.BeginArray();
  for (const MappingRow& row : status.rows) {
    json.BeginObject();
    json.Field("id", row.mapping->id());
    json.Field("display_name", row.mapping->spec.display_name());
    WriteProgressJson(json, row);
    json.Field("last_error", row.progress.last_error);
    json.Field("quarantined", row.quarantined);
    json.Key("quarantine");
    json.BeginArray();
    for (const QuarantineEntry& entry : row.quarantine) {
      json.BeginObject();
      WriteQuarantinedRowFields(json, QuarantinedRowOf(entry));
      json.Field("duplicate", entry.duplicate);
      json.Field("first_unix", entry.first_unix);
      json.Field("last_unix", entry.last_unix);
      json.EndObject();
    }
    json.EndArray();
    json.EndObject();
  }
  json.EndArray();
  json.Key("deep_run");
  if (!status.deep_run) {
    json.Null();
  } else {
    const DeepRunStatus& run = *status.deep_run;
    json.BeginObject();
    json.Field("run_id", run.run.run_id);
    json.Field("since", run.run.since);
    json.Field("started_unix", run.run.started_unix);
    json.Field("acked", run.acked);
    json.Field("total", run.total);
    json.Field("entities_done", run.entities_done);
    json.Key("entities");
    json.BeginArray();
    for (const DeepRunStatus::Entity& entity : run.entities) {
      json.BeginObject();
      json.Field("id", entity.entity_id);
      json.Field("started", entity.started);
      json.Field("done", entity.done);
      json.Field("acked", entity.acked);
      json.Field("total", entity.total);
      json.EndObject();
    }
    json.EndArray();
    json.EndObject();
  }
  json.EndObject();
  return json.str() + "\n";
}

}  // namespace erpsync::agent
