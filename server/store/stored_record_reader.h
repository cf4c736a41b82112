// StoredRecordReader: reads the stored records of one entity in its current
// schema, whatever schema each was written with (ARCHITECTURE.md, Schema
// changes). Values come in the current schema's field order, matched by
// field name: a field the record's schema lacks is null. Since the store
// refuses a schema that changes a field's type (RecordStore::OpenEntity),
// a matched field has the same type and scale in both; a field whose type
// differs anyway (data stored before that rule) is null too, never a value
// that contradicts the schema. Keeps the schemas it has read; one instance
// per listing or scan. Thread-compatible.
#ifndef ERPSYNC_SERVER_STORE_STORED_RECORD_READER_H_
#define ERPSYNC_SERVER_STORE_STORED_RECORD_READER_H_

#include <cstdint>
#include <map>
#include <vector>

#include "common/record_codec.h"
#include "common/record_schema.h"
#include "common/status.h"
#include "server/store/record_store.h"
#include "server/store/store_types.h"

namespace erpsync::server {

class StoredRecordReader {
 public:
  // `store` must outlive the reader; `entity` as the store returned it.
  StoredRecordReader(RecordStore* store, const EntityState& entity);

  // The entity's current schema, which Read's values follow.
  const RecordSchema& schema() const { return current_; }

  // Sets `*values` to the record's values, one per field of schema(). A
  // record without values (marked deleted before its values were known)
  // reads as all null. INTERNAL when its bytes do not decode with the schema
  // they were written with or that schema is missing; what
  // RecordStore::GetSchema returns otherwise.
  Status Read(const StoredRecord& record, std::vector<FieldValue>* values);

 private:
  // How the fields of one written schema land in the current one.
  struct Mapping {
    RecordSchema written;
    // For each field of the current schema, its index in `written`, or -1
    // (absent or of another type: null).
    std::vector<int> source;
  };

  Result<const Mapping*> MappingFor(int64_t schema_id);

  RecordStore* store_;
  int64_t current_id_;
  RecordSchema current_;
  std::map<int64_t, Mapping> mappings_;
  std::vector<FieldValue> written_values_;
};

}  // namespace erpsync::server

#endif  // ERPSYNC_SERVER_STORE_STORED_RECORD_READER_H_
