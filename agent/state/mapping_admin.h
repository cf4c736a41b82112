// MappingAdmin: the Advanced Mappings screen as operations on the agent's
// state: list the catalog with each record type's settings and progress,
// enable and disable record types, tick and untick their options, and
// report an interrupted deep sync. It enforces what every setup guide warns
// about: removing a checkmark that has already synced data (or that enabled
// record types depend on) is refused with an explanation unless forced, and
// enabling a record type (or changing an option) marks it as needing a deep
// sync from the beginning of time.
//
// Each change is validated as a whole before anything is stored, then
// stored in one state transaction: a refused command changes nothing. The
// catalog, state and clock must outlive the object. Not thread-safe (the
// StateStore is used from one thread at a time).
#ifndef ERPSYNC_AGENT_STATE_MAPPING_ADMIN_H_
#define ERPSYNC_AGENT_STATE_MAPPING_ADMIN_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "agent/erp/erp_source.h"
#include "agent/mapping/catalog.h"
#include "agent/state/state_store.h"
#include "common/clock.h"
#include "common/status.h"

namespace erpsync::agent {

// One choice of an options panel and whether it is ticked.
struct ChoiceState {
  std::string id;
  std::string display_name;
  bool on = true;
};

// One options panel of a mapping, with the current state of its choices.
struct PanelState {
  std::string id;
  std::string display_name;
  bool row_filter = false;  // false: field toggles
  std::vector<ChoiceState> choices;
};

// One record type as `erpsync-agent mappings list` and `status` show it.
struct MappingRow {
  const MappingDefinition* mapping = nullptr;
  MappingSettings settings;  // effective (file defaults when never touched)
  EntityProgress progress;
  std::vector<PanelState> panels;
  // Rows set aside by syncs: their count and the first of them.
  uint64_t quarantined = 0;
  std::vector<QuarantineEntry> quarantine;
};

// How many quarantined rows MappingRow lists.
inline constexpr size_t kListedQuarantineEntries = 100;

// An interrupted (or running) deep sync and how far each of its record
// types got.
struct DeepRunStatus {
  struct Entity {
    std::string entity_id;
    bool started = false;  // has a checkpoint in this run
    bool done = false;
    uint64_t acked = 0;
    uint64_t total = 0;
  };
  DeepRun run;
  std::vector<Entity> entities;  // in the run's order
  uint64_t acked = 0;            // sum over the started entities
  uint64_t total = 0;            // sum over the started entities
  size_t entities_done = 0;
};

// What a change did, for the command to print.
struct ChangeOutcome {
  // One line per mapping or option changed ("enabled jc_extra (Extra (JC))").
  std::vector<std::string> changes;
  // Forced removals: what the administrator was warned about.
  std::vector<std::string> warnings;
  // Mappings that now need a deep sync from the beginning of time, in
  // dependency order.
  std::vector<std::string> needs_deep_sync;
};

class MappingAdmin {
 public:
  MappingAdmin(const Catalog* catalog, StateStore* state, const Clock* clock)
      : catalog_(catalog), state_(state), clock_(clock) {}

  // Every mapping of the catalog, sorted by id. INTERNAL on state errors.
  Result<std::vector<MappingRow>> List();

  // The row of one mapping. NOT_FOUND for an unknown id.
  Result<MappingRow> Row(const std::string& id);

  // Ticks the mappings `ids`, each checked against `erp` (its table and
  // columns must exist), and marks them as needing a deep sync from the
  // beginning of time. Mappings already enabled are left as they are.
  // Errors: NOT_FOUND for an unknown id; FAILED_PRECONDITION naming the
  // disabled dependencies (neither enabled nor listed) unless
  // `with_dependencies`, which enables them too (transitively, each checked
  // against the ERP); INVALID_ARGUMENT "path:line: ..." when the ERP lacks
  // a table or column; errors of the ERP source are passed on.
  Result<ChangeOutcome> Enable(const std::vector<std::string>& ids, bool with_dependencies,
                               ErpSource& erp);

  // Unticks the mappings `ids`. A mapping that has already synced data, or
  // that enabled mappings (not listed too) depend on, is refused with
  // FAILED_PRECONDITION explaining what depends on it, unless `force`; then
  // the explanation is returned as a warning. Mappings already disabled are
  // left as they are. NOT_FOUND for an unknown id.
  Result<ChangeOutcome> Disable(const std::vector<std::string>& ids, bool force);

  // Ticks (`on`) or unticks the option `choice_id` of mapping `id` and marks
  // the mapping as needing a deep sync. Unticking an option of a mapping
  // that has already synced data is refused with FAILED_PRECONDITION
  // explaining what the cloud holds that will no longer be updated, unless
  // `force` (then it is a warning). Setting an option to its current state
  // changes nothing. NOT_FOUND for an unknown mapping or option.
  Result<ChangeOutcome> SetChoice(const std::string& id, const std::string& choice_id, bool on,
                                  bool force);

  // The deep sync recorded in the state (interrupted, or running in another
  // process), nullopt when there is none. INTERNAL on state errors.
  Result<std::optional<DeepRunStatus>> DeepRunInProgress();

 private:
  const MappingDefinition* Find(const std::string& id) const;
  Result<MappingRow> MakeRow(const MappingDefinition& mapping);
  // What the server holds of the entity, for messages ("3,000 records on
  // the server at the last sync, ..."): after a completed sync, or the
  // acknowledged batches of an unfinished deep sync. Empty when nothing was
  // ever synced.
  Result<std::string> SyncedData(const std::string& id);
  // Stores `changed` (stamped with the clock) in one transaction.
  Status Store(std::vector<MappingSettings> changed);

  const Catalog* catalog_;
  StateStore* state_;
  const Clock* clock_;
};

// "Extra (JC) [jc_extra]": how messages name a mapping.
std::string DescribeMapping(const MappingDefinition& mapping);

// Local "YYYY-MM-DD HH:MM:SS" of a Unix time; "never" for 0.
std::string FormatLocalTime(int64_t unix_seconds);

}  // namespace erpsync::agent

#endif  // ERPSYNC_AGENT_STATE_MAPPING_ADMIN_H_
