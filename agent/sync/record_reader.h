// RecordReader: turns the rows of one read of an entity into records, and
// sets aside (quarantines) every row that cannot be one, so that one bad row
// never loses, hides or blocks the others:
//   - a row whose cells do not convert, hold binary data or text invalid in
//     the ERP's encoding, or whose record would be over the size limit
//     (RowEncoder's RowProblem);
//   - a row without a usable key (every key column NULL or blank, or not
//     text): it cannot be named to the server at all;
//   - every row of a key two rows share. In a read in key order the rows of
//     one key come one after the other: a row is held back until the next
//     one shows a different key, so none of them is sent. Rows of one key
//     that are not next to each other (a key column NULL in one row and ''
//     in the other; or a read in row-stamp order) are found when the second
//     one is read: that one is set aside, the first one was already sent.
//
// Not thread-safe; one reader per read.
#ifndef ERPSYNC_AGENT_SYNC_RECORD_READER_H_
#define ERPSYNC_AGENT_SYNC_RECORD_READER_H_

#include <cstdint>
#include <functional>
#include <string>
#include <unordered_set>
#include <vector>

#include "agent/erp/erp_source.h"
#include "agent/mapping/entity_plan.h"
#include "agent/mapping/row_encoder.h"
#include "common/status.h"

namespace erpsync::agent {

// A row the reader did not turn into a record.
struct SetAsideRow {
  // The record key when the row has a usable one (has_key).
  std::string key;
  bool has_key = false;
  // The key columns' text of a row without a usable key ("" for NULL), to
  // locate it in the ERP.
  std::vector<std::string> key_cells;
  // The row's position in the read, from 1 (the first of a duplicate group).
  int64_t position = 0;
  // Rows of the same key in this read (duplicates), or 1.
  uint64_t rows = 1;
  bool duplicate = false;
  RowProblem problem;
};

class RecordReader {
 public:
  struct Options {
    RowEncoder::Stamps stamps = RowEncoder::Stamps::kSkip;
    size_t max_record_bytes = SIZE_MAX;
    // The read is ordered by the entity's key (deep passes and content-hash
    // reads), so the rows of one key are next to each other.
    bool key_ordered = true;
  };

  // `plan` must outlive the reader.
  RecordReader(const EntityPlan* plan, Options options);

  // Reads the rows of `cursor` until its end or until `stopping()` is true,
  // calling `record(const RowEncoder&)` with each row that is a record and
  // `set_aside(const SetAsideRow&)` with each that is not (both return
  // Status). Every row read reaches one of the two exactly once (a
  // duplicate group reaches set_aside once, with its row count), but for
  // the row held back when the reader is stopped, which the next read finds
  // again. Errors: the cursor's (the ERP's: erp_failed()) and the sinks',
  // as they come. A template, so that the per-row calls inline: the read
  // loop of a deep sync.
  template <typename Stopping, typename RecordSink, typename SetAsideSink>
  Status Run(RowCursor& cursor, Stopping&& stopping, RecordSink&& record,
             SetAsideSink&& set_aside);

  uint64_t rows_read() const { return rows_read_; }
  // Run's error came from the cursor: the ERP failed.
  bool erp_failed() const { return erp_failed_; }

 private:
  // Sends or sets aside the held row, if any.
  template <typename RecordSink, typename SetAsideSink>
  Status ReleaseHeld(RecordSink& record, SetAsideSink& set_aside);
  // True when `encoder`'s key was seen earlier in this read, apart from the
  // row held (rows of one key that are not next to each other).
  bool SeenEarlier(const RowEncoder& encoder) {
    return !(options_.key_ordered && !encoder.key_has_empty_part()) && Remember(encoder.key());
  }
  // a == b, cheaply false for the keys of consecutive rows, which mostly
  // differ in their last character.
  static bool SameKey(const std::string& a, const std::string& b) {
    return a.size() == b.size() && (a.empty() || a.back() == b.back()) && a == b;
  }
  // Remembers `key`; true when it was remembered before.
  bool Remember(const std::string& key);
  // The rows set aside (out of line: rare).
  SetAsideRow ProblemRow(const RowEncoder& encoder, int64_t position) const;
  SetAsideRow UnkeyedRow(const RowEncoder& encoder, const RowCursor& cursor) const;
  SetAsideRow HeldGroupRow() const;
  SetAsideRow SeenEarlierRow(const RowEncoder& encoder, int64_t position) const;

  const EntityPlan* plan_;
  Options options_;
  // Two encoders take turns: one holds the row held back, the other
  // encodes the next row.
  RowEncoder encoders_[2];
  int current_ = 0;
  bool held_ = false;
  bool held_ok_ = false;       // the held row is a record (not just keyed)
  int64_t held_position_ = 0;
  uint64_t held_rows_ = 0;     // rows of the held key so far
  // Hashes of the keys read so far that can recur out of order (keys with
  // an empty column in key-ordered reads; every key in row-stamp reads),
  // up to kMaxRememberedKeys.
  std::unordered_set<uint64_t> remembered_;
  uint64_t rows_read_ = 0;
  bool erp_failed_ = false;
};

template <typename RecordSink, typename SetAsideSink>
Status RecordReader::ReleaseHeld(RecordSink& record, SetAsideSink& set_aside) {
  if (!held_) return Status::Ok();
  held_ = false;
  if (held_rows_ > 1) return set_aside(HeldGroupRow());
  const RowEncoder& encoder = encoders_[1 - current_];
  if (!held_ok_) return set_aside(ProblemRow(encoder, held_position_));
  return record(encoder);
}

template <typename Stopping, typename RecordSink, typename SetAsideSink>
Status RecordReader::Run(RowCursor& cursor, Stopping&& stopping, RecordSink&& record,
                         SetAsideSink&& set_aside) {
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
      ERPSYNC_RETURN_IF_ERROR(set_aside(UnkeyedRow(encoder, cursor)));
      continue;
    }
    if (options_.key_ordered && held_ && SameKey(encoder.key(), encoders_[1 - current_].key())) {
      ++held_rows_;  // the whole group is set aside when it ends
      continue;
    }
    ERPSYNC_RETURN_IF_ERROR(ReleaseHeld(record, set_aside));
    if (SeenEarlier(encoder)) {
      ERPSYNC_RETURN_IF_ERROR(set_aside(SeenEarlierRow(encoder, cursor.position())));
      continue;
    }
    if (!options_.key_ordered) {
      ERPSYNC_RETURN_IF_ERROR(encoded ? record(encoder)
                                      : set_aside(ProblemRow(encoder, cursor.position())));
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

#endif  // ERPSYNC_AGENT_SYNC_RECORD_READER_H_
