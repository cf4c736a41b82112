#include "common/schema_proto.h"

namespace erpsync {

void SchemaToProto(const RecordSchema& schema, v1::EntitySchema* proto) {
  proto->Clear();
  proto->set_entity_id(schema.entity_id());
  proto->set_display_name(schema.display_name());
  proto->set_module(schema.module());
  for (const FieldDef& field : schema.fields()) {
    v1::FieldSpec* spec = proto->add_fields();
    spec->set_name(field.name);
    spec->set_type(static_cast<v1::FieldSpec::Type>(field.type));
    spec->set_scale(field.scale);
  }
  for (const std::string& key : schema.key_fields()) proto->add_key_fields(key);
}

Result<RecordSchema> SchemaFromProto(const v1::EntitySchema& proto) {
  std::vector<FieldDef> fields;
  fields.reserve(static_cast<size_t>(proto.fields_size()));
  for (const v1::FieldSpec& spec : proto.fields()) {
    if (spec.type() < v1::FieldSpec::TEXT || spec.type() > v1::FieldSpec::TIMESTAMP) {
      return InvalidArgumentError("field '" + spec.name() + "' of entity '" + proto.entity_id() +
                                  "' has an unknown type " + std::to_string(spec.type()));
    }
    fields.push_back(FieldDef{spec.name(), static_cast<FieldType>(spec.type()), spec.scale()});
  }
  RecordSchema schema(proto.entity_id(), proto.display_name(), proto.module(), std::move(fields),
                      {proto.key_fields().begin(), proto.key_fields().end()});
  ERPSYNC_RETURN_IF_ERROR(schema.Finalize());
  return schema;
}

}  // namespace erpsync
