#include "server/rpc/records_service.h"

#include <string>
#include <vector>

#include "common/civil_time.h"
#include "common/decimal.h"
#include "common/grpc/grpc_util.h"
#include "common/page_token.h"
#include "common/record_codec.h"
#include "common/schema_proto.h"
#include "common/text_encoding.h"
#include "server/store/stored_record_reader.h"

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
    PageToken tokens("records");
    tokens.Bind(connection.company_id).Bind(connection.id).Bind(entity.id);
    tokens.Bind(int64_t{request->include_deleted() ? 1 : 0});
    if (!request->page_token().empty() && !request->start_after_key().empty()) {
      return InvalidArgumentError(
          "start_after_key: only for the first page; a page_token already says where to go on");
    }
    ERPSYNC_ASSIGN_OR_RETURN(std::string after_key, tokens.Decode(request->page_token()));
    if (after_key.empty()) after_key = request->start_after_key();
    ERPSYNC_ASSIGN_OR_RETURN(const RecordPage page,
                             records_->ListRecords(entity.id, after_key, static_cast<int>(page_size),
                                                   request->include_deleted()));
    StoredRecordReader reader(records_, entity);
    SchemaToProto(reader.schema(), response->mutable_schema());
    std::vector<FieldValue> values;
    for (const StoredRecord& stored : page.records) {
      v1::MirroredRecord* record = response->add_records();
      record->set_key(Utf8OrReplaced(stored.key));
      record->set_deleted(stored.deleted);
      record->set_content_hash(stored.content_hash);
      record->set_updated_unix(stored.updated_unix);
      if (stored.values.empty()) continue;
      ERPSYNC_RETURN_IF_ERROR(reader.Read(stored, &values));
      for (size_t i = 0; i < values.size(); ++i) {
        ToProtoValue(reader.schema().fields()[i], values[i], record->add_values());
      }
    }
    if (!page.next_after_key.empty()) {
      ERPSYNC_ASSIGN_OR_RETURN(*response->mutable_next_page_token(),
                               tokens.Encode(page.next_after_key));
    }
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

grpc::Status RecordsService::VerifyEntities(grpc::ServerContext* context,
                                            const v1::VerifyEntitiesRequest* request,
                                            v1::VerifyEntitiesResponse* response) {
  return GuardedHandler("VerifyEntities", [&]() -> Status {
    ERPSYNC_ASSIGN_OR_RETURN(const Principal user,
                             auth_->AuthenticateUser(BearerTokenOf(*context), ToolLevel::kAdmin));
    ERPSYNC_ASSIGN_OR_RETURN(const Connection connection,
                             directory_->ResolveConnection(user.company_id, user.company_name,
                                                           request->connection()));
    const Company company{user.company_id, user.company_name};
    ERPSYNC_ASSIGN_OR_RETURN(
        const std::vector<EntityVerification> verifications,
        verifier_.Verify(company, {connection.id, request->entity_id()},
                         [context] { return context->IsCancelled(); }));
    response->set_connection(connection.name);
    for (const EntityVerification& verification : verifications) {
      v1::EntityVerification* out = response->add_entities();
      out->set_entity_id(verification.entity_id);
      for (auto [figures, proto] : {std::pair{&verification.stored, out->mutable_stored()},
                                    std::pair{&verification.recomputed, out->mutable_recomputed()}}) {
        proto->set_record_count(figures->live_count);
        proto->set_deleted_count(figures->deleted_count);
        proto->set_checksum(figures->checksum);
      }
      out->set_agrees(verification.agrees());
    }
    return Status::Ok();
  });
}

}  // namespace erpsync::server
