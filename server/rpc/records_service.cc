#include "server/rpc/records_service.h"

#include <map>

#include "common/civil_time.h"
#include "common/decimal.h"
#include "common/grpc/grpc_util.h"
#include "common/record_codec.h"
#include "common/schema_proto.h"
#include "common/text_encoding.h"

namespace erpsync::server {
namespace {

constexpr uint32_t kDefaultPageSize = 100;
constexpr uint32_t kMaxPageSize = 5000;

void ToProtoValue(const FieldDef& field, const FieldValue& value, v1::Value* out) {
  if (std::holds_alternative<std::monostate>(value)) return;
  switch (field.type) {
    // Records are checked for UTF-8 as they arrive; a record stored before
    // that check still reads.
    case FieldType::kText: out->set_text(Utf8OrReplaced(std::get<std::string>(value))); return;
    case FieldType::kBoolean: out->set_boolean(std::get<bool>(value)); return;
    case FieldType::kInteger: out->set_integer(std::get<int64_t>(value)); return;
    case FieldType::kDecimal:
    case FieldType::kMoney: out->set_decimal(FormatDecimal(std::get<int64_t>(value), field.scale)); return;
    case FieldType::kDate: out->set_date(FormatDate(std::get<int64_t>(value))); return;
    case FieldType::kTimestamp: out->set_timestamp(FormatTimestamp(std::get<int64_t>(value))); return;
  }
}

}  // namespace

Result<Connection> RecordsService::ResolveConnection(const grpc::ServerContext& context,
                                                     const std::string& name) {
  ERPSYNC_ASSIGN_OR_RETURN(const Principal user,
                           auth_->AuthenticateUser(BearerTokenOf(context), ToolLevel::kReadOnly));
  return directory_->ResolveConnection(user.company_id, user.company_name, name);
}

grpc::Status RecordsService::ListEntities(grpc::ServerContext* context,
                                          const v1::ListEntitiesRequest* request,
                                          v1::ListEntitiesResponse* response) {
  return GuardedHandler("ListEntities", [&]() -> Status {
    ERPSYNC_ASSIGN_OR_RETURN(const Connection connection,
                             ResolveConnection(*context, request->connection()));
    ERPSYNC_ASSIGN_OR_RETURN(const std::vector<EntityState> entities,
                             records_->ListEntities(connection.id));
    response->set_connection(connection.name);
    for (const EntityState& entity : entities) {
      v1::EntitySummary* summary = response->add_entities();
      SchemaToProto(entity.schema, summary->mutable_schema());
      summary->set_record_count(entity.live_count);
      summary->set_deleted_count(entity.deleted_count);
      summary->set_checksum(entity.checksum);
      summary->set_last_synced_unix(entity.last_synced_unix);
    }
    return Status::Ok();
  });
}

grpc::Status RecordsService::ListRecords(grpc::ServerContext* context,
                                         const v1::ListRecordsRequest* request,
                                         v1::ListRecordsResponse* response) {
  return GuardedHandler("ListRecords", [&]() -> Status {
    if (request->page_size() > kMaxPageSize) {
      return InvalidArgumentError("page_size " + std::to_string(request->page_size()) +
                                  " exceeds " + std::to_string(kMaxPageSize));
    }
    const uint32_t page_size = request->page_size() == 0 ? kDefaultPageSize : request->page_size();
    ERPSYNC_ASSIGN_OR_RETURN(const Connection connection,
                             ResolveConnection(*context, request->connection()));
    ERPSYNC_ASSIGN_OR_RETURN(const EntityState entity,
                             records_->GetEntity(connection.id, request->entity_id()));
    ERPSYNC_ASSIGN_OR_RETURN(
        const RecordPage page,
        records_->ListRecords(entity.id, request->page_token(), static_cast<int>(page_size),
                              request->include_deleted()));
    SchemaToProto(entity.schema, response->mutable_schema());
    std::map<int64_t, RecordSchema> schemas{{entity.schema_id, entity.schema}};
    std::vector<FieldValue> values;
    for (const StoredRecord& stored : page.records) {
      v1::MirroredRecord* record = response->add_records();
      record->set_key(Utf8OrReplaced(stored.key));
      record->set_deleted(stored.deleted);
      record->set_content_hash(stored.content_hash);
      record->set_updated_unix(stored.updated_unix);
      if (stored.values.empty()) continue;
      auto it = schemas.find(stored.schema_id);
      if (it == schemas.end()) {
        ERPSYNC_ASSIGN_OR_RETURN(RecordSchema schema, records_->GetSchema(stored.schema_id));
        it = schemas.emplace(stored.schema_id, std::move(schema)).first;
      }
      // Records written with an older schema are returned in the current
      // schema's field order; fields the old schema lacks are null.
      ERPSYNC_RETURN_IF_ERROR(DecodeRecord(it->second, stored.values, &values));
      for (const FieldDef& field : entity.schema.fields()) {
        v1::Value* value = record->add_values();
        const int index = it->second.FieldIndex(field.name);
        if (index >= 0) ToProtoValue(it->second.fields()[static_cast<size_t>(index)],
                                     values[static_cast<size_t>(index)], value);
      }
    }
    response->set_next_page_token(page.next_after_key);
    return Status::Ok();
  });
}

grpc::Status RecordsService::GetEntityChecksum(grpc::ServerContext* context,
                                               const v1::GetEntityChecksumRequest* request,
                                               v1::EntityChecksum* response) {
  return GuardedHandler("GetEntityChecksum", [&]() -> Status {
    ERPSYNC_ASSIGN_OR_RETURN(const Connection connection,
                             ResolveConnection(*context, request->connection()));
    ERPSYNC_ASSIGN_OR_RETURN(const EntityState entity,
                             records_->GetEntity(connection.id, request->entity_id()));
    response->set_entity_id(entity.entity_id);
    response->set_record_count(entity.live_count);
    response->set_checksum(entity.checksum);
    return Status::Ok();
  });
}

}  // namespace erpsync::server
