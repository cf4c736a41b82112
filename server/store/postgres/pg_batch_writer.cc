#include "server/store/postgres/pg_batch_writer.h"

#include <algorithm>
#include <unordered_map>
#include <utility>

#include "server/store/postgres/pg_binary.h"
#include "server/store/postgres/pg_record_key.h"
#include "server/store/record_key.h"

namespace erpsync::server::pg {
namespace {

using store_internal::ChangeOf;
using store_internal::RecordChange;
using store_internal::StateAfter;
using store_internal::StoredRecordState;

// Why these statement shapes: each one finds the records of the batch's
// keys by one primary-key probe per key, whatever the planner's statistics
// say. A plain join of the keys to records (or key = ANY(...)) lets the
// planner scan the whole entity instead (a hash join), which it does
// whenever it thinks the entity small: so for every entity that has grown
// since the table was last analyzed (a new entity's first deep sync), and
// then every batch would read all of the entity's rows.
//  - The read is a LATERAL subquery with LIMIT 1, which the planner cannot
//    flatten into a join: it runs once per key, as an index probe.
//  - The writes are INSERT ... ON CONFLICT DO UPDATE, which finds each row
//    through the primary key's index by construction. Every key they write
//    is stored (read under the entity's lock) except the new ones given to
//    the content upsert, so their INSERT half inserts only those.
//  - New records of a large batch go by COPY (binary), the fastest way in.

// New records of a batch go by COPY when there are at least this many:
// fewer ride along with the content upsert (one round trip less).
constexpr size_t kMinCopyRows = 64;

// The stored state of the batch's keys: $3 their stored forms; slot is the
// 1-based position in $3.
constexpr std::string_view kReadStored =
    "SELECT u.slot, r.hash, r.generation, r.deleted "
    "FROM unnest($3::bytea[]) WITH ORDINALITY AS u(key, slot) "
    "CROSS JOIN LATERAL (SELECT hash, generation, deleted FROM records "
    "WHERE company_id = $1 AND entity_row_id = $2 AND key = u.key LIMIT 1) r";

// Whether any record is stored with a key in [$3, $4]: none (a deep
// sync's first pass, in key order) and kReadStored has nothing to find.
// Asked for batches of kMinCopyRows keys or more (for fewer, kReadStored
// costs about as much).
constexpr std::string_view kAnyStoredBetween =
    "SELECT EXISTS (SELECT 1 FROM records WHERE company_id = $1 AND entity_row_id = $2 AND "
    "key >= $3 AND key <= $4)";

constexpr std::string_view kCopyNew =
    "COPY records (company_id, entity_row_id, key, schema_id, hash, generation, deleted, "
    "updated_unix, payload) FROM STDIN (FORMAT binary)";
constexpr int16_t kCopyNewFields = 9;
// The bytes of its fixed-size values: six BIGINTs and a BOOLEAN.
constexpr size_t kCopyNewFixedBytes = 6 * 8 + 1;

// Records written whole (new, revived, updated): $3 schema id, $4 now;
// then the rows' keys, hashes, generations, deleted flags and payloads.
constexpr std::string_view kWriteContent =
    "INSERT INTO records AS r (company_id, entity_row_id, key, schema_id, hash, generation, "
    "deleted, updated_unix, payload) "
    "SELECT $1, $2, u.key, $3, u.hash, u.generation, u.deleted, $4, u.payload "
    "FROM unnest($5::bytea[], $6::int8[], $7::int8[], $8::bool[], $9::bytea[]) "
    "AS u(key, hash, generation, deleted, payload) "
    "ON CONFLICT (company_id, entity_row_id, key) DO UPDATE SET schema_id = EXCLUDED.schema_id, "
    "hash = EXCLUDED.hash, generation = EXCLUDED.generation, deleted = EXCLUDED.deleted, "
    "updated_unix = EXCLUDED.updated_unix, payload = EXCLUDED.payload";

// Stored records restamped or marked deleted (their content stays; a
// record marked deleted now gets updated_unix $4): $3 schema id; then the
// rows' keys, generations and deleted flags. The INSERT half never runs
// (every key is stored): its placeholders only fill the NOT NULL columns.
constexpr std::string_view kRestampOrMark =
    "INSERT INTO records AS r (company_id, entity_row_id, key, schema_id, hash, generation, "
    "deleted, updated_unix, payload) "
    "SELECT $1, $2, u.key, $3, 0, u.generation, u.deleted, $4, ''::bytea "
    "FROM unnest($5::bytea[], $6::int8[], $7::bool[]) AS u(key, generation, deleted) "
    "ON CONFLICT (company_id, entity_row_id, key) DO UPDATE SET "
    "generation = EXCLUDED.generation, deleted = EXCLUDED.deleted, "
    "updated_unix = CASE WHEN EXCLUDED.deleted AND NOT r.deleted THEN EXCLUDED.updated_unix "
    "ELSE r.updated_unix END";

int64_t ToPg(uint64_t value) { return static_cast<int64_t>(value); }

}  // namespace

PgBatchKeys::PgBatchKeys(const std::vector<IncomingRecord>& records,
                         const std::vector<std::string_view>& kept) {
  if (kept.empty() && AddInOrder(records)) return;
  std::unordered_map<std::string_view, uint32_t> slots;
  slots.reserve(records.size() + kept.size());
  const auto slot_of = [&](std::string_view key) {
    const auto [it, added] = slots.try_emplace(key, static_cast<uint32_t>(keys_.size()));
    if (added) {
      keys_.push_back(key);
      AppendEncodedRecordKey(store_internal::StoredKey(key), &encoded_);
      encoded_ends_.push_back(encoded_.size());
    }
    return it->second;
  };
  record_slots_.reserve(records.size());
  for (const IncomingRecord& record : records) record_slots_.push_back(slot_of(record.key));
  kept_slots_.reserve(kept.size());
  for (const std::string_view key : kept) kept_slots_.push_back(slot_of(key));
}

bool PgBatchKeys::AddInOrder(const std::vector<IncomingRecord>& records) {
  keys_.reserve(records.size());
  encoded_ends_.reserve(records.size());
  record_slots_.reserve(records.size());
  size_t previous = 0;  // where the previous key's stored form begins
  for (const IncomingRecord& record : records) {
    const size_t begin = encoded_.size();
    AppendEncodedRecordKey(store_internal::StoredKey(record.key), &encoded_);
    const std::string_view all(encoded_);
    if (!keys_.empty() &&
        all.substr(previous, begin - previous) >= all.substr(begin, encoded_.size() - begin)) {
      keys_.clear();
      encoded_.clear();
      encoded_ends_.clear();
      record_slots_.clear();
      return false;
    }
    previous = begin;
    record_slots_.push_back(static_cast<uint32_t>(keys_.size()));
    keys_.push_back(record.key);
    encoded_ends_.push_back(encoded_.size());
  }
  return true;
}

std::string_view PgBatchKeys::encoded(size_t slot) const {
  const size_t begin = slot == 0 ? 0 : encoded_ends_[slot - 1];
  return std::string_view(encoded_).substr(begin, encoded_ends_[slot] - begin);
}

PgBatchWriter::PgBatchWriter(PgConnection& connection, std::string what, int64_t company_id,
                             int64_t entity_row_id, int64_t schema_id, uint64_t generation,
                             int64_t now)
    : connection_(connection),
      what_(std::move(what)),
      company_id_(company_id),
      entity_row_id_(entity_row_id),
      schema_id_(schema_id),
      generation_(generation),
      now_(now) {}

std::optional<PgStatement> PgBatchWriter::RangeProbe(const PgBatchKeys& keys, int64_t company_id,
                                                     int64_t entity_row_id) {
  if (keys.size() < kMinCopyRows) return std::nullopt;
  std::string_view first = keys.encoded(0);
  std::string_view last = first;
  for (size_t slot = 1; slot < keys.size(); ++slot) {
    const std::string_view key = keys.encoded(slot);
    first = std::min(first, key);
    last = std::max(last, key);
  }
  return PgStatement{kAnyStoredBetween,
                     {company_id, entity_row_id, PgParam::Bytes(first), PgParam::Bytes(last)}};
}

Status PgBatchWriter::Plan(const PgBatchKeys& keys, const std::vector<IncomingRecord>& records,
                           const std::vector<std::string_view>& kept,
                           std::optional<bool> any_stored) {
  keys_ = &keys;
  outcomes_.assign(keys.size(), Outcome{});
  tally_ = store_internal::BatchTally();
  ERPSYNC_RETURN_IF_ERROR(ReadStored(any_stored));
  for (Outcome& outcome : outcomes_) outcome.state = outcome.stored;
  for (size_t i = 0; i < records.size(); ++i) {
    const IncomingRecord& record = records[i];
    Outcome& outcome = outcomes_[keys.record_slot(i)];
    const RecordChange change = ChangeOf(outcome.state, record, generation_);
    tally_.Count(change, record.key, record.content_hash, outcome.state ? outcome.state->hash : 0);
    if (change == RecordChange::kInsert || change == RecordChange::kRevive ||
        change == RecordChange::kUpdate) {
      outcome.content = &record;
    }
    outcome.state = StateAfter(outcome.state, change, record, generation_);
  }
  for (size_t i = 0; i < kept.size(); ++i) {
    std::optional<StoredRecordState>& state = outcomes_[keys.kept_slot(i)].state;
    if (!state || state->deleted) continue;
    state->generation = std::max(state->generation, generation_);
    tally_.CountKept();
  }
  return Status::Ok();
}

Status PgBatchWriter::ReadStored(std::optional<bool> any_stored) {
  if (keys_->size() == 0) return Status::Ok();
  if (!any_stored) {
    if (std::optional<PgStatement> probe = RangeProbe(*keys_, company_id_, entity_row_id_)) {
      ERPSYNC_ASSIGN_OR_RETURN(const PgResult any,
                               connection_.Exec(what_, probe->sql, probe->params));
      any_stored = any.Bool(0, 0);
    }
  }
  if (any_stored == false) return Status::Ok();
  PgBinaryArray encoded(PgBinaryArray::Element::kBytea);
  for (size_t slot = 0; slot < keys_->size(); ++slot) encoded.AddBytes(keys_->encoded(slot));
  ERPSYNC_ASSIGN_OR_RETURN(
      const PgResult rows,
      connection_.Exec(what_, kReadStored,
                       {company_id_, entity_row_id_, PgParam::Bytes(encoded.Finish())}));
  for (int row = 0; row < rows.rows(); ++row) {
    const int64_t slot = rows.Int(row, 0) - 1;
    if (slot < 0 || static_cast<size_t>(slot) >= outcomes_.size()) {
      return InternalError(what_ + ": stored record of unknown slot " + std::to_string(slot));
    }
    outcomes_[static_cast<size_t>(slot)].stored =
        StoredRecordState{static_cast<uint64_t>(rows.Int(row, 1)),
                          static_cast<uint64_t>(rows.Int(row, 2)), rows.Bool(row, 3)};
  }
  return Status::Ok();
}

Status PgBatchWriter::Write() {
  std::vector<size_t> fresh;
  std::vector<size_t> content;
  std::vector<size_t> restamped_or_marked;
  for (size_t slot = 0; slot < outcomes_.size(); ++slot) {
    const Outcome& outcome = outcomes_[slot];
    if (!outcome.state) continue;
    if (!outcome.stored) {
      fresh.push_back(slot);
    } else if (outcome.content != nullptr) {
      content.push_back(slot);
    } else if (outcome.state->generation != outcome.stored->generation ||
               outcome.state->deleted != outcome.stored->deleted) {
      restamped_or_marked.push_back(slot);
    }
  }
  if (fresh.size() >= kMinCopyRows) {
    ERPSYNC_RETURN_IF_ERROR(CopyNew(fresh));
  } else {
    content.insert(content.end(), fresh.begin(), fresh.end());
  }
  if (!content.empty()) ERPSYNC_RETURN_IF_ERROR(WriteContent(content));
  if (!restamped_or_marked.empty()) ERPSYNC_RETURN_IF_ERROR(RestampOrMark(restamped_or_marked));
  return Status::Ok();
}

Status PgBatchWriter::CopyNew(const std::vector<size_t>& slots) {
  // In key order, as the primary key's B-tree has them (agents send deep
  // syncs in key order: then there is nothing to sort).
  std::vector<size_t> ordered = slots;
  const auto before = [&](size_t a, size_t b) { return keys_->encoded(a) < keys_->encoded(b); };
  if (!std::is_sorted(ordered.begin(), ordered.end(), before)) {
    std::sort(ordered.begin(), ordered.end(), before);
  }
  PgCopyWriter copy;
  size_t bytes = 0;
  for (const size_t slot : ordered) {
    bytes += PgCopyWriter::kRowOverhead + kCopyNewFields * PgCopyWriter::kFieldOverhead +
             kCopyNewFixedBytes + keys_->encoded(slot).size() +
             outcomes_[slot].content->values.size();
  }
  copy.Reserve(bytes);
  for (const size_t slot : ordered) {
    const Outcome& outcome = outcomes_[slot];
    copy.BeginRow(kCopyNewFields);
    copy.AddInt64(company_id_);
    copy.AddInt64(entity_row_id_);
    copy.AddBytes(keys_->encoded(slot));
    copy.AddInt64(schema_id_);
    copy.AddInt64(ToPg(outcome.state->hash));
    copy.AddInt64(ToPg(outcome.state->generation));
    copy.AddBool(outcome.state->deleted);
    copy.AddInt64(now_);
    copy.AddBytes(outcome.content->values);
  }
  return connection_.CopyIn(what_, kCopyNew, copy.Finish());
}

Status PgBatchWriter::WriteContent(const std::vector<size_t>& slots) {
  PgBinaryArray keys(PgBinaryArray::Element::kBytea);
  PgBinaryArray hashes(PgBinaryArray::Element::kInt8);
  PgBinaryArray generations(PgBinaryArray::Element::kInt8);
  PgBinaryArray deleted(PgBinaryArray::Element::kBool);
  PgBinaryArray payloads(PgBinaryArray::Element::kBytea);
  for (const size_t slot : slots) {
    const Outcome& outcome = outcomes_[slot];
    keys.AddBytes(keys_->encoded(slot));
    hashes.AddInt64(ToPg(outcome.state->hash));
    generations.AddInt64(ToPg(outcome.state->generation));
    deleted.AddBool(outcome.state->deleted);
    payloads.AddBytes(outcome.content->values);
  }
  ERPSYNC_ASSIGN_OR_RETURN(
      const PgResult result,
      connection_.Exec(
          what_, kWriteContent,
          {company_id_, entity_row_id_, schema_id_, now_, PgParam::Bytes(keys.Finish()),
           PgParam::Bytes(hashes.Finish()), PgParam::Bytes(generations.Finish()),
           PgParam::Bytes(deleted.Finish()), PgParam::Bytes(payloads.Finish())}));
  return CheckChanged(result, slots.size(), "wrote");
}

Status PgBatchWriter::RestampOrMark(const std::vector<size_t>& slots) {
  PgBinaryArray keys(PgBinaryArray::Element::kBytea);
  PgBinaryArray generations(PgBinaryArray::Element::kInt8);
  PgBinaryArray deleted(PgBinaryArray::Element::kBool);
  for (const size_t slot : slots) {
    const Outcome& outcome = outcomes_[slot];
    keys.AddBytes(keys_->encoded(slot));
    generations.AddInt64(ToPg(outcome.state->generation));
    deleted.AddBool(outcome.state->deleted);
  }
  ERPSYNC_ASSIGN_OR_RETURN(
      const PgResult result,
      connection_.Exec(
          what_, kRestampOrMark,
          {company_id_, entity_row_id_, schema_id_, now_, PgParam::Bytes(keys.Finish()),
           PgParam::Bytes(generations.Finish()), PgParam::Bytes(deleted.Finish())}));
  return CheckChanged(result, slots.size(), "restamped or marked");
}

Status PgBatchWriter::CheckChanged(const PgResult& result, size_t expected,
                                   std::string_view how) const {
  if (static_cast<size_t>(result.affected()) == expected) return Status::Ok();
  return InternalError(what_ + ": " + std::string(how) + " " + std::to_string(result.affected()) +
                       " records, expected " + std::to_string(expected));
}

}  // namespace erpsync::server::pg
