#include "agent/state/mapping_admin.h"

#include <algorithm>
#include <set>

#include "agent/mapping/entity_plan.h"
#include "agent/mapping/erp_check.h"
#include "agent/state/effective_settings.h"
#include "common/human_format.h"

namespace erpsync::agent {
namespace {

std::string Join(const std::vector<std::string>& parts, std::string_view separator) {
  std::string joined;
  for (const std::string& part : parts) {
    if (!joined.empty()) joined += separator;
    joined += part;
  }
  return joined;
}

bool Contains(const std::vector<std::string>& ids, const std::string& id) {
  return std::find(ids.begin(), ids.end(), id) != ids.end();
}

Status UnknownMapping(const std::string& id) {
  return NotFoundError("no mapping with id '" + id + "' (see `erpsync-agent mappings list`)");
}

// The panel and display name of an option, when the mapping declares it.
struct FoundChoice {
  const v1::OptionPanel* panel = nullptr;
  std::string display_name;
  std::string value;                // row filter choices
  std::vector<std::string> fields;  // field toggles
};

std::optional<FoundChoice> FindChoice(const v1::EntityMapping& spec, const std::string& choice_id) {
  for (const v1::OptionPanel& panel : spec.options()) {
    for (const v1::RowFilterChoice& choice : panel.row_filter().choices()) {
      if (choice.id() == choice_id) {
        return FoundChoice{&panel, choice.display_name(), choice.value(), {}};
      }
    }
    for (const v1::FieldToggle& choice : panel.field_toggles().choices()) {
      if (choice.id() == choice_id) {
        return FoundChoice{
            &panel, choice.display_name(), "",
            std::vector<std::string>(choice.fields().begin(), choice.fields().end())};
      }
    }
  }
  return std::nullopt;
}

}  // namespace

std::string DescribeMapping(const MappingDefinition& mapping) {
  return mapping.spec.display_name() + " [" + mapping.id() + "]";
}

std::string FormatLocalTime(int64_t unix_seconds) {
  if (unix_seconds == 0) return "never";
  const LocalDateTime local = ToLocalDateTime(unix_seconds);
  return local.date + " " + local.time;
}

const MappingDefinition* MappingAdmin::Find(const std::string& id) const {
  return catalog_->Find(id);
}

Result<MappingRow> MappingAdmin::MakeRow(const MappingDefinition& mapping) {
  MappingRow row;
  row.mapping = &mapping;
  ERPSYNC_ASSIGN_OR_RETURN(row.settings, EffectiveSettings(*state_, mapping));
  ERPSYNC_ASSIGN_OR_RETURN(row.progress, state_->GetProgress(mapping.id()));
  ERPSYNC_ASSIGN_OR_RETURN(row.quarantined, state_->CountQuarantined(mapping.id()));
  if (row.quarantined > 0) {
    ERPSYNC_ASSIGN_OR_RETURN(row.quarantine,
                             state_->ListQuarantined(mapping.id(), kListedQuarantineEntries));
  }
  for (const v1::OptionPanel& panel : mapping.spec.options()) {
    PanelState state;
    state.id = panel.id();
    state.display_name = panel.display_name();
    state.row_filter = panel.has_row_filter();
    const auto add = [&](const auto& choice) -> Status {
      ERPSYNC_ASSIGN_OR_RETURN(const bool on,
                               IsChoiceOn(mapping.spec, row.settings.choices, choice.id()));
      state.choices.push_back(ChoiceState{choice.id(), choice.display_name(), on});
      return Status::Ok();
    };
    for (const v1::RowFilterChoice& choice : panel.row_filter().choices()) {
      ERPSYNC_RETURN_IF_ERROR(add(choice));
    }
    for (const v1::FieldToggle& choice : panel.field_toggles().choices()) {
      ERPSYNC_RETURN_IF_ERROR(add(choice));
    }
    row.panels.push_back(std::move(state));
  }
  return row;
}

Result<std::vector<MappingRow>> MappingAdmin::List() {
  std::vector<MappingRow> rows;
  for (const MappingDefinition& mapping : catalog_->mappings()) {
    ERPSYNC_ASSIGN_OR_RETURN(MappingRow row, MakeRow(mapping));
    rows.push_back(std::move(row));
  }
  std::sort(rows.begin(), rows.end(), [](const MappingRow& a, const MappingRow& b) {
    return a.mapping->id() < b.mapping->id();
  });
  return rows;
}

Result<MappingRow> MappingAdmin::Row(const std::string& id) {
  const MappingDefinition* mapping = Find(id);
  if (mapping == nullptr) return UnknownMapping(id);
  return MakeRow(*mapping);
}

Result<std::string> MappingAdmin::SyncedData(const std::string& id) {
  ERPSYNC_ASSIGN_OR_RETURN(const EntityProgress progress, state_->GetProgress(id));
  if (progress.last_sync_unix != 0 || progress.server_count > 0) {
    return WithThousands(progress.server_count) + " records on the server at the last sync, " +
           FormatLocalTime(progress.last_sync_unix);
  }
  ERPSYNC_ASSIGN_OR_RETURN(const std::optional<DeepPassCheckpoint> checkpoint,
                           state_->GetCheckpoint(id));
  if (checkpoint && checkpoint->acked > 0) {
    return WithThousands(checkpoint->acked) + " records acknowledged by an unfinished deep sync";
  }
  return std::string();
}

Status MappingAdmin::Store(std::vector<MappingSettings> changed) {
  const int64_t now = clock_->NowUnix();
  return state_->WithTransaction([&]() -> Status {
    for (MappingSettings& settings : changed) {
      settings.changed_unix = now;
      const Status stored = state_->PutSettings(settings);
      if (!stored.ok()) return stored;
    }
    return Status::Ok();
  });
}

Result<ChangeOutcome> MappingAdmin::Enable(const std::vector<std::string>& ids,
                                           bool with_dependencies, ErpSource& erp) {
  for (const std::string& id : ids) {
    if (Find(id) == nullptr) return UnknownMapping(id);
  }
  ChangeOutcome outcome;
  // Newly enabled ids, and who needed each dependency.
  std::set<std::string> enabling;
  std::vector<std::pair<std::string, std::string>> dependencies;  // (id, needed by)
  std::vector<std::string> refusals;
  for (const MappingDefinition& mapping : catalog_->mappings()) {
    if (!Contains(ids, mapping.id())) continue;
    ERPSYNC_ASSIGN_OR_RETURN(const MappingSettings settings, EffectiveSettings(*state_, mapping));
    if (settings.enabled) {
      outcome.changes.push_back(DescribeMapping(mapping) + " is already enabled");
      continue;
    }
    enabling.insert(mapping.id());
    // Disabled dependencies, transitively through disabled ones.
    std::vector<const MappingDefinition*> missing;
    std::vector<const MappingDefinition*> pending = {&mapping};
    std::set<std::string> seen = {mapping.id()};
    while (!pending.empty()) {
      const MappingDefinition* current = pending.back();
      pending.pop_back();
      for (const std::string& dependency_id : current->spec.depends_on()) {
        if (!seen.insert(dependency_id).second || Contains(ids, dependency_id)) continue;
        const MappingDefinition* dependency = Find(dependency_id);
        ERPSYNC_ASSIGN_OR_RETURN(const MappingSettings dependency_settings,
                                 EffectiveSettings(*state_, *dependency));
        if (dependency_settings.enabled) continue;
        missing.push_back(dependency);
        pending.push_back(dependency);
      }
    }
    if (missing.empty()) continue;
    if (with_dependencies) {
      for (const MappingDefinition* dependency : missing) {
        if (enabling.insert(dependency->id()).second) {
          dependencies.emplace_back(dependency->id(), mapping.id());
        }
      }
      continue;
    }
    std::vector<std::string> names;  // in catalog order
    for (const MappingDefinition& candidate : catalog_->mappings()) {
      if (std::find(missing.begin(), missing.end(), &candidate) != missing.end()) {
        names.push_back(DescribeMapping(candidate));
      }
    }
    refusals.push_back("refusing to enable " + DescribeMapping(mapping) +
                       ": it depends on disabled mappings: " + Join(names, ", ") +
                       ". Enable them in the same command, or add --with-dependencies to enable "
                       "them together.");
  }
  if (!refusals.empty()) return FailedPreconditionError(Join(refusals, "\n"));

  // Catalog order: dependencies before the mappings that need them.
  std::vector<const MappingDefinition*> ordered;
  for (const MappingDefinition& mapping : catalog_->mappings()) {
    if (enabling.count(mapping.id()) > 0) ordered.push_back(&mapping);
  }
  for (const MappingDefinition* mapping : ordered) {
    ERPSYNC_RETURN_IF_ERROR(CheckMappingAgainstErp(*mapping, erp));
  }
  std::vector<MappingSettings> changed;
  for (const MappingDefinition* mapping : ordered) {
    ERPSYNC_ASSIGN_OR_RETURN(MappingSettings settings, EffectiveSettings(*state_, *mapping));
    settings.enabled = true;
    settings.needs_deep_sync = true;
    changed.push_back(std::move(settings));
  }
  ERPSYNC_RETURN_IF_ERROR(Store(std::move(changed)));
  for (const MappingDefinition* mapping : ordered) {
    std::string change = "enabled " + DescribeMapping(*mapping);
    for (const auto& [id, needed_by] : dependencies) {
      if (id == mapping->id()) change += " (needed by " + DescribeMapping(*Find(needed_by)) + ")";
    }
    outcome.changes.push_back(std::move(change));
    outcome.needs_deep_sync.push_back(mapping->id());
  }
  return outcome;
}

Result<ChangeOutcome> MappingAdmin::Disable(const std::vector<std::string>& ids, bool force) {
  for (const std::string& id : ids) {
    if (Find(id) == nullptr) return UnknownMapping(id);
  }
  ChangeOutcome outcome;
  std::vector<MappingSettings> disabling;
  std::vector<std::string> refusals;
  for (const MappingDefinition& mapping : catalog_->mappings()) {
    if (!Contains(ids, mapping.id())) continue;
    ERPSYNC_ASSIGN_OR_RETURN(MappingSettings settings, EffectiveSettings(*state_, mapping));
    if (!settings.enabled) {
      outcome.changes.push_back(DescribeMapping(mapping) + " is already disabled");
      continue;
    }
    std::vector<std::string> reasons;
    ERPSYNC_ASSIGN_OR_RETURN(const std::string synced, SyncedData(mapping.id()));
    if (!synced.empty()) {
      reasons.push_back("it has already synced data (" + synced +
                        "): disabled, the cloud stops receiving updates of this record type");
    }
    std::vector<std::string> dependents;
    for (const std::string& dependent_id : catalog_->Dependents(mapping.id())) {
      if (Contains(ids, dependent_id)) continue;
      const MappingDefinition* dependent = Find(dependent_id);
      ERPSYNC_ASSIGN_OR_RETURN(const MappingSettings dependent_settings,
                               EffectiveSettings(*state_, *dependent));
      if (dependent_settings.enabled) dependents.push_back(DescribeMapping(*dependent));
    }
    if (!dependents.empty()) {
      reasons.push_back("enabled mappings depend on it: " + Join(dependents, ", "));
    }
    if (!reasons.empty()) {
      if (force) {
        outcome.warnings.push_back("disabled " + DescribeMapping(mapping) +
                                   " anyway: " + Join(reasons, "; and ") + ".");
      } else {
        refusals.push_back("refusing to disable " + DescribeMapping(mapping) + ": " +
                           Join(reasons, "; and ") + ". Add --force to disable it anyway.");
      }
    }
    settings.enabled = false;
    disabling.push_back(std::move(settings));
  }
  if (!refusals.empty()) return FailedPreconditionError(Join(refusals, "\n"));
  for (const MappingSettings& settings : disabling) {
    outcome.changes.push_back("disabled " + DescribeMapping(*Find(settings.entity_id)));
  }
  ERPSYNC_RETURN_IF_ERROR(Store(std::move(disabling)));
  return outcome;
}

Result<ChangeOutcome> MappingAdmin::SetChoice(const std::string& id, const std::string& choice_id,
                                              bool on, bool force) {
  const MappingDefinition* mapping = Find(id);
  if (mapping == nullptr) return UnknownMapping(id);
  const std::optional<FoundChoice> choice = FindChoice(mapping->spec, choice_id);
  if (!choice) {
    std::vector<std::string> known;
    for (const v1::OptionPanel& panel : mapping->spec.options()) {
      for (const auto& c : panel.row_filter().choices()) known.push_back(c.id());
      for (const auto& c : panel.field_toggles().choices()) known.push_back(c.id());
    }
    return NotFoundError("mapping '" + id + "' has no option '" + choice_id + "'" +
                         (known.empty() ? std::string(" (it has no options)")
                                        : " (options: " + Join(known, ", ") + ")"));
  }
  ERPSYNC_ASSIGN_OR_RETURN(MappingSettings settings, EffectiveSettings(*state_, *mapping));
  ERPSYNC_ASSIGN_OR_RETURN(const bool was_on,
                           IsChoiceOn(mapping->spec, settings.choices, choice_id));
  const std::string what =
      choice->display_name + " [" + choice_id + "] of " + DescribeMapping(*mapping);
  ChangeOutcome outcome;
  if (was_on == on) {
    outcome.changes.push_back(what + " is already " + (on ? "ticked" : "unticked"));
    return outcome;
  }
  if (!on) {
    ERPSYNC_ASSIGN_OR_RETURN(const std::string synced, SyncedData(id));
    if (!synced.empty()) {
      std::string reason;
      if (choice->panel->has_row_filter()) {
        reason = "the cloud holds the records whose " + choice->panel->row_filter().column() +
                 " is '" + choice->value + "' among those already synced (" + synced +
                 "); unticked, those records are no longer updated, and the next complete deep "
                 "sync from the beginning of time marks them deleted on the server";
      } else {
        reason = std::string("the cloud holds the values of field") +
                 (choice->fields.size() > 1 ? "s " : " ") + Join(choice->fields, ", ") +
                 " of the records already synced (" + synced +
                 "); unticked, the field is left out of what is sent and those values are no "
                 "longer updated";
      }
      if (!force) {
        return FailedPreconditionError("refusing to untick " + what + ": " + reason +
                                       ". Add --force to untick it anyway.");
      }
      outcome.warnings.push_back("unticked " + what + " anyway: " + reason + ".");
    }
  }
  settings.choices[choice_id] = on;
  settings.needs_deep_sync = true;
  ERPSYNC_RETURN_IF_ERROR(Store({settings}));
  outcome.changes.push_back((on ? "ticked " : "unticked ") + what);
  if (settings.enabled) outcome.needs_deep_sync.push_back(id);
  return outcome;
}

Result<std::optional<DeepRunStatus>> MappingAdmin::DeepRunInProgress() {
  ERPSYNC_ASSIGN_OR_RETURN(std::optional<DeepRun> run, state_->GetDeepRun());
  if (!run) return std::optional<DeepRunStatus>();
  DeepRunStatus status;
  status.run = *std::move(run);
  for (const std::string& id : status.run.entity_ids) {
    DeepRunStatus::Entity entity;
    entity.entity_id = id;
    ERPSYNC_ASSIGN_OR_RETURN(const std::optional<DeepPassCheckpoint> checkpoint,
                             state_->GetCheckpoint(id));
    if (checkpoint && checkpoint->run_id == status.run.run_id) {
      entity.started = true;
      entity.done = checkpoint->done;
      entity.acked = checkpoint->acked;
      entity.total = checkpoint->total;
      status.acked += entity.acked;
      status.total += entity.total;
      if (entity.done) ++status.entities_done;
    }
    status.entities.push_back(std::move(entity));
  }
  return std::optional<DeepRunStatus>(std::move(status));
}

}  // namespace erpsync::agent
