#include "agent/sync/entity_sync.h"

#include <xxhash.h>

#include <algorithm>

#include "agent/mapping/row_encoder.h"
#include "agent/mapping/row_key.h"
#include "agent/sync/batch_compressor.h"
#include "common/fault_injection.h"
#include "common/packed_records.h"
#include "common/record_codec.h"

namespace erpsync::agent {
namespace {

// Bound values of an incremental position: the stamp text(s), then the key.
Result<TupleBound> PositionBound(const EntityPlan& plan, const EntityProgress& progress) {
  TupleBound bound;
  bound.columns = plan.stamp_columns();
  bound.values.emplace_back(progress.position_date);
  if (plan.stamp_columns().size() > 1) bound.values.emplace_back(progress.position_time);
  if (!progress.position_key.empty()) {
    ERPSYNC_ASSIGN_OR_RETURN(std::vector<SqlValue> key, plan.KeyValues(progress.position_key));
    bound.columns.insert(bound.columns.end(), plan.key_columns().begin(), plan.key_columns().end());
    bound.values.insert(bound.values.end(), key.begin(), key.end());
  }
  return bound;
}

}  // namespace

LocalDateTime EntitySync::LaggedNow() const {
  return ToLocalDateTime(context_.clock->NowUnix() - context_.settings->stamp_lag_seconds);
}

Status EntitySync::SendBatch(SyncSession& session, v1::RecordBatch batch, BatchMark mark,
                             const AckApplier& apply) {
  report_->records_sent += static_cast<uint64_t>(batch.records_size()) + batch.packed_count();
  AckCallback on_ack = [this, mark = std::move(mark), apply](const BatchAckInfo& ack) -> Status {
    ERPSYNC_RETURN_IF_ERROR(context_.state->WithTransaction([&] { return apply(mark); }));
    report_->acked += mark.records;
    report_->inserted += ack.inserted;
    report_->updated += ack.updated;
    report_->unchanged += ack.unchanged;
    report_->deleted += ack.deleted;
    if (context_.progress != nullptr) context_.progress->OnProgress(*report_);
    return Status::Ok();
  };
  ERPSYNC_RETURN_IF_ERROR(session.SendBatch(std::move(batch), std::move(on_ack)));
  CrashIfFaultPoint("after-batch-sent");
  return Status::Ok();
}

Status EntitySync::Stream(SyncSession& session, const TableRead& read, MarkDetail detail,
                          const RowFilter& filter, const AckApplier& apply) {
  ERPSYNC_ASSIGN_OR_RETURN(std::unique_ptr<RowCursor> cursor, context_.erp->Read(read));
  const bool stamped = detail == MarkDetail::kStamps;
  const bool track_hashes = detail == MarkDetail::kHashes;
  RowEncoder encoder(plan_, stamped ? RowEncoder::Stamps::kCapture : RowEncoder::Stamps::kSkip);
  const SyncSettings& settings = *context_.settings;
  PackedRecordWriter packer;
  BatchMark mark;
  // Batch N is compressed on the compressor's thread while batch N + 1 is
  // read here; it is sent (and acknowledgements are handled) on this thread.
  BatchCompressor compressor(settings.compression_level);
  BatchMark compressing_mark;
  const auto send_compressed = [&]() -> Status {
    if (!compressor.pending()) return Status::Ok();
    ERPSYNC_ASSIGN_OR_RETURN(v1::RecordBatch batch, compressor.Wait());
    return SendBatch(session, std::move(batch), std::move(compressing_mark), apply);
  };
  const auto flush = [&]() -> Status {
    if (packer.count() == 0) return Status::Ok();
    ERPSYNC_RETURN_IF_ERROR(send_compressed());
    const auto count = static_cast<uint32_t>(packer.count());
    compressor.Submit(packer.TakeRaw(), count);
    compressing_mark = std::move(mark);
    mark = BatchMark();
    return Status::Ok();
  };
  while (!stopping()) {
    ERPSYNC_ASSIGN_OR_RETURN(const bool has_row, cursor->Next());
    if (!has_row) break;
    ++report_->rows_read;
    ERPSYNC_RETURN_IF_ERROR(encoder.Encode(*cursor));
    const uint64_t hash = track_hashes ? encoder.content_hash() : 0;
    if (filter) {
      ERPSYNC_ASSIGN_OR_RETURN(const bool send, filter(encoder.key(), hash));
      if (!send) continue;
    }
    packer.Add(encoder.key(), encoder.encoded());
    ++mark.records;
    mark.last_key.assign(encoder.key());
    if (stamped) {
      mark.stamp_date.assign(encoder.stamp(0));
      mark.stamp_time.assign(encoder.stamp(1));
    }
    if (track_hashes) mark.hashes.push_back({encoder.key(), hash, false});
    if (packer.count() >= static_cast<size_t>(settings.batch_records) ||
        packer.raw_bytes() >= settings.batch_bytes) {
      ERPSYNC_RETURN_IF_ERROR(flush());
    }
  }
  ERPSYNC_RETURN_IF_ERROR(flush());
  ERPSYNC_RETURN_IF_ERROR(send_compressed());
  return stopping() ? CancelledError("sync stopped") : Status::Ok();
}

Status EntitySync::Finish(SyncSession& session, bool complete) {
  ERPSYNC_ASSIGN_OR_RETURN(closed_, session.CloseEntity(complete, report_->records_sent));
  report_->deleted_by_pass = closed_.deleted_by_pass;
  report_->server_count = closed_.record_count;
  report_->server_checksum = closed_.checksum;
  return Status::Ok();
}

Status EntitySync::CloseEntity(SyncSession& session, const Status& streamed) {
  if (streamed.ok()) return Finish(session, true);
  if (streamed.code() == StatusCode::kCancelled) ERPSYNC_RETURN_IF_ERROR(Finish(session, false));
  return streamed;
}

void EntitySync::RecordCompletedSync(EntityProgress* progress, int64_t now) const {
  progress->last_sync_unix = now;
  progress->records_last_synced = report_->records_sent;
  progress->server_count = closed_.record_count;
  progress->last_error.clear();
  progress->generation = generation_;
}

Status EntitySync::RunDeep(SyncSession& session, const std::string& run_id,
                           const Timeframe& timeframe) {
  const bool full = timeframe.from_beginning();
  report_->mode = full ? "deep" : "deep since " + timeframe.start_date;
  const TableRead read = DeepRead(timeframe);
  ERPSYNC_ASSIGN_OR_RETURN(const std::optional<DeepPassCheckpoint> opened,
                           OpenDeepPass(session, run_id, full, read));
  if (!opened) return Status::Ok();
  // Shared with the acknowledgements of every batch, which move it.
  const auto checkpoint = std::make_shared<DeepPassCheckpoint>(*opened);
  const Status streamed =
      plan_->reads_nothing() ? Status::Ok() : StreamDeepPass(session, read, checkpoint);
  ERPSYNC_RETURN_IF_ERROR(CloseEntity(session, streamed));
  // Acknowledgements drained by CloseEntity updated the checkpoint.
  return CompleteDeepPass(*checkpoint, full);
}

TableRead EntitySync::DeepRead(const Timeframe& timeframe) const {
  TableRead read = plan_->FieldsRead();
  if (!timeframe.from_beginning() && !plan_->timeframe_column().empty()) {
    read.since_column = plan_->timeframe_column();
    read.since_value = timeframe.start_date;
  }
  return read;
}

Result<std::optional<DeepPassCheckpoint>> EntitySync::OpenDeepPass(SyncSession& session,
                                                                   const std::string& run_id,
                                                                   bool full,
                                                                   const TableRead& read) {
  StateStore& state = *context_.state;
  const std::string& id = plan_->entity_id();
  const uint64_t fingerprint = plan_->schema().fingerprint();
  ERPSYNC_ASSIGN_OR_RETURN(std::optional<DeepPassCheckpoint> saved, state.GetCheckpoint(id));
  const bool resuming =
      saved && saved->run_id == run_id && saved->schema_fingerprint == fingerprint;
  if (resuming && saved->done) {
    report_->skipped = true;
    report_->resumed_at = saved->acked;
    return std::optional<DeepPassCheckpoint>();
  }
  const uint64_t resume_generation = resuming && full ? saved->generation : 0;
  Result<uint64_t> generation =
      session.OpenEntity(plan_->schema(), EntityOpenOptions{full, resume_generation, false});
  if (!generation.ok() && generation.status().code() == StatusCode::kFailedPrecondition &&
      resume_generation != 0) {
    // The server no longer has that pass open, and its refusal ended the
    // session (as every error does). The checkpoint no longer belongs to
    // the run, so the attempt after the reconnect starts the entity over.
    saved->run_id.clear();
    ERPSYNC_RETURN_IF_ERROR(state.PutCheckpoint(*saved));
    return AbortedError("pass " + std::to_string(resume_generation) + " of " + id +
                        " is no longer open on the server; starting it over");
  }
  if (!generation.ok()) return generation.status();
  generation_ = *generation;

  DeepPassCheckpoint checkpoint;
  if (resuming) {
    checkpoint = *saved;
  } else {
    checkpoint.entity_id = id;
    checkpoint.run_id = run_id;
    checkpoint.schema_fingerprint = fingerprint;
    // Rows stamped from one second before the lagged start onwards are read
    // again by the next incremental sync.
    const LocalDateTime start =
        ToLocalDateTime(context_.clock->NowUnix() - context_.settings->stamp_lag_seconds - 1);
    checkpoint.start_date = start.date;
    checkpoint.start_time = start.time;
    if (!plan_->reads_nothing()) {
      ERPSYNC_ASSIGN_OR_RETURN(const int64_t count, context_.erp->Count(read));
      checkpoint.total = static_cast<uint64_t>(count);
    }
  }
  checkpoint.generation = generation_;
  ERPSYNC_RETURN_IF_ERROR(state.PutCheckpoint(checkpoint));
  report_->generation = generation_;
  report_->total = checkpoint.total;
  // Acknowledged before this run. After a reconnect within the run, the
  // checkpoint also holds what the earlier attempts of the run acknowledged,
  // which the report counts already.
  report_->resumed_at = checkpoint.acked - std::min(checkpoint.acked, report_->acked);
  if (context_.progress != nullptr) context_.progress->OnEntityStart(*report_);
  return std::optional<DeepPassCheckpoint>(std::move(checkpoint));
}

Status EntitySync::StreamDeepPass(SyncSession& session, TableRead read,
                                  const std::shared_ptr<DeepPassCheckpoint>& checkpoint) {
  StateStore& state = *context_.state;
  if (!checkpoint->after_key.empty()) {
    ERPSYNC_ASSIGN_OR_RETURN(std::vector<SqlValue> key, plan_->KeyValues(checkpoint->after_key));
    read.after = TupleBound{plan_->key_columns(), std::move(key)};
  }
  const uint64_t generation = generation_;
  const AckApplier apply = [&state, checkpoint, generation](const BatchMark& mark) {
    checkpoint->after_key = mark.last_key;
    checkpoint->acked += mark.records;
    for (const SentRecord& record : mark.hashes) {
      ERPSYNC_RETURN_IF_ERROR(
          state.PutHash(checkpoint->entity_id, record.key, record.hash, generation));
    }
    ERPSYNC_RETURN_IF_ERROR(state.PutCheckpoint(*checkpoint));
    CrashIfFaultPoint("after-deep-checkpoint");
    return Status::Ok();
  };
  // Hash-mode entities keep every record's hash for their incremental syncs.
  const MarkDetail detail = plan_->has_row_stamp() ? MarkDetail::kLastKey : MarkDetail::kHashes;
  return Stream(session, read, detail, nullptr, apply);
}

Status EntitySync::CompleteDeepPass(DeepPassCheckpoint checkpoint, bool full) {
  StateStore& state = *context_.state;
  const std::string& id = plan_->entity_id();
  return state.WithTransaction([&]() -> Status {
    checkpoint.done = true;
    ERPSYNC_RETURN_IF_ERROR(state.PutCheckpoint(checkpoint));
    ERPSYNC_ASSIGN_OR_RETURN(EntityProgress progress, state.GetProgress(id));
    const int64_t now = context_.clock->NowUnix();
    RecordCompletedSync(&progress, now);
    if (full) {
      progress.last_deep_sync_unix = now;
      progress.schema_fingerprint = plan_->schema().fingerprint();
      if (plan_->has_row_stamp()) {
        progress.has_position = true;
        progress.position_date = plan_->stamp_columns().size() > 1
                                     ? checkpoint.start_date
                                     : checkpoint.start_date + " " + checkpoint.start_time;
        progress.position_time = checkpoint.start_time;
        progress.position_key.clear();
      } else {
        ERPSYNC_RETURN_IF_ERROR(state.DropHashesBefore(id, generation_));
      }
    }
    return state.PutProgress(progress);
  });
}

Status EntitySync::RunIncremental(SyncSession& session) {
  report_->mode = plan_->has_row_stamp() ? "incremental (row stamp)" : "incremental (content hash)";
  ERPSYNC_ASSIGN_OR_RETURN(const EntityProgress opened, OpenIncremental(session));
  // Shared with the acknowledgements, which move the stamp position.
  const auto progress = std::make_shared<EntityProgress>(opened);
  const Status streamed =
      plan_->has_row_stamp() ? StreamByStamp(session, progress) : StreamByHash(session);
  ERPSYNC_RETURN_IF_ERROR(CloseEntity(session, streamed));
  if (plan_->has_row_stamp()) ERPSYNC_RETURN_IF_ERROR(CensusIfRowsWereDeleted(session));
  EntityProgress completed = *progress;
  RecordCompletedSync(&completed, context_.clock->NowUnix());
  return context_.state->PutProgress(completed);
}

Result<EntityProgress> EntitySync::OpenIncremental(SyncSession& session) {
  const std::string& id = plan_->entity_id();
  const uint64_t fingerprint = plan_->schema().fingerprint();
  ERPSYNC_ASSIGN_OR_RETURN(EntityProgress progress, context_.state->GetProgress(id));
  if (progress.schema_fingerprint != fingerprint) {
    // What the server holds was encoded differently: send everything again.
    progress.has_position = false;
    ERPSYNC_RETURN_IF_ERROR(context_.state->ClearHashes(id));
    progress.schema_fingerprint = fingerprint;
  }
  ERPSYNC_ASSIGN_OR_RETURN(generation_, session.OpenEntity(plan_->schema(), EntityOpenOptions{}));
  report_->generation = generation_;
  if (context_.progress != nullptr) context_.progress->OnEntityStart(*report_);
  return progress;
}

Status EntitySync::StreamByStamp(SyncSession& session,
                                 const std::shared_ptr<EntityProgress>& progress) {
  if (plan_->reads_nothing()) return Status::Ok();
  TableRead read = plan_->BaseRead();
  read.order_by = plan_->stamp_columns();
  read.order_by.insert(read.order_by.end(), plan_->key_columns().begin(),
                       plan_->key_columns().end());
  const LocalDateTime through = LaggedNow();
  read.through.columns = plan_->stamp_columns();
  if (plan_->stamp_columns().size() > 1) {
    read.through.values = {SqlValue(through.date), SqlValue(through.time)};
  } else {
    read.through.values = {SqlValue(through.date + " " + through.time)};
  }
  if (progress->has_position) {
    ERPSYNC_ASSIGN_OR_RETURN(read.after, PositionBound(*plan_, *progress));
  }
  StateStore& state = *context_.state;
  const AckApplier apply = [&state, progress](const BatchMark& mark) {
    progress->has_position = true;
    progress->position_date = mark.stamp_date;
    progress->position_time = mark.stamp_time;
    progress->position_key = mark.last_key;
    return state.PutProgress(*progress);
  };
  return Stream(session, read, MarkDetail::kStamps, nullptr, apply);
}

Status EntitySync::StreamByHash(SyncSession& session) {
  if (plan_->reads_nothing()) return Status::Ok();
  StateStore& state = *context_.state;
  const std::string& id = plan_->entity_id();
  const uint64_t generation = generation_;
  std::vector<uint64_t> seen;
  const RowFilter changed = [&](const std::string& key, uint64_t hash) -> Result<bool> {
    seen.push_back(XXH3_64bits(key.data(), key.size()));
    ERPSYNC_ASSIGN_OR_RETURN(const std::optional<uint64_t> known, state.GetHash(id, key));
    return !known || *known != hash;
  };
  const AckApplier apply = [&state, id, generation](const BatchMark& mark) -> Status {
    for (const SentRecord& record : mark.hashes) {
      ERPSYNC_RETURN_IF_ERROR(record.deleted
                                  ? state.DeleteHash(id, record.key)
                                  : state.PutHash(id, record.key, record.hash, generation));
    }
    return Status::Ok();
  };
  ERPSYNC_RETURN_IF_ERROR(Stream(session, plan_->BaseRead(), MarkDetail::kHashes, changed, apply));

  // Keys the server has that the ERP no longer returns were deleted.
  std::sort(seen.begin(), seen.end());
  std::vector<std::string> gone;
  ERPSYNC_RETURN_IF_ERROR(state.ForEachHashKey(id, [&](const std::string& key) {
    if (!std::binary_search(seen.begin(), seen.end(), XXH3_64bits(key.data(), key.size()))) {
      gone.push_back(key);
    }
  }));
  PackedCompressor compressor(context_.settings->compression_level);
  const auto batch_records = static_cast<size_t>(context_.settings->batch_records);
  for (size_t start = 0; start < gone.size(); start += batch_records) {
    const size_t end = std::min(gone.size(), start + batch_records);
    PackedRecordWriter packer;
    BatchMark mark;
    for (size_t i = start; i < end; ++i) {
      packer.AddDeleted(gone[i]);
      mark.hashes.push_back({gone[i], 0, true});
    }
    mark.records = end - start;
    mark.last_key = gone[end - 1];
    report_->deletions_sent += mark.records;
    ERPSYNC_ASSIGN_OR_RETURN(
        v1::RecordBatch batch,
        CompressBatch(compressor, packer.TakeRaw(), static_cast<uint32_t>(end - start)));
    ERPSYNC_RETURN_IF_ERROR(SendBatch(session, std::move(batch), std::move(mark), apply));
  }
  return Status::Ok();
}

Status EntitySync::CensusIfRowsWereDeleted(SyncSession& session) {
  if (plan_->reads_nothing()) return Status::Ok();
  // A deletion masked by rows inserted after this read is found by the next
  // incremental or the next deep sync.
  ERPSYNC_ASSIGN_OR_RETURN(const int64_t erp_count, context_.erp->Count(plan_->BaseRead()));
  if (closed_.record_count <= static_cast<uint64_t>(erp_count)) return Status::Ok();
  return RunCensus(session);
}

Status EntitySync::RunCensus(SyncSession& session) {
  report_->mode += " + key census";
  EntityOpenOptions census;
  census.census = true;
  ERPSYNC_RETURN_IF_ERROR(session.OpenEntity(plan_->schema(), census).status());
  TableRead read = plan_->BaseRead();
  read.columns = plan_->key_columns();
  ERPSYNC_ASSIGN_OR_RETURN(std::unique_ptr<RowCursor> cursor, context_.erp->Read(read));
  std::vector<size_t> key_positions(plan_->key_columns().size());
  for (size_t i = 0; i < key_positions.size(); ++i) key_positions[i] = i;
  const AckApplier nothing = [](const BatchMark&) { return Status::Ok(); };
  v1::RecordBatch batch;
  size_t bytes = 0;
  std::string key;
  while (true) {
    ERPSYNC_ASSIGN_OR_RETURN(const bool has_row, cursor->Next());
    if (has_row) {
      key.clear();
      AppendRowKey(*cursor, key_positions, &key);
      bytes += key.size() + 2;
      batch.add_present_keys(key);
    }
    if (!has_row || bytes >= context_.settings->batch_bytes) {
      if (batch.present_keys_size() > 0 || !has_row) {
        ERPSYNC_RETURN_IF_ERROR(SendBatch(session, std::move(batch), BatchMark(), nothing));
      }
      batch = v1::RecordBatch();
      bytes = 0;
    }
    if (!has_row) break;
  }
  return Finish(session, true);
}

}  // namespace erpsync::agent
