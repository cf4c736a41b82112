#include "common/record_schema.h"

#include <xxhash.h>

#include <algorithm>
#include <set>

#include "common/decimal.h"

namespace erpsync {

std::string_view FieldTypeName(FieldType type) {
  switch (type) {
    case FieldType::kText: return "TEXT";
    case FieldType::kInteger: return "INTEGER";
    case FieldType::kDecimal: return "DECIMAL";
    case FieldType::kMoney: return "MONEY";
    case FieldType::kDate: return "DATE";
    case FieldType::kBoolean: return "BOOLEAN";
    case FieldType::kTimestamp: return "TIMESTAMP";
  }
  return "UNKNOWN";
}

bool IsIntegerEncoded(FieldType type) {
  return type != FieldType::kText && type != FieldType::kBoolean;
}

uint32_t FieldScale(FieldType type, uint32_t declared_scale) {
  if (type == FieldType::kMoney && declared_scale == 0) return kDefaultMoneyScale;
  return declared_scale;
}

std::string FieldTypeText(const FieldDef& field) {
  std::string text(FieldTypeName(field.type));
  if (field.type == FieldType::kDecimal || field.type == FieldType::kMoney) {
    text += " scale " + std::to_string(field.scale);
  }
  return text;
}

RecordSchema::RecordSchema(std::string entity_id, std::string display_name, std::string module,
                           std::vector<FieldDef> fields, std::vector<std::string> key_fields)
    : entity_id_(std::move(entity_id)),
      display_name_(std::move(display_name)),
      module_(std::move(module)),
      fields_(std::move(fields)),
      key_fields_(std::move(key_fields)) {}

bool IsSchemaIdentifier(std::string_view name) {
  if (name.empty() || name.size() > 64 || name[0] < 'a' || name[0] > 'z') return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
  });
}

Status RecordSchema::Finalize() {
  const std::string where = "schema of entity '" + entity_id_ + "'";
  if (entity_id_.empty()) return InvalidArgumentError("schema has no entity id");
  if (!IsSchemaIdentifier(entity_id_)) {
    return InvalidArgumentError("entity id '" + entity_id_ +
                                "' is not lower_snake_case (a-z, 0-9, _; at most 64)");
  }
  if (fields_.empty()) return InvalidArgumentError(where + " has no fields");
  std::set<std::string_view> names;
  std::string fingerprint_input;
  for (FieldDef& field : fields_) {
    if (field.name.empty()) return InvalidArgumentError(where + " has a field without a name");
    if (!IsSchemaIdentifier(field.name)) {
      return InvalidArgumentError(where + ": field name '" + field.name +
                                  "' is not lower_snake_case (a-z, 0-9, _; at most 64)");
    }
    if (!names.insert(field.name).second) {
      return InvalidArgumentError(where + " repeats field '" + field.name + "'");
    }
    const auto type_number = static_cast<uint8_t>(field.type);
    if (type_number < 1 || type_number > 7) {
      return InvalidArgumentError(where + ": field '" + field.name + "' has no valid type");
    }
    const bool decimal = field.type == FieldType::kDecimal || field.type == FieldType::kMoney;
    field.scale = FieldScale(field.type, field.scale);
    if (field.scale > kMaxDecimalScale || (!decimal && field.scale != 0)) {
      return InvalidArgumentError(where + ": field '" + field.name + "' has invalid scale " +
                                  std::to_string(field.scale));
    }
    fingerprint_input += field.name;
    fingerprint_input.push_back('\0');
    fingerprint_input.push_back(static_cast<char>(type_number));
    fingerprint_input.push_back('\0');
    fingerprint_input.push_back(static_cast<char>(field.scale));
    fingerprint_input.push_back('\0');
  }
  fingerprint_ = XXH3_64bits(fingerprint_input.data(), fingerprint_input.size());

  if (key_fields_.empty()) return InvalidArgumentError(where + " has no key fields");
  key_indexes_.clear();
  for (const std::string& key : key_fields_) {
    const int index = FieldIndex(key);
    if (index < 0) {
      return InvalidArgumentError(where + ": key field '" + key + "' is not one of its fields");
    }
    key_indexes_.push_back(static_cast<size_t>(index));
  }
  return Status::Ok();
}

int RecordSchema::FieldIndex(std::string_view name) const {
  for (size_t i = 0; i < fields_.size(); ++i) {
    if (fields_[i].name == name) return static_cast<int>(i);
  }
  return -1;
}

bool operator==(const RecordSchema& a, const RecordSchema& b) {
  if (a.entity_id_ != b.entity_id_ || a.display_name_ != b.display_name_ ||
      a.module_ != b.module_ || a.key_fields_ != b.key_fields_ ||
      a.fields_.size() != b.fields_.size()) {
    return false;
  }
  for (size_t i = 0; i < a.fields_.size(); ++i) {
    const FieldDef& x = a.fields_[i];
    const FieldDef& y = b.fields_[i];
    if (x.name != y.name || x.type != y.type || x.scale != y.scale) return false;
  }
  return true;
}

Status CheckSchemaChange(const RecordSchema& earlier, const RecordSchema& next) {
  for (const FieldDef& field : next.fields()) {
    const int index = earlier.FieldIndex(field.name);
    if (index < 0) continue;
    const FieldDef& before = earlier.fields()[static_cast<size_t>(index)];
    if (before.type == field.type && before.scale == field.scale) continue;
    return FailedPreconditionError(
        "schema of entity '" + next.entity_id() + "' changes field '" + field.name + "' from " +
        FieldTypeText(before) + " to " + FieldTypeText(field) +
        "; records keep the type they were written with, so a new type needs a new field name");
  }
  return Status::Ok();
}

}  // namespace erpsync
