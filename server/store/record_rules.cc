#include "server/store/record_rules.h"

#include <string>

#include "common/schema_proto.h"
#include "erpsync/v1/schema.pb.h"
#include "server/store/record_store.h"

namespace erpsync::server::store_internal {

Status EntityNotFoundError(int64_t entity_row_id) {
  return NotFoundError("entity " + std::to_string(entity_row_id) + " does not exist");
}

Result<SchemaToStore> PrepareSchema(const RecordSchema& schema) {
  SchemaToStore prepared{schema, {}};
  ERPSYNC_RETURN_IF_ERROR(prepared.schema.Finalize());
  v1::EntitySchema proto;
  SchemaToProto(prepared.schema, &proto);
  if (!proto.SerializeToString(&prepared.definition)) {
    return InternalError("cannot serialize the schema of entity '" +
                         prepared.schema.entity_id() + "'");
  }
  return prepared;
}

Result<RecordSchema> ParseStoredSchema(int64_t schema_id, std::string_view definition) {
  v1::EntitySchema proto;
  if (!proto.ParseFromArray(definition.data(), static_cast<int>(definition.size()))) {
    return InternalError("stored schema " + std::to_string(schema_id) + " is unreadable");
  }
  Result<RecordSchema> schema = SchemaFromProto(proto);
  if (!schema.ok()) {
    return InternalError("stored schema " + std::to_string(schema_id) +
                         " is invalid: " + schema.status().message());
  }
  return schema;
}

Status CheckAgainstStoredSchema(int64_t schema_id, std::string_view definition,
                                const RecordSchema& next) {
  ERPSYNC_ASSIGN_OR_RETURN(const RecordSchema earlier, ParseStoredSchema(schema_id, definition));
  return CheckSchemaChange(earlier, next);
}

Status CheckPassOpen(const std::string& entity_id, uint64_t open_pass, uint64_t generation) {
  if (generation == 0 || generation != open_pass) {
    return FailedPreconditionError("pass " + std::to_string(generation) + " of " + entity_id +
                                   " is no longer open; start a new deep sync");
  }
  return Status::Ok();
}

Status CheckPassOwner(const std::string& entity_id, uint64_t open_pass, uint64_t current_epoch,
                      uint64_t pass_epoch) {
  if (pass_epoch == 0 || pass_epoch == current_epoch) return Status::Ok();
  return AbortedError("pass " + std::to_string(open_pass) + " of " + entity_id +
                      " was taken over by another stream (epoch " + std::to_string(pass_epoch) +
                      ", now " + std::to_string(current_epoch) + ")");
}

Status CheckBatchKeys(int64_t entity_row_id, const std::vector<IncomingRecord>& records,
                      const std::vector<std::string_view>& kept) {
  for (size_t i = 0; i < records.size(); ++i) {
    if (records[i].key.empty()) {
      return InvalidArgumentError("record " + std::to_string(i) + " of the batch for entity " +
                                  std::to_string(entity_row_id) + " has an empty key");
    }
  }
  for (const std::string_view key : kept) {
    if (key.empty()) {
      return InvalidArgumentError("a kept key of the batch for entity " +
                                  std::to_string(entity_row_id) + " is empty");
    }
  }
  return Status::Ok();
}

Status CheckPageSize(int limit) {
  if (limit < 1 || limit > RecordStore::kMaxPageSize) {
    return InvalidArgumentError("page size must be 1.." +
                                std::to_string(RecordStore::kMaxPageSize) + ", not " +
                                std::to_string(limit));
  }
  return Status::Ok();
}

RecordChange ChangeOf(const std::optional<StoredRecordState>& stored, const IncomingRecord& record,
                      uint64_t generation) {
  if (record.deleted) {
    return stored && !stored->deleted ? RecordChange::kMarkDeleted : RecordChange::kUnchanged;
  }
  if (!stored) return RecordChange::kInsert;
  if (stored->deleted) return RecordChange::kRevive;
  if (stored->hash != record.content_hash) return RecordChange::kUpdate;
  return stored->generation < generation ? RecordChange::kRestamp : RecordChange::kUnchanged;
}

std::optional<StoredRecordState> StateAfter(const std::optional<StoredRecordState>& stored,
                                            RecordChange change, const IncomingRecord& record,
                                            uint64_t generation) {
  switch (change) {
    case RecordChange::kInsert:
    case RecordChange::kRevive:
    case RecordChange::kUpdate:
      return StoredRecordState{record.content_hash, generation, false};
    case RecordChange::kRestamp:
      return StoredRecordState{stored->hash, generation, false};
    case RecordChange::kMarkDeleted:
      return StoredRecordState{stored->hash, stored->generation, true};
    case RecordChange::kUnchanged:
      break;
  }
  return stored;
}

void BatchTally::Count(RecordChange change, std::string_view key, uint64_t new_hash,
                       uint64_t stored_hash) {
  switch (change) {
    case RecordChange::kInsert:
      ++counts_.inserted;
      ++live_count_delta_;
      checksum_delta_ += ChecksumTerm(key, new_hash);
      break;
    case RecordChange::kRevive:
      ++counts_.inserted;
      ++live_count_delta_;
      --deleted_count_delta_;
      checksum_delta_ += ChecksumTerm(key, new_hash);
      break;
    case RecordChange::kUpdate:
      ++counts_.updated;
      checksum_delta_ += ChecksumTerm(key, new_hash);
      checksum_delta_ -= ChecksumTerm(key, stored_hash);
      break;
    case RecordChange::kRestamp:
      ++counts_.unchanged;
      break;
    case RecordChange::kUnchanged:
      ++counts_.unchanged;
      return;  // nothing written
    case RecordChange::kMarkDeleted:
      ++counts_.deleted;
      --live_count_delta_;
      ++deleted_count_delta_;
      checksum_delta_ -= ChecksumTerm(key, stored_hash);
      break;
  }
  written_ = true;
}

void BatchTally::CountKept() {
  ++counts_.kept;
  written_ = true;
}

EntityFigures BatchTally::FiguresAfter(const EntityFigures& before) const {
  return {before.live_count + static_cast<uint64_t>(live_count_delta_),
          before.deleted_count + static_cast<uint64_t>(deleted_count_delta_),
          before.checksum + checksum_delta_};
}

}  // namespace erpsync::server::store_internal
