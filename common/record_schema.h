// RecordSchema: the shape of one entity's records (field names, types,
// scales, key fields), shared by the agent's mapping engine, the wire
// encoding and the server's store. Value type; immutable after Finalize.
#ifndef ERPSYNC_COMMON_RECORD_SCHEMA_H_
#define ERPSYNC_COMMON_RECORD_SCHEMA_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace erpsync {

// Numbers equal the proto's FieldSpec.Type numbers.
enum class FieldType : uint8_t {
  kText = 1,
  kInteger = 2,
  kDecimal = 3,
  kMoney = 4,
  kDate = 5,
  kBoolean = 6,
  kTimestamp = 7,
};

// "TEXT", "INTEGER", ... as written in mapping files.
std::string_view FieldTypeName(FieldType type);
// True for types carried as a 64-bit integer on the wire (all but TEXT and
// BOOLEAN).
bool IsIntegerEncoded(FieldType type);
// MONEY defaults to scale 2.
inline constexpr uint32_t kDefaultMoneyScale = 2;
// Whether `name` is a valid entity id or field name: lower_snake_case (a-z,
// 0-9, _; starting with a letter), at most 64 characters. Ids name files,
// tables and URLs: nothing else is taken.
bool IsSchemaIdentifier(std::string_view name);
// The scale of a field of `type` declared with `declared_scale`: the one
// place that says what a scale means. MONEY's unset (0) scale is
// kDefaultMoneyScale (the wire cannot tell unset from 0, so a MONEY field
// always has a scale; whole-unit amounts are DECIMAL with scale 0); every
// other type keeps its declared scale (0 unless DECIMAL).
uint32_t FieldScale(FieldType type, uint32_t declared_scale);

struct FieldDef {
  std::string name;
  FieldType type = FieldType::kText;
  // Digits after the point for kDecimal and kMoney; 0 otherwise. As
  // declared; RecordSchema::Finalize sets FieldScale() of it.
  uint32_t scale = 0;
};

// "TEXT", "INTEGER", ..., with the scale of decimals: "MONEY scale 2".
std::string FieldTypeText(const FieldDef& field);

class RecordSchema {
 public:
  RecordSchema() = default;
  RecordSchema(std::string entity_id, std::string display_name, std::string module,
               std::vector<FieldDef> fields, std::vector<std::string> key_fields);

  // Checks names (IsSchemaIdentifier, unique), types, scales and that every
  // key field exists; sets each field's scale to FieldScale() of it (MONEY
  // without a scale: 2); computes the fingerprint and key indexes.
  // INVALID_ARGUMENT naming the offending field otherwise.
  Status Finalize();

  const std::string& entity_id() const { return entity_id_; }
  const std::string& display_name() const { return display_name_; }
  const std::string& module() const { return module_; }
  const std::vector<FieldDef>& fields() const { return fields_; }
  const std::vector<std::string>& key_fields() const { return key_fields_; }
  // Positions in fields() of the key fields, in key order (after Finalize).
  const std::vector<size_t>& key_indexes() const { return key_indexes_; }
  // XXH3-64 (seed 0) over, for each field in order, its name's UTF-8 bytes,
  // a zero byte, the type number as one byte, a zero byte, the scale (after
  // FieldScale) as one byte, a zero byte; seeds content hashes (after
  // Finalize). Entity id, display name, module and key fields are not in it.
  uint64_t fingerprint() const { return fingerprint_; }
  // Index of the field called `name`, or -1.
  int FieldIndex(std::string_view name) const;

  friend bool operator==(const RecordSchema& a, const RecordSchema& b);

 private:
  std::string entity_id_;
  std::string display_name_;
  std::string module_;
  std::vector<FieldDef> fields_;
  std::vector<std::string> key_fields_;
  std::vector<size_t> key_indexes_;
  uint64_t fingerprint_ = 0;
};

// The schema-change rule: OK when `next` may follow `earlier` as the schema
// of the same entity, i.e. every field name the two share has the same type
// and scale in both (fields may be added or removed freely: records keep
// the schema they were written with and are read by field name).
// FAILED_PRECONDITION naming the field and both types otherwise: "schema of
// entity 'job' changes field 'amount' from TEXT to INTEGER; ...". Both
// schemas finalized.
Status CheckSchemaChange(const RecordSchema& earlier, const RecordSchema& next);

}  // namespace erpsync

#endif  // ERPSYNC_COMMON_RECORD_SCHEMA_H_
