#include "agent/sync/entity_sync.h"

#include <xxhash.h>

#include <algorithm>

#include "agent/mapping/row_encoder.h"
#include "agent/mapping/row_key.h"
#include "agent/sync/batch_compressor.h"
#include "common/fault_injection.h"
#include "common/log.h"
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

Status EntitySync::ErpFailure(Status status) {
  if (status.ok()) return status;
  report_->erp_failure = true;
  return std::move(status).WithOrigin(ErrorOrigin::kErp);
}

Status EntitySync::SendBatch(SyncSession& session, v1::RecordBatch batch, BatchMark mark,
                             const AckApplier& apply) {
  report_->records_sent += static_cast<uint64_t>(batch.records_size()) + batch.packed_count();
  for (const std::string& key : mark.kept) batch.add_kept_keys(key);
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

Status EntitySync::SetAside(const SetAsideRow& row, BatchMark* mark) {
  report_->quarantined += row.rows;
  QuarantineEntry entry;
  entry.entity_id = plan_->entity_id();
  entry.has_key = row.has_key;
  entry.key = row.key;
  entry.duplicate = row.duplicate;
  entry.column = row.problem.column;
  entry.value = row.problem.value;
  entry.reason = row.problem.reason;
  entry.where = "row " + std::to_string(row.position) + " of the read";
  const bool listed = report_->quarantine.size() < kMaxListedQuarantinedRows;
  if (listed) {
    // Where the rows are, for people to find them (a full scan of the
    // table: only for the rows a report lists).
    std::vector<std::string> columns;
    for (size_t index : plan_->schema().key_indexes()) columns.push_back(plan_->columns()[index]);
    const Result<std::vector<std::string>> located = context_.erp->LocateRows(
        plan_->table(), columns, row.has_key ? SplitKey(row.key) : row.key_cells);
    if (located.ok() && !located->empty()) {
      entry.where.clear();
      for (const std::string& place : *located) {
        entry.where += entry.where.empty() ? place : ", " + place;
      }
    }
  }
  entry.ident = row.has_key ? row.key : entry.where;
  entry.first_unix = entry.last_unix = context_.clock->NowUnix();
  ERPSYNC_RETURN_IF_ERROR(context_.state->PutQuarantined(entry, read_id_));
  if (listed) {
    report_->quarantine.push_back(QuarantinedRowOf(entry));
    ERPSYNC_LOG(kWarning) << plan_->entity_id() << ": row set aside ("
                          << (row.has_key ? "key " + row.key : entry.where) << "): "
                          << (entry.column.empty() ? "" : "column " + entry.column + ": ")
                          << entry.reason;
  }
  if (row.has_key) {
    quarantined_keys_.push_back(row.key);
    if (keep_quarantined_) mark->kept.push_back(row.key);
  } else {
    unkeyed_rows_ = true;
  }
  return Status::Ok();
}

Status EntitySync::Stream(SyncSession& session, const TableRead& read, MarkDetail detail,
                          const RowFilter& filter, const AckApplier& apply) {
  return Stream(session, std::vector<TableRead>{read}, detail, filter, apply);
}

Status EntitySync::Stream(SyncSession& session, const std::vector<TableRead>& reads,
                          MarkDetail detail, const RowFilter& filter, const AckApplier& apply) {
  const bool stamped = detail == MarkDetail::kStamps;
  const bool track_hashes = detail == MarkDetail::kHashes;
  const SyncSettings settings = FitToServer(*context_.settings, session.limits());
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
    if (packer.count() == 0 && mark.kept.empty()) return Status::Ok();
    ERPSYNC_RETURN_IF_ERROR(send_compressed());
    if (packer.count() == 0) {
      // Kept keys only: nothing to compress.
      v1::RecordBatch batch;
      BatchMark kept_only = std::move(mark);
      mark = BatchMark();
      return SendBatch(session, std::move(batch), std::move(kept_only), apply);
    }
    const auto count = static_cast<uint32_t>(packer.count());
    compressor.Submit(packer.TakeRaw(), count);
    compressing_mark = std::move(mark);
    mark = BatchMark();
    return Status::Ok();
  };
  const auto full = [&] {
    return packer.count() >= static_cast<size_t>(settings.batch_records) ||
           packer.raw_bytes() >= settings.batch_bytes ||
           mark.kept.size() >= static_cast<size_t>(settings.batch_records);
  };
  const auto record = [&](const RowEncoder& encoder) -> Status {
    const uint64_t hash = track_hashes ? encoder.content_hash() : 0;
    if (filter) {
      ERPSYNC_ASSIGN_OR_RETURN(const bool send, filter(encoder.key(), hash));
      if (!send) return Status::Ok();
    }
    packer.Add(encoder.key(), encoder.encoded());
    ++mark.records;
    mark.last_key.assign(encoder.key());
    if (stamped) {
      mark.stamp_date.assign(encoder.stamp(0));
      mark.stamp_time.assign(encoder.stamp(1));
    }
    if (track_hashes) mark.hashes.push_back({encoder.key(), hash, false});
    return full() ? flush() : Status::Ok();
  };
  const auto set_aside = [&](const SetAsideRow& row) -> Status {
    ERPSYNC_RETURN_IF_ERROR(SetAside(row, &mark));
    return full() ? flush() : Status::Ok();
  };
  for (const TableRead& read : reads) {
    Result<std::unique_ptr<RowCursor>> cursor = context_.erp->Read(read);
    if (!cursor.ok()) return ErpFailure(cursor.status());
    RecordReader reader(
        plan_,
        RecordReader::Options{stamped ? RowEncoder::Stamps::kCapture : RowEncoder::Stamps::kSkip,
                              settings.max_record_bytes, /*key_ordered=*/!stamped});
    const Status read_status =
        reader.Run(**cursor, [this] { return stopping(); }, record, set_aside);
    report_->rows_read += reader.rows_read();
    if (!read_status.ok()) return reader.erp_failed() ? ErpFailure(read_status) : read_status;
    if (stopping()) break;
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

Status EntitySync::CloseEntity(SyncSession& session, const Status& streamed, bool complete) {
  if (streamed.ok()) return Finish(session, complete);
  // Stopped, or the ERP failed: the session itself is fine and stays usable.
  if (streamed.code() == StatusCode::kCancelled || report_->erp_failure) {
    if (Status finished = Finish(session, false); !finished.ok()) {
      // The session failed too: that is the failure to report.
      report_->erp_failure = false;
      return finished;
    }
  }
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
  read_id_ = run_id;
  // Protocol 2 servers keep the records of quarantined rows through a pass.
  keep_quarantined_ = full && session.protocol_version() >= 2;
  const TableRead read = DeepRead(timeframe);
  ERPSYNC_ASSIGN_OR_RETURN(const std::optional<DeepPassCheckpoint> opened,
                           OpenDeepPass(session, run_id, full, read));
  if (!opened) return Status::Ok();
  // Shared with the acknowledgements of every batch, which move it.
  const auto checkpoint = std::make_shared<DeepPassCheckpoint>(*opened);
  const Status streamed =
      plan_->reads_nothing() ? Status::Ok() : StreamDeepPass(session, read, checkpoint);
  if (streamed.ok() && full) {
    if (unkeyed_rows_) {
      report_->deletions_skipped =
          "rows without a usable key were set aside: the records they stand for cannot be "
          "told apart from deleted ones";
    } else if (!keep_quarantined_ && !quarantined_keys_.empty()) {
      report_->deletions_skipped =
          "rows were set aside and the server (sync protocol 1) cannot keep their records";
    }
  }
  ERPSYNC_RETURN_IF_ERROR(CloseEntity(session, streamed, report_->deletions_skipped.empty()));
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
  // The ERP is counted before the entity opens on the server, so that an ERP
  // failure leaves no entity open on the session.
  uint64_t total = 0;
  if (!resuming && !plan_->reads_nothing()) {
    const Result<int64_t> count = context_.erp->Count(read);
    if (!count.ok()) return ErpFailure(count.status());
    total = static_cast<uint64_t>(*count);
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
    // Rows of the pass read before the interruption that had no key.
    ERPSYNC_ASSIGN_OR_RETURN(unkeyed_rows_, state.HasUnkeyedQuarantined(id, run_id));
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
    checkpoint.total = total;
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
      // A complete pass read every row: the rows it did not set aside read
      // cleanly and leave the quarantine.
      ERPSYNC_RETURN_IF_ERROR(state.KeepQuarantinedOf(id, read_id_));
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

Status EntitySync::RunIncremental(SyncSession& session, const std::string& run_id) {
  report_->mode = plan_->has_row_stamp() ? "incremental (row stamp)" : "incremental (content hash)";
  read_id_ = run_id;
  ERPSYNC_ASSIGN_OR_RETURN(const EntityProgress opened, OpenIncremental(session));
  // Shared with the acknowledgements, which move the stamp position.
  const auto progress = std::make_shared<EntityProgress>(opened);
  const Status streamed =
      plan_->has_row_stamp() ? StreamByStamp(session, progress) : StreamByHash(session);
  ERPSYNC_RETURN_IF_ERROR(CloseEntity(session, streamed));
  if (plan_->has_row_stamp()) {
    ERPSYNC_RETURN_IF_ERROR(CensusIfRowsWereDeleted(session));
  } else if (!plan_->reads_nothing()) {
    // A content-hash read reads every row: what it did not set aside left
    // the quarantine.
    ERPSYNC_RETURN_IF_ERROR(context_.state->KeepQuarantinedOf(plan_->entity_id(), read_id_));
  }
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
  TableRead read = plan_->StampOrderRead();
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
    if (mark.records == 0) return Status::Ok();
    progress->has_position = true;
    progress->position_date = mark.stamp_date;
    progress->position_time = mark.stamp_time;
    progress->position_key = mark.last_key;
    return state.PutProgress(*progress);
  };
  // Quarantined rows are read again by their key (RetryQuarantined), which
  // finds a key two rows share; the stamp read leaves them to it.
  ERPSYNC_ASSIGN_OR_RETURN(const std::vector<std::string> quarantined,
                           state.QuarantinedKeys(plan_->entity_id()));
  known_quarantined_.insert(quarantined.begin(), quarantined.end());
  RowFilter not_quarantined;
  if (!known_quarantined_.empty()) {
    not_quarantined = [this](const std::string& key, uint64_t) -> Result<bool> {
      return known_quarantined_.count(key) == 0;
    };
  }
  ERPSYNC_RETURN_IF_ERROR(Stream(session, read, MarkDetail::kStamps, not_quarantined, apply));
  ERPSYNC_RETURN_IF_ERROR(StreamFutureStamps(session));
  return RetryQuarantined(session);
}

Status EntitySync::StreamFutureStamps(SyncSession& session) {
  StateStore& state = *context_.state;
  const std::string& id = plan_->entity_id();
  TableRead read = plan_->StampOrderRead();
  // Rows stamped within the lag are still being written: the next stamp
  // read takes them. Beyond the clock itself, a stamp is in the future.
  const LocalDateTime now = ToLocalDateTime(context_.clock->NowUnix());
  read.after.columns = plan_->stamp_columns();
  if (plan_->stamp_columns().size() > 1) {
    read.after.values = {SqlValue(now.date), SqlValue(now.time)};
  } else {
    read.after.values = {SqlValue(now.date + " " + now.time)};
  }
  // Their hashes are kept with the entity's record hashes (a stamped entity
  // keeps none of its own), so that each is sent once per change.
  std::unordered_set<std::string> future;
  const RowFilter changed = [&](const std::string& key, uint64_t hash) -> Result<bool> {
    future.insert(key);
    ERPSYNC_ASSIGN_OR_RETURN(const std::optional<uint64_t> known, state.GetHash(id, key));
    return !known || *known != hash;
  };
  const uint64_t generation = generation_;
  const AckApplier apply = [&state, id, generation](const BatchMark& mark) -> Status {
    for (const SentRecord& record : mark.hashes) {
      ERPSYNC_RETURN_IF_ERROR(state.PutHash(id, record.key, record.hash, generation));
    }
    return Status::Ok();
  };
  const uint64_t before = report_->records_sent;
  ERPSYNC_RETURN_IF_ERROR(Stream(session, read, MarkDetail::kHashes, changed, apply));
  if (report_->records_sent > before) {
    report_->mode += " + " + std::to_string(report_->records_sent - before) +
                     " rows stamped in the future";
  }
  // Rows no longer in the future were read by the stamp read.
  std::vector<std::string> past;
  ERPSYNC_RETURN_IF_ERROR(state.ForEachHashKey(id, [&](const std::string& key) {
    if (future.count(key) == 0) past.push_back(key);
  }));
  for (const std::string& key : past) ERPSYNC_RETURN_IF_ERROR(state.DeleteHash(id, key));
  return Status::Ok();
}

Status EntitySync::RetryQuarantined(SyncSession& session) {
  if (known_quarantined_.empty()) return Status::Ok();
  std::vector<TableRead> reads;
  for (const std::string& key : known_quarantined_) {
    TableRead read = plan_->BaseRead();
    Result<std::vector<SqlValue>> values = plan_->KeyValues(key);
    if (!values.ok()) continue;  // not a key of this schema any more
    read.equals = TupleBound{plan_->key_columns(), std::move(*values)};
    reads.push_back(std::move(read));
  }
  const size_t quarantined_before = quarantined_keys_.size();
  const AckApplier nothing = [](const BatchMark&) { return Status::Ok(); };
  ERPSYNC_RETURN_IF_ERROR(Stream(session, reads, MarkDetail::kLastKey, nullptr, nothing));
  // A key that was not set aside again read cleanly (or its row is gone).
  const std::unordered_set<std::string> again(quarantined_keys_.begin() + quarantined_before,
                                              quarantined_keys_.end());
  for (const std::string& key : known_quarantined_) {
    if (again.count(key) == 0) {
      ERPSYNC_RETURN_IF_ERROR(context_.state->ClearQuarantinedKey(plan_->entity_id(), key));
    }
  }
  return Status::Ok();
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
  // A quarantined row is still in the ERP: its record is not deleted.
  for (const std::string& key : quarantined_keys_) {
    seen.push_back(XXH3_64bits(key.data(), key.size()));
  }

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
  const Result<int64_t> erp_count = context_.erp->Count(plan_->BaseRead());
  if (!erp_count.ok()) return ErpFailure(erp_count.status());
  if (closed_.record_count <= static_cast<uint64_t>(*erp_count)) return Status::Ok();
  return RunCensus(session);
}

Status EntitySync::RunCensus(SyncSession& session) {
  report_->mode += " + key census";
  const SyncSettings census_settings = FitToServer(*context_.settings, session.limits());
  TableRead read = plan_->BaseRead();
  read.columns = plan_->key_columns();
  read.text_columns.clear();  // the key columns only: all text
  Result<std::unique_ptr<RowCursor>> opened = context_.erp->Read(read);
  if (!opened.ok()) return ErpFailure(opened.status());
  RowCursor& cursor = **opened;
  EntityOpenOptions census;
  census.census = true;
  ERPSYNC_RETURN_IF_ERROR(session.OpenEntity(plan_->schema(), census).status());
  std::vector<size_t> key_positions(plan_->key_columns().size());
  for (size_t i = 0; i < key_positions.size(); ++i) key_positions[i] = i;
  const AckApplier nothing = [](const BatchMark&) { return Status::Ok(); };
  v1::RecordBatch batch;
  size_t bytes = 0;
  std::string key;
  // A row without a usable key may stand for a record whose key was
  // blanked: the census then deletes nothing.
  bool unkeyed = false;
  while (true) {
    const Result<bool> has_row = cursor.Next();
    if (!has_row.ok()) {
      ERPSYNC_RETURN_IF_ERROR(Finish(session, false));
      return ErpFailure(has_row.status());
    }
    if (*has_row) {
      key.clear();
      if (AppendRowKey(cursor, key_positions, &key) == RowKeyStatus::kUsable) {
        bytes += key.size() + 2;
        batch.add_present_keys(key);
      } else {
        unkeyed = true;
      }
    }
    if (!*has_row || bytes >= census_settings.batch_bytes ||
        batch.present_keys_size() >= census_settings.batch_records) {
      if (batch.present_keys_size() > 0 || !*has_row) {
        ERPSYNC_RETURN_IF_ERROR(SendBatch(session, std::move(batch), BatchMark(), nothing));
      }
      batch = v1::RecordBatch();
      bytes = 0;
    }
    if (!*has_row) break;
  }
  if (unkeyed) {
    report_->deletions_skipped =
        "rows without a usable key: the census cannot tell their records from deleted ones";
  }
  return Finish(session, !unkeyed);
}

}  // namespace erpsync::agent
