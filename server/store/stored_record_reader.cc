#include "server/store/stored_record_reader.h"

#include <string>
#include <utility>

namespace erpsync::server {

StoredRecordReader::StoredRecordReader(RecordStore* store, const EntityState& entity)
    : store_(store), current_id_(entity.schema_id), current_(entity.schema) {}

Result<const StoredRecordReader::Mapping*> StoredRecordReader::MappingFor(int64_t schema_id) {
  auto it = mappings_.find(schema_id);
  if (it != mappings_.end()) return &it->second;
  Mapping mapping;
  if (schema_id == current_id_) {
    mapping.written = current_;
  } else {
    ERPSYNC_ASSIGN_OR_RETURN(mapping.written, store_->GetSchema(schema_id));
  }
  mapping.source.reserve(current_.fields().size());
  for (const FieldDef& field : current_.fields()) {
    int index = mapping.written.FieldIndex(field.name);
    if (index >= 0) {
      const FieldDef& written = mapping.written.fields()[static_cast<size_t>(index)];
      if (written.type != field.type || written.scale != field.scale) index = -1;
    }
    mapping.source.push_back(index);
  }
  return &mappings_.emplace(schema_id, std::move(mapping)).first->second;
}

Status StoredRecordReader::Read(const StoredRecord& record, std::vector<FieldValue>* values) {
  values->assign(current_.fields().size(), FieldValue());
  if (record.values.empty()) return Status::Ok();
  ERPSYNC_ASSIGN_OR_RETURN(const Mapping* mapping, MappingFor(record.schema_id));
  const Status decoded = DecodeRecord(mapping->written, record.values, &written_values_);
  if (!decoded.ok()) {
    return InternalError("stored record '" + record.key + "' of entity '" + current_.entity_id() +
                         "' does not decode with its schema " + std::to_string(record.schema_id) +
                         ": " + decoded.message());
  }
  for (size_t i = 0; i < mapping->source.size(); ++i) {
    const int source = mapping->source[i];
    if (source >= 0) (*values)[i] = std::move(written_values_[static_cast<size_t>(source)]);
  }
  return Status::Ok();
}

}  // namespace erpsync::server
