#include "common/packed_records.h"

#include <zstd.h>

#include "common/varint.h"

namespace erpsync {
namespace {

// Reads one record at *position; false when malformed.
bool ParseRecord(std::string_view data, size_t* position, PackedRecord* record) {
  uint64_t key_size = 0;
  uint64_t values_size_plus_one = 0;
  if (!ReadVarint(data, position, &key_size) || key_size > data.size() - *position) return false;
  record->key = data.substr(*position, key_size);
  *position += key_size;
  if (!ReadVarint(data, position, &values_size_plus_one)) return false;
  record->deleted = values_size_plus_one == 0;
  const uint64_t values_size = record->deleted ? 0 : values_size_plus_one - 1;
  if (values_size > data.size() - *position) return false;
  record->values = data.substr(*position, values_size);
  *position += values_size;
  return true;
}

}  // namespace

struct PackedCompressor::Context {
  ZSTD_CCtx* cctx = ZSTD_createCCtx();
  ~Context() { ZSTD_freeCCtx(cctx); }
};

struct PackedRecordReader::Context {
  ZSTD_DCtx* dctx = ZSTD_createDCtx();
  ~Context() { ZSTD_freeDCtx(dctx); }
};

PackedCompressor::PackedCompressor(int level)
    : level_(level), context_(level > 0 ? std::make_unique<Context>() : nullptr) {}
PackedCompressor::~PackedCompressor() = default;

Status PackedCompressor::Compress(std::string_view raw, std::string* out) {
  if (level_ <= 0) {
    out->assign(raw);
    return Status::Ok();
  }
  out->resize(ZSTD_compressBound(raw.size()));
  const size_t size =
      ZSTD_compressCCtx(context_->cctx, out->data(), out->size(), raw.data(), raw.size(), level_);
  if (ZSTD_isError(size)) {
    return InternalError(std::string("compressing a batch: ") + ZSTD_getErrorName(size));
  }
  out->resize(size);
  return Status::Ok();
}

void PackedRecordWriter::Add(std::string_view key, std::string_view values) {
  AppendVarint(key.size(), &raw_);
  raw_.append(key);
  AppendVarint(values.size() + 1, &raw_);
  raw_.append(values);
  ++count_;
}

void PackedRecordWriter::AddDeleted(std::string_view key) {
  AppendVarint(key.size(), &raw_);
  raw_.append(key);
  raw_.push_back('\0');
  ++count_;
}

std::string PackedRecordWriter::TakeRaw() {
  std::string raw;
  raw.swap(raw_);
  count_ = 0;
  return raw;
}

PackedRecordReader::PackedRecordReader() : context_(std::make_unique<Context>()) {}
PackedRecordReader::~PackedRecordReader() = default;

Result<size_t> PackedRecordReader::DecompressedSize(std::string_view packed, bool compressed) {
  if (!compressed) return packed.size();
  const unsigned long long size = ZSTD_getFrameContentSize(packed.data(), packed.size());
  if (size == ZSTD_CONTENTSIZE_ERROR || size == ZSTD_CONTENTSIZE_UNKNOWN) {
    return InvalidArgumentError("packed records: not a zstd frame with a known size");
  }
  return static_cast<size_t>(size);
}

void PackedRecordReader::ShrinkBuffer(size_t keep) {
  if (buffer_.capacity() > keep) std::string().swap(buffer_);
  if (records_.capacity() * sizeof(PackedRecord) > keep) std::vector<PackedRecord>().swap(records_);
}

Status PackedRecordReader::Open(std::string_view packed, bool compressed, uint32_t count,
                                size_t max_bytes) {
  records_.clear();
  next_ = 0;
  if (compressed) {
    ERPSYNC_ASSIGN_OR_RETURN(const size_t size, DecompressedSize(packed, true));
    if (size > max_bytes) {
      return InvalidArgumentError("packed records: " + std::to_string(size) +
                                  " bytes once decompressed, more than the " +
                                  std::to_string(max_bytes) + " allowed");
    }
    buffer_.resize(size);
    const size_t written = ZSTD_decompressDCtx(context_->dctx, buffer_.data(), buffer_.size(),
                                               packed.data(), packed.size());
    if (ZSTD_isError(written) || written != size) {
      return InvalidArgumentError(std::string("packed records: corrupt zstd frame: ") +
                                  (ZSTD_isError(written) ? ZSTD_getErrorName(written) : "short"));
    }
  }
  const std::string_view data = compressed ? std::string_view(buffer_) : packed;
  // Parse the whole layout once, so Next() cannot fail (growing records_ as
  // records turn out well-formed: `count` alone is not to be trusted).
  size_t position = 0;
  PackedRecord record;
  for (uint32_t i = 0; i < count; ++i) {
    if (!ParseRecord(data, &position, &record)) {
      records_.clear();
      return InvalidArgumentError("packed records: record " + std::to_string(i) + " of " +
                                  std::to_string(count) + " is malformed or missing");
    }
    records_.push_back(record);
  }
  if (position != data.size()) {
    records_.clear();
    return InvalidArgumentError("packed records: trailing bytes after " + std::to_string(count) +
                                " records");
  }
  return Status::Ok();
}

}  // namespace erpsync
