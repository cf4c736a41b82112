// EntityPlan: one mapping resolved against the administrator's option
// choices: the schema actually sent (fields of unticked toggles left out),
// the columns to read, the row filter, the key, the row stamp and the
// timeframe column. Immutable once built; thread-safe.
#ifndef ERPSYNC_AGENT_MAPPING_ENTITY_PLAN_H_
#define ERPSYNC_AGENT_MAPPING_ENTITY_PLAN_H_

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "agent/erp/erp_source.h"
#include "agent/mapping/mapping_definition.h"
#include "agent/mapping/option_choices.h"
#include "common/record_schema.h"
#include "common/status.h"

namespace erpsync::agent {

// Whether `choice_id` is ticked under `choices`. NOT_FOUND for an id the
// mapping does not declare.
Result<bool> IsChoiceOn(const v1::EntityMapping& spec, const OptionChoices& choices,
                        std::string_view choice_id);

class EntityPlan {
 public:
  // INVALID_ARGUMENT when the resulting schema is invalid (cannot happen for
  // a mapping that passed the loader's checks).
  static Result<EntityPlan> Build(const MappingDefinition& mapping, const OptionChoices& choices);

  const std::string& entity_id() const { return schema_.entity_id(); }
  const RecordSchema& schema() const { return schema_; }
  const std::string& table() const { return table_; }
  // Columns read per row: one per schema field, in field order, then the
  // row stamp columns.
  const std::vector<std::string>& columns() const { return columns_; }
  const std::vector<std::string>& key_columns() const { return key_columns_; }
  // Row stamp columns (date, then time when declared); empty without one.
  const std::vector<std::string>& stamp_columns() const { return stamp_columns_; }
  bool has_row_stamp() const { return !stamp_columns_.empty(); }
  // Position of the first stamp column in columns().
  size_t stamp_offset() const { return schema_.fields().size(); }
  // Column a deep sync with a timeframe filters on; empty when none.
  const std::string& timeframe_column() const { return timeframe_column_; }
  // True when a row filter has every choice unticked: nothing is sent.
  bool reads_nothing() const { return reads_nothing_; }

  // The read every sync starts from: table, columns and the row filter, in
  // key order. Callers add bounds.
  TableRead BaseRead() const;
  // BaseRead in row stamp order (then key order), for the reads bounded by
  // row stamps: the order an index on the stamp columns gives, so that the
  // ERP finds the few rows in the bounds through it instead of scanning
  // the table in key order (a full scan of the largest tables at every
  // incremental sync). Only for entities with a row stamp.
  TableRead StampOrderRead() const;
  // BaseRead without the row stamp columns, for reads that are not
  // positioned by row stamp (deep passes, checksums): two cells a row fewer
  // to read.
  TableRead FieldsRead() const;

  // Values to bind against key_columns() for the record key `key` (INTEGER
  // key fields as integers, others as their canonical text).
  // INVALID_ARGUMENT when the key does not have one part per key field.
  Result<std::vector<SqlValue>> KeyValues(std::string_view key) const;

 private:
  RecordSchema schema_;
  std::string table_;
  std::vector<std::string> columns_;
  std::vector<std::string> key_columns_;
  std::vector<std::string> stamp_columns_;
  std::string timeframe_column_;
  std::string filter_column_;
  std::vector<std::string> filter_values_;
  bool reads_nothing_ = false;
};

}  // namespace erpsync::agent

#endif  // ERPSYNC_AGENT_MAPPING_ENTITY_PLAN_H_
