// RowEncoder: turns the current row of a RowCursor (read with
// EntityPlan::columns()) into a record: its canonical encoding, key and
// (on demand: only content-hash syncs and checksums need it) content hash. Converts the ERP's cells exactly: decimals from their text
// (REAL cells via their shortest round-trip text, never arithmetic), dates
// and timestamps from text, booleans from Y/N, 1/0, T/F, true/false.
// Reuses its buffers across rows; not thread-safe.
#ifndef ERPSYNC_AGENT_MAPPING_ROW_ENCODER_H_
#define ERPSYNC_AGENT_MAPPING_ROW_ENCODER_H_

#include <cstdint>
#include <string>
#include <string_view>

#include "agent/erp/erp_source.h"
#include "agent/mapping/entity_plan.h"
#include "common/record_codec.h"
#include "common/status.h"

namespace erpsync::agent {

class RowEncoder {
 public:
  // Whether Encode() copies the row stamp cells for stamp(). Only an
  // incremental sync positioned by row stamps needs them (read with
  // EntityPlan::BaseRead()); with kSkip the read may leave the stamp columns
  // out (EntityPlan::FieldsRead()).
  enum class Stamps { kCapture, kSkip };

  // `plan` must outlive the encoder.
  explicit RowEncoder(const EntityPlan* plan, Stamps stamps = Stamps::kCapture)
      : plan_(plan), writer_(&plan->schema()), capture_stamps_(stamps == Stamps::kCapture) {}

  // Encodes the cursor's current row. INVALID_ARGUMENT naming the entity,
  // the row's key columns, the column and the value when a cell does not
  // convert to its field's type.
  Status Encode(const RowCursor& cursor);

  // The record built by the last successful Encode().
  std::string_view encoded() const { return writer_.Finish(); }
  const std::string& key() const { return key_; }
  // The content hash of that record (computed by this call).
  uint64_t content_hash() const { return ContentHash(plan_->schema(), writer_.Finish()); }
  // Text of the row stamp columns (date, then time) of the last row; empty
  // when the plan has no row stamp, the cell is null or stamps are skipped.
  std::string_view stamp(size_t i) const { return stamps_[i]; }

 private:
  // Encodes a non-null cell that needs a conversion (any but text to TEXT
  // and integer to INTEGER, which Encode() does inline).
  Status EncodeCell(const RowCursor& cursor, int column, const FieldDef& field);
  std::string DescribeRow(const RowCursor& cursor) const;

  const EntityPlan* plan_;
  RecordWriter writer_;
  std::string key_;
  std::string stamps_[2];
  bool capture_stamps_;
};

}  // namespace erpsync::agent

#endif  // ERPSYNC_AGENT_MAPPING_ROW_ENCODER_H_
