// Conversion between RecordSchema and the wire's erpsync.v1.EntitySchema.
#ifndef ERPSYNC_COMMON_SCHEMA_PROTO_H_
#define ERPSYNC_COMMON_SCHEMA_PROTO_H_

#include "common/record_schema.h"
#include "common/status.h"
#include "erpsync/v1/schema.pb.h"

namespace erpsync {

void SchemaToProto(const RecordSchema& schema, v1::EntitySchema* proto);

// A finalized schema (so a MONEY field without a scale has scale 2, see
// FieldScale); INVALID_ARGUMENT when the proto is not a valid schema.
Result<RecordSchema> SchemaFromProto(const v1::EntitySchema& proto);

}  // namespace erpsync

#endif  // ERPSYNC_COMMON_SCHEMA_PROTO_H_
