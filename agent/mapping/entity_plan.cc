#include "agent/mapping/entity_plan.h"

#include <charconv>
#include <set>

#include "common/record_codec.h"

namespace erpsync::agent {

Result<bool> IsChoiceOn(const v1::EntityMapping& spec, const OptionChoices& choices,
                        std::string_view choice_id) {
  const auto resolve = [&](const auto& choice) {
    if (const auto it = choices.find(choice_id); it != choices.end()) return it->second;
    return !choice.has_default_on() || choice.default_on();
  };
  for (const v1::OptionPanel& panel : spec.options()) {
    for (const v1::RowFilterChoice& choice : panel.row_filter().choices()) {
      if (choice.id() == choice_id) return resolve(choice);
    }
    for (const v1::FieldToggle& choice : panel.field_toggles().choices()) {
      if (choice.id() == choice_id) return resolve(choice);
    }
  }
  return NotFoundError("mapping '" + spec.id() + "' has no option '" + std::string(choice_id) +
                       "'");
}

Result<EntityPlan> EntityPlan::Build(const MappingDefinition& mapping,
                                     const OptionChoices& choices) {
  const v1::EntityMapping& spec = mapping.spec;
  EntityPlan plan;
  plan.table_ = spec.table();

  std::set<std::string> left_out;
  for (const v1::OptionPanel& panel : spec.options()) {
    if (panel.has_field_toggles()) {
      for (const v1::FieldToggle& choice : panel.field_toggles().choices()) {
        ERPSYNC_ASSIGN_OR_RETURN(const bool on, IsChoiceOn(spec, choices, choice.id()));
        if (!on) left_out.insert(choice.fields().begin(), choice.fields().end());
      }
    } else if (panel.has_row_filter()) {
      plan.filter_column_ = panel.row_filter().column();
      for (const v1::RowFilterChoice& choice : panel.row_filter().choices()) {
        ERPSYNC_ASSIGN_OR_RETURN(const bool on, IsChoiceOn(spec, choices, choice.id()));
        if (on) plan.filter_values_.push_back(choice.value());
      }
      if (plan.filter_values_.empty()) plan.reads_nothing_ = true;
      // Every choice ticked: no filter at all, so rows with values the
      // panel does not list are sent too.
      if (plan.filter_values_.size() == static_cast<size_t>(panel.row_filter().choices_size())) {
        plan.filter_column_.clear();
        plan.filter_values_.clear();
      }
    }
  }

  std::vector<FieldDef> fields;
  for (const v1::MappedField& field : spec.fields()) {
    if (left_out.count(field.name()) > 0) continue;
    const auto type = static_cast<FieldType>(field.type());
    fields.push_back(FieldDef{field.name(), type, FieldScale(type, field.scale())});
    plan.columns_.push_back(field.column());
  }
  for (const std::string& key : spec.key()) {
    for (const v1::MappedField& field : spec.fields()) {
      if (field.name() == key) plan.key_columns_.push_back(field.column());
    }
  }
  if (spec.has_row_stamp()) {
    plan.stamp_columns_.push_back(spec.row_stamp().date_column());
    if (!spec.row_stamp().time_column().empty()) {
      plan.stamp_columns_.push_back(spec.row_stamp().time_column());
    }
  }
  plan.columns_.insert(plan.columns_.end(), plan.stamp_columns_.begin(), plan.stamp_columns_.end());
  plan.timeframe_column_ =
      spec.timeframe_column().empty() ? spec.row_stamp().date_column() : spec.timeframe_column();

  plan.schema_ = RecordSchema(spec.id(), spec.display_name(), spec.module(), std::move(fields),
                              {spec.key().begin(), spec.key().end()});
  ERPSYNC_RETURN_IF_ERROR(plan.schema_.Finalize().WithContext(mapping.path));
  return plan;
}

TableRead EntityPlan::BaseRead() const {
  TableRead read;
  read.table = table_;
  read.columns = columns_;
  read.order_by = key_columns_;
  read.in_column = filter_column_;
  read.in_values = filter_values_;
  // TEXT fields and the key are taken as text; numbers, dates and the row
  // stamps are parsed (and the stamps compared) as the ERP wrote them.
  read.text_columns.assign(columns_.size(), false);
  for (size_t i = 0; i < schema_.fields().size(); ++i) {
    read.text_columns[i] = schema_.fields()[i].type == FieldType::kText;
  }
  for (size_t index : schema_.key_indexes()) read.text_columns[index] = true;
  return read;
}

TableRead EntityPlan::StampOrderRead() const {
  TableRead read = BaseRead();
  read.order_by = stamp_columns_;
  read.order_by.insert(read.order_by.end(), key_columns_.begin(), key_columns_.end());
  return read;
}

TableRead EntityPlan::FieldsRead() const {
  TableRead read = BaseRead();
  read.columns.resize(stamp_offset());
  read.text_columns.resize(stamp_offset());
  return read;
}

Result<std::vector<SqlValue>> EntityPlan::KeyValues(std::string_view key) const {
  const std::vector<std::string> parts = SplitKey(key);
  const std::vector<size_t>& indexes = schema_.key_indexes();
  if (parts.size() != indexes.size()) {
    return InvalidArgumentError("key '" + std::string(key) + "' of " + entity_id() + " has " +
                                std::to_string(parts.size()) + " parts, expected " +
                                std::to_string(indexes.size()));
  }
  std::vector<SqlValue> values;
  for (size_t i = 0; i < parts.size(); ++i) {
    if (schema_.fields()[indexes[i]].type == FieldType::kInteger) {
      int64_t number = 0;
      const auto [end, ec] =
          std::from_chars(parts[i].data(), parts[i].data() + parts[i].size(), number);
      if (ec != std::errc() || end != parts[i].data() + parts[i].size()) {
        return InvalidArgumentError("key part '" + parts[i] + "' of " + entity_id() +
                                    " is not an integer");
      }
      values.emplace_back(number);
    } else {
      values.emplace_back(parts[i]);
    }
  }
  return values;
}

}  // namespace erpsync::agent
