#include "server/sync/sync_stream_handler.h"

#include <xxhash.h>

#include <algorithm>
#include <string>

#include "common/packed_records.h"
#include "common/record_codec.h"
#include "common/schema_proto.h"
#include "common/text_encoding.h"

namespace erpsync::server {
namespace {

// Records read (and deletions written) per step when a census closes.
constexpr int kCensusPage = 5000;

Status OutOfOrder(const std::string& what) {
  return InvalidArgumentError("sync protocol: " + what);
}

}  // namespace

const SyncMetrics SyncStreamHandler::kNoMetrics;

Result<v1::SyncResponse> SyncStreamHandler::Handle(const v1::SyncRequest& request) {
  if (ended_) return OutOfOrder("message after SyncEnd");
  if (request.message_case() != v1::SyncRequest::kStart && !started_) {
    return OutOfOrder("the first message must be SyncStart");
  }
  switch (request.message_case()) {
    case v1::SyncRequest::kStart: {
      if (started_) return OutOfOrder("SyncStart sent twice");
      started_ = true;
      totals_.run_id = request.start().run_id();
      v1::SyncResponse response;
      response.mutable_started();
      return response;
    }
    case v1::SyncRequest::kEntityStart:
      return OnEntityStart(request.entity_start());
    case v1::SyncRequest::kBatch: {
      const Status prepared = PrepareBatch(request.batch(), &batch_);
      Result<v1::SyncResponse> stored = prepared.ok() ? StoreBatch(batch_) : prepared;
      batch_.reservation.Reset();
      return stored;
    }
    case v1::SyncRequest::kEntityEnd:
      return OnEntityEnd(request.entity_end());
    case v1::SyncRequest::kEnd: {
      if (entity_open_) {
        return OutOfOrder("SyncEnd while entity '" + entity_.entity_id + "' is open");
      }
      ended_ = true;
      v1::SyncResponse response;
      response.mutable_ended();
      return response;
    }
    case v1::SyncRequest::MESSAGE_NOT_SET:
      break;
  }
  return InvalidArgumentError("sync protocol: empty SyncRequest");
}

Result<v1::SyncResponse> SyncStreamHandler::OnEntityStart(const v1::EntityStart& start) {
  if (entity_open_) {
    return OutOfOrder("EntityStart for '" + start.schema().entity_id() + "' while '" +
                      entity_.entity_id + "' is open");
  }
  if (start.census() && start.full_pass()) {
    return InvalidArgumentError("EntityStart: census and full_pass exclude each other");
  }
  Result<RecordSchema> schema = SchemaFromProto(start.schema());
  if (!schema.ok()) return schema.status().WithContext("EntityStart");
  ERPSYNC_ASSIGN_OR_RETURN(entity_, records_->OpenEntity(agent_.connection_id, *schema));
  full_pass_ = start.full_pass();
  if (full_pass_) {
    if (start.resume_generation() != 0) {
      pass_generation_ = start.resume_generation();
    } else {
      ERPSYNC_ASSIGN_OR_RETURN(pass_generation_, records_->BeginPass(entity_.id));
    }
    // This stream owns the pass from now on: a stream that had it before
    // (the agent's previous connection, maybe to another server) can no
    // longer write into it. FAILED_PRECONDITION when the pass resumed is no
    // longer open.
    ERPSYNC_ASSIGN_OR_RETURN(pass_epoch_, records_->TakePass(entity_.id, pass_generation_));
  } else {
    pass_generation_ = 0;
    pass_epoch_ = 0;
  }
  census_ = start.census();
  census_keys_.clear();
  entity_open_ = true;
  ++totals_.entities;
  v1::SyncResponse response;
  v1::EntityStarted* started = response.mutable_entity_started();
  started->set_entity_id(entity_.entity_id);
  started->set_generation(full_pass_ ? pass_generation_ : entity_.generation);
  return response;
}

Status SyncStreamHandler::PrepareBatch(const v1::RecordBatch& batch, PreparedBatch* prepared) {
  if (ended_) return OutOfOrder("message after SyncEnd");
  if (!started_) return OutOfOrder("the first message must be SyncStart");
  if (!entity_open_) return OutOfOrder("RecordBatch without EntityStart");
  if (batch.entity_id() != entity_.entity_id) {
    return OutOfOrder("RecordBatch for '" + batch.entity_id() + "' while '" + entity_.entity_id +
                      "' is open");
  }
  if (batch.sequence() != next_sequence_) {
    return OutOfOrder("RecordBatch sequence " + std::to_string(batch.sequence()) + ", expected " +
                      std::to_string(next_sequence_));
  }
  ++next_sequence_;
  metrics_->BatchReceived(agent_.company_name, entity_.entity_id, batch.ByteSizeLong());
  prepared->sequence = batch.sequence();
  prepared->census = census_;
  prepared->records.clear();
  prepared->kept.clear();
  if (census_ && (batch.records_size() > 0 || batch.packed_count() > 0 ||
                  !batch.packed_records().empty() || batch.kept_keys_size() > 0)) {
    return OutOfOrder("a census batch carries present_keys, not records");
  }
  if (!census_ && batch.present_keys_size() > 0) return OutOfOrder("present_keys outside a census");
  const size_t count = census_ ? static_cast<size_t>(batch.present_keys_size())
                     : batch.records_size() > 0 ? static_cast<size_t>(batch.records_size())
                                                : batch.packed_count();
  if (count > limits_.max_batch_records) {
    return InvalidArgumentError("RecordBatch " + std::to_string(batch.sequence()) + " holds " +
                                std::to_string(count) + " records, more than the server's limit of " +
                                std::to_string(limits_.max_batch_records) + " (max_batch_records)");
  }
  if (census_) {
    for (const std::string& key : batch.present_keys()) {
      ERPSYNC_RETURN_IF_ERROR(CheckKey(key, "a census batch"));
      census_keys_.push_back(XXH3_64bits(key.data(), key.size()));
    }
    return Status::Ok();
  }
  for (const std::string& key : batch.kept_keys()) {
    ERPSYNC_RETURN_IF_ERROR(CheckKey(key, "kept_keys"));
    prepared->kept.push_back(key);
  }
  const bool packed = batch.packed_count() > 0 || !batch.packed_records().empty();
  if (packed && batch.records_size() > 0) {
    return InvalidArgumentError("RecordBatch carries both records and packed_records");
  }
  // The records refer to the bytes of `batch` or of the prepared batch's
  // decompressed buffer; no record is copied.
  std::vector<IncomingRecord>& incoming = prepared->records;
  const bool compressed = batch.packed_codec() == v1::PACKED_CODEC_ZSTD;
  if (packed && batch.packed_codec() != v1::PACKED_CODEC_NONE && !compressed) {
    return InvalidArgumentError("RecordBatch: unknown packed_codec " +
                                std::to_string(batch.packed_codec()));
  }
  // The batch's records in memory: checked, then reserved before anything
  // is decompressed.
  size_t records_bytes = 0;
  if (packed) {
    ERPSYNC_ASSIGN_OR_RETURN(records_bytes, PackedRecordReader::DecompressedSize(
                                                batch.packed_records(), compressed));
  } else {
    for (const v1::Record& record : batch.records()) {
      records_bytes += record.key().size() + record.values().size();
    }
  }
  if (records_bytes > limits_.max_batch_bytes) {
    return InvalidArgumentError("RecordBatch " + std::to_string(batch.sequence()) + ": " +
                                std::to_string(records_bytes) +
                                " bytes of records, more than the server's limit of " +
                                std::to_string(limits_.max_batch_bytes) + " (max_batch_bytes)");
  }
  if (budget_ != nullptr) {
    const size_t in_memory = batch.packed_records().size() + records_bytes;
    ERPSYNC_ASSIGN_OR_RETURN(prepared->reservation, budget_->Acquire(in_memory));
  }
  if (packed) {
    PackedRecordReader& reader = prepared->reader;
    ERPSYNC_RETURN_IF_ERROR(reader.Open(batch.packed_records(), compressed, batch.packed_count(),
                                        limits_.max_batch_bytes));
    incoming.resize(batch.packed_count());
    PackedRecord record;
    for (IncomingRecord& in : incoming) {
      reader.Next(&record);
      in.key = record.key;
      in.deleted = record.deleted;
      in.values = record.values;
    }
  } else {
    incoming.resize(static_cast<size_t>(batch.records_size()));
    for (int i = 0; i < batch.records_size(); ++i) {
      const v1::Record& record = batch.records(i);
      IncomingRecord& in = incoming[static_cast<size_t>(i)];
      in.key = record.key();
      in.deleted = record.deleted();
      in.values = record.values();
    }
  }
  for (IncomingRecord& in : incoming) {
    ERPSYNC_RETURN_IF_ERROR(CheckKey(in.key, "record"));
    if (in.key.size() + in.values.size() > limits_.max_record_bytes) {
      return InvalidArgumentError("record '" + std::string(in.key.substr(0, 200)) + "': " +
                                  std::to_string(in.key.size() + in.values.size()) +
                                  " bytes, more than the server's limit of " +
                                  std::to_string(limits_.max_record_bytes) +
                                  " (max_record_bytes)");
    }
    if (in.deleted) {
      if (!in.values.empty()) {
        return InvalidArgumentError("record '" + std::string(in.key) +
                                    "': a deleted record carries no values");
      }
      in.content_hash = 0;
      continue;
    }
    const Status valid = ValidateRecord(entity_.schema, in.values);
    if (!valid.ok()) return valid.WithContext("record '" + std::string(in.key) + "'");
    in.content_hash = ContentHash(entity_.schema, in.values);
  }
  return Status::Ok();
}

Result<v1::SyncResponse> SyncStreamHandler::StoreBatch(const PreparedBatch& prepared) {
  v1::SyncResponse response;
  v1::BatchAck* ack = response.mutable_batch_ack();
  ack->set_sequence(prepared.sequence);
  if (prepared.census) return response;
  ERPSYNC_ASSIGN_OR_RETURN(
      const ApplyCounts counts,
      records_->ApplyBatch(entity_.id, entity_.schema_id, prepared.records, prepared.kept,
                           pass_epoch_));
  ack->set_kept(counts.kept);
  ack->set_inserted(counts.inserted);
  ack->set_updated(counts.updated);
  ack->set_unchanged(counts.unchanged);
  ack->set_deleted(counts.deleted);
  metrics_->BatchStored(agent_.company_name, entity_.entity_id, prepared.records.size(), counts);
  totals_.records += prepared.records.size();
  totals_.inserted += counts.inserted;
  totals_.updated += counts.updated;
  totals_.deleted += counts.deleted;
  return response;
}

Result<v1::SyncResponse> SyncStreamHandler::OnEntityEnd(const v1::EntityEnd& end) {
  if (!entity_open_ || end.entity_id() != entity_.entity_id) {
    return OutOfOrder("EntityEnd for '" + end.entity_id() + "' which is not open");
  }
  entity_open_ = false;
  uint64_t deleted_by_pass = 0;
  if (full_pass_ && end.complete()) {
    ERPSYNC_ASSIGN_OR_RETURN(deleted_by_pass, records_->ClosePass(entity_.id, pass_generation_, pass_epoch_));
  } else if (census_ && end.complete()) {
    ERPSYNC_ASSIGN_OR_RETURN(deleted_by_pass, CloseCensus());
  }
  totals_.deleted += deleted_by_pass;
  if (deleted_by_pass > 0) {
    metrics_->DeletedByPass(agent_.company_name, entity_.entity_id, deleted_by_pass);
  }
  census_keys_.clear();
  census_keys_.shrink_to_fit();
  ERPSYNC_ASSIGN_OR_RETURN(const EntityState state,
                           records_->GetEntity(agent_.connection_id, entity_.entity_id));
  v1::SyncResponse response;
  v1::EntityEnded* ended = response.mutable_entity_ended();
  ended->set_entity_id(entity_.entity_id);
  ended->set_deleted_by_pass(deleted_by_pass);
  ended->set_record_count(state.live_count);
  ended->set_checksum(state.checksum);
  return response;
}

Status SyncStreamHandler::CheckKey(std::string_view key, const char* what) const {
  if (key.empty()) {
    return InvalidArgumentError(std::string(what) + " of entity '" + entity_.entity_id +
                                "' has an empty key");
  }
  if (!IsValidUtf8(key)) {
    return InvalidArgumentError(std::string(what) + " of entity '" + entity_.entity_id +
                                "' has a key that is not valid UTF-8: '" + Utf8OrReplaced(key) +
                                "'");
  }
  return Status::Ok();
}

Result<uint64_t> SyncStreamHandler::CloseCensus() {
  std::sort(census_keys_.begin(), census_keys_.end());
  std::vector<std::string> absent;
  std::string after;
  while (true) {
    ERPSYNC_ASSIGN_OR_RETURN(const RecordPage page,
                             records_->ListRecords(entity_.id, after, kCensusPage, false));
    for (const StoredRecord& record : page.records) {
      const uint64_t hash = XXH3_64bits(record.key.data(), record.key.size());
      if (!std::binary_search(census_keys_.begin(), census_keys_.end(), hash)) {
        absent.push_back(record.key);
      }
    }
    if (page.next_after_key.empty()) break;
    after = page.next_after_key;
  }
  for (size_t start = 0; start < absent.size(); start += kCensusPage) {
    deletions_.clear();
    for (size_t i = start; i < std::min(absent.size(), start + kCensusPage); ++i) {
      IncomingRecord& record = deletions_.emplace_back();
      record.key = absent[i];
      record.deleted = true;
    }
    ERPSYNC_RETURN_IF_ERROR(
        records_->ApplyBatch(entity_.id, entity_.schema_id, deletions_).status());
  }
  return absent.size();
}

}  // namespace erpsync::server
