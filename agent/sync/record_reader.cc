#include "agent/sync/record_reader.h"

#include <xxhash.h>

namespace erpsync::agent {
namespace {

// Keys remembered to find rows of one key that are not next to each other
// (8 bytes and a hash-set node each); beyond this, such rows are only found
// when they are next to each other.
constexpr size_t kMaxRememberedKeys = 1'000'000;

uint64_t KeyHash(const std::string& key) { return XXH3_64bits(key.data(), key.size()); }

SetAsideRow Problem(const RowEncoder& encoder, int64_t position) {
  SetAsideRow row;
  row.key = encoder.has_key() ? encoder.key() : "";
  row.has_key = encoder.has_key();
  row.position = position;
  row.problem = encoder.problem();
  return row;
}

}  // namespace

RecordReader::RecordReader(const EntityPlan* plan, Options options)
    : plan_(plan),
      options_(options),
      encoders_{RowEncoder(plan, options.stamps, options.max_record_bytes),
                RowEncoder(plan, options.stamps, options.max_record_bytes)} {}

bool RecordReader::SeenEarlier(const RowEncoder& encoder) {
  if (options_.key_ordered && !encoder.key_has_empty_part()) return false;
  if (remembered_.size() >= kMaxRememberedKeys) {
    return remembered_.count(KeyHash(encoder.key())) > 0;
  }
  return !remembered_.insert(KeyHash(encoder.key())).second;
}

Status RecordReader::ReleaseHeld(const RecordSink& record, const SetAsideSink& set_aside) {
  if (!held_) return Status::Ok();
  held_ = false;
  const RowEncoder& encoder = encoders_[1 - current_];
  if (held_rows_ > 1) {
    SetAsideRow row = Problem(encoder, held_position_);
    row.rows = held_rows_;
    row.duplicate = true;
    row.problem = RowProblem{"", "",
                             "duplicate key: " + std::to_string(held_rows_) +
                                 " rows of the read share it; none is sent"};
    return set_aside(row);
  }
  if (!held_ok_) return set_aside(Problem(encoder, held_position_));
  return record(encoder);
}

Status RecordReader::Run(RowCursor& cursor, const std::function<bool()>& stopping,
                         const RecordSink& record, const SetAsideSink& set_aside) {
  while (!stopping()) {
    const Result<bool> next = cursor.Next();
    if (!next.ok()) {
      erp_failed_ = true;
      return next.status();
    }
    if (!*next) break;
    ++rows_read_;
    RowEncoder& encoder = encoders_[current_];
    const bool encoded = encoder.Encode(cursor);
    if (!encoder.has_key()) {
      // Not even a key: set aside at once, with its key cells to locate it.
      ERPSYNC_RETURN_IF_ERROR(ReleaseHeld(record, set_aside));
      SetAsideRow row = Problem(encoder, cursor.position());
      for (size_t index : plan_->schema().key_indexes()) {
        row.key_cells.emplace_back(cursor.Text(static_cast<int>(index)));
      }
      ERPSYNC_RETURN_IF_ERROR(set_aside(row));
      continue;
    }
    if (options_.key_ordered && held_ && encoder.key() == encoders_[1 - current_].key()) {
      ++held_rows_;  // the whole group is set aside when it ends
      continue;
    }
    ERPSYNC_RETURN_IF_ERROR(ReleaseHeld(record, set_aside));
    if (SeenEarlier(encoder)) {
      SetAsideRow row = Problem(encoder, cursor.position());
      row.duplicate = true;
      row.problem = RowProblem{"", "",
                               "duplicate key: another row of the read has it (that one, read "
                               "first, was sent)"};
      ERPSYNC_RETURN_IF_ERROR(set_aside(row));
      continue;
    }
    if (!options_.key_ordered) {
      ERPSYNC_RETURN_IF_ERROR(encoded ? record(encoder)
                                      : set_aside(Problem(encoder, cursor.position())));
      continue;
    }
    held_ = true;
    held_ok_ = encoded;
    held_rows_ = 1;
    held_position_ = cursor.position();
    current_ = 1 - current_;
  }
  // Stopped: a row held back is left for the next read (it resumes after the
  // last acknowledged key, so the held row is read again).
  return stopping() ? Status::Ok() : ReleaseHeld(record, set_aside);
}

}  // namespace erpsync::agent
