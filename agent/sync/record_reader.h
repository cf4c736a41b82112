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
  using RecordSink = std::function<Status(const RowEncoder&)>;
  using SetAsideSink = std::function<Status(const SetAsideRow&)>;

  // `plan` must outlive the reader.
  RecordReader(const EntityPlan* plan, Options options);

  // Reads the rows of `cursor` until its end or until `stopping()` is true,
  // calling `record` with each row that is a record and `set_aside` with
  // each that is not. Every row read reaches one of the two exactly once
  // (a duplicate group reaches set_aside once, with its row count), but for
  // the row held back when the reader is stopped, which the next read finds
  // again.
  // Errors: the cursor's (the ERP's) and the sinks', as they come.
  Status Run(RowCursor& cursor, const std::function<bool()>& stopping, const RecordSink& record,
             const SetAsideSink& set_aside);

  uint64_t rows_read() const { return rows_read_; }
  // Run's error came from the cursor: the ERP failed.
  bool erp_failed() const { return erp_failed_; }

 private:
  // Sends or sets aside the held row, if any.
  Status ReleaseHeld(const RecordSink& record, const SetAsideSink& set_aside);
  // True when `encoder`'s key was seen earlier in this read, apart from the
  // row held (rows of one key that are not next to each other).
  bool SeenEarlier(const RowEncoder& encoder);

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

}  // namespace erpsync::agent

#endif  // ERPSYNC_AGENT_SYNC_RECORD_READER_H_
