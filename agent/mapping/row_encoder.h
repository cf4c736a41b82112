// RowEncoder: turns the current row of a RowCursor (read with
// EntityPlan::columns()) into a record: its canonical encoding, key and
// (on demand: only content-hash syncs and checksums need it) content hash.
// Converts the ERP's cells exactly: decimals from their text (REAL cells
// via their shortest round-trip text, never arithmetic), dates and
// timestamps from text, booleans from Y/N, 1/0, T/F, true/false. A row that
// cannot be a record is refused with a RowProblem naming the column, the
// value and the reason, so that the sync can set it aside and go on.
// Reuses its buffers across rows; not thread-safe.
#ifndef ERPSYNC_AGENT_MAPPING_ROW_ENCODER_H_
#define ERPSYNC_AGENT_MAPPING_ROW_ENCODER_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "agent/erp/erp_source.h"
#include "agent/mapping/entity_plan.h"
#include "common/record_codec.h"
#include "common/status.h"

namespace erpsync::agent {

// Why a row did not become a record (the row is quarantined, not sent).
struct RowProblem {
  // The ERP column at fault; empty when the row as a whole is (its size).
  std::string column;
  // The cell as read, at most kMaxProblemValueChars characters, bytes that
  // are not UTF-8 written as \xNN: always valid UTF-8, safe to report.
  std::string value;
  // "'2023-02-30' is not a valid date", "the key is empty", ...
  std::string reason;
};

inline constexpr size_t kMaxProblemValueChars = 100;

// `text` shortened to `max_chars` characters ("..." appended), every byte
// that is not part of valid UTF-8 as \xNN and control characters escaped.
std::string PrintableValue(std::string_view text, size_t max_chars = kMaxProblemValueChars);

class RowEncoder {
 public:
  // Whether Encode() copies the row stamp cells for stamp(). Only an
  // incremental sync positioned by row stamps needs them (read with
  // EntityPlan::BaseRead()); with kSkip the read may leave the stamp columns
  // out (EntityPlan::FieldsRead()).
  enum class Stamps { kCapture, kSkip };

  // `plan` must outlive the encoder. A row whose record would be larger
  // than `max_record_bytes` is refused.
  explicit RowEncoder(const EntityPlan* plan, Stamps stamps = Stamps::kCapture,
                      size_t max_record_bytes = SIZE_MAX)
      : plan_(plan),
        writer_(&plan->schema()),
        capture_stamps_(stamps == Stamps::kCapture),
        max_record_bytes_(max_record_bytes) {
    writer_.set_max_text_size(max_record_bytes);
  }

  // Encodes the cursor's current row: true with the record, its key and
  // stamps; false when the row cannot be a record: a key that is empty or
  // not text, a cell that does not convert to its field's type, binary data
  // or text invalid in the ERP's encoding, a record over max_record_bytes.
  // problem() then says why, and has_key() whether key() still identifies
  // the row (every failure but the key's own).
  bool Encode(const RowCursor& cursor);

  // The record built by the last successful Encode().
  std::string_view encoded() const { return writer_.Finish(); }
  const std::string& key() const { return key_; }
  // The content hash of that record (computed by this call).
  uint64_t content_hash() const { return ContentHash(plan_->schema(), writer_.Finish()); }
  // Text of the row stamp columns (date, then time) of the last row; empty
  // when the plan has no row stamp, the cell is null or stamps are skipped.
  std::string_view stamp(size_t i) const { return stamps_[i]; }

  // After a failed Encode(): why, and whether key() is the row's key.
  const RowProblem& problem() const { return problem_; }
  bool has_key() const { return has_key_; }
  // Whether a key column of the last row is NULL or blank (such a key can
  // recur out of key order: NULL and '' sort apart but key alike).
  bool key_has_empty_part() const { return key_has_empty_part_; }
  // "<entity> row <key columns=values>: column <column>: <reason>" of the
  // last failed Encode(), for messages.
  std::string DescribeProblem(const RowCursor& cursor) const;

 private:
  // Encodes a non-null cell that needs a conversion (any but text to TEXT
  // and integer to INTEGER, which Encode() does inline).
  Status EncodeCell(const RowCursor& cursor, int column, const FieldDef& field);
  // Records a problem with the cell of `column` and returns false.
  bool Refuse(const RowCursor& cursor, int column, std::string reason);
  std::string DescribeRow(const RowCursor& cursor) const;

  const EntityPlan* plan_;
  RecordWriter writer_;
  std::string key_;
  std::string stamps_[2];
  bool capture_stamps_;
  size_t max_record_bytes_;
  RowProblem problem_;
  bool has_key_ = false;
  bool key_has_empty_part_ = false;
};

}  // namespace erpsync::agent

#endif  // ERPSYNC_AGENT_MAPPING_ROW_ENCODER_H_
