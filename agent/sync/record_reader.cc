#include "agent/sync/record_reader.h"

#include <xxhash.h>

namespace erpsync::agent {
namespace {

// Keys remembered to find rows of one key that are not next to each other
// (8 bytes and a hash-set node each); beyond this, such rows are only found
// when they are next to each other.
constexpr size_t kMaxRememberedKeys = 1'000'000;

uint64_t KeyHash(const std::string& key) { return XXH3_64bits(key.data(), key.size()); }

}  // namespace

RecordReader::RecordReader(const EntityPlan* plan, Options options)
    : plan_(plan),
      options_(options),
      encoders_{RowEncoder(plan, options.stamps, options.max_record_bytes),
                RowEncoder(plan, options.stamps, options.max_record_bytes)} {}

bool RecordReader::Remember(const std::string& key) {
  if (remembered_.size() >= kMaxRememberedKeys) return remembered_.count(KeyHash(key)) > 0;
  return !remembered_.insert(KeyHash(key)).second;
}

SetAsideRow RecordReader::ProblemRow(const RowEncoder& encoder, int64_t position) const {
  SetAsideRow row;
  row.key = encoder.has_key() ? encoder.key() : "";
  row.has_key = encoder.has_key();
  row.position = position;
  row.problem = encoder.problem();
  return row;
}

SetAsideRow RecordReader::UnkeyedRow(const RowEncoder& encoder, const RowCursor& cursor) const {
  SetAsideRow row = ProblemRow(encoder, cursor.position());
  for (size_t index : plan_->schema().key_indexes()) {
    row.key_cells.emplace_back(cursor.Text(static_cast<int>(index)));
  }
  return row;
}

SetAsideRow RecordReader::HeldGroupRow() const {
  SetAsideRow row = ProblemRow(encoders_[1 - current_], held_position_);
  row.rows = held_rows_;
  row.duplicate = true;
  row.problem = RowProblem{
      "", "", "duplicate key: " + std::to_string(held_rows_) + " rows of the read share it; none is sent"};
  return row;
}

SetAsideRow RecordReader::SeenEarlierRow(const RowEncoder& encoder, int64_t position) const {
  SetAsideRow row = ProblemRow(encoder, position);
  row.duplicate = true;
  row.problem = RowProblem{
      "", "", "duplicate key: another row of the read has it (that one, read first, was sent)"};
  return row;
}

}  // namespace erpsync::agent
